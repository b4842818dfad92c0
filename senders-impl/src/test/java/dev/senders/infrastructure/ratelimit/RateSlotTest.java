package dev.senders.infrastructure.ratelimit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateSlotTest {

    @AfterEach
    void release() {
        RateSlot.release();
    }

    @Test
    void aRequestWithoutASlotIsNotChecked() {
        // calls that are not rate-limited sends (verification, quota) hold no slot
        assertThatCode(RateSlot::claim).doesNotThrowAnyException();
    }

    @Test
    void aSlotInTimeIsGoodForOneRequest() {
        RateSlot.hold(System.nanoTime() + 1_000_000_000L);
        assertThatCode(RateSlot::claim).doesNotThrowAnyException();
        // a retry inside the same call would be a second request on the same slot
        assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class);
    }

    @Test
    void theHeldSlotsTimeIsKnownUntilItIsReleased() {
        assertThat(RateSlot.slotAt()).as("none held").isZero();
        long slot = System.nanoTime() + 50_000_000L;
        SlotTicket ticket = new SlotTicket(at -> { });
        RateSlot.holdUntilGiven(ticket);
        assertThat(RateSlot.slotAt()).as("not given yet").isZero();
        ticket.give(slot, slot + 15_000_000L, at -> { });
        assertThatCode(RateSlot::claim).doesNotThrowAnyException();
        assertThat(RateSlot.slotAt()).isEqualTo(slot);
        RateSlot.release();
        assertThat(RateSlot.slotAt()).isZero();
    }

    @Test
    void aRequestTooLateForItsSlotDoesNotGoOut() {
        RateSlot.hold(System.nanoTime() - 1);
        assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class)
                .hasMessageContaining("nothing was sent");
    }

    @Test
    void aGivenTicketsSlotIsWaitedForByTheClaimAndTellsWhenTheRequestWasReady() {
        long slot = System.nanoTime() + 100_000_000L;
        long[] ready = new long[1];
        long[] woken = new long[1];
        SlotTicket ticket = new SlotTicket(at -> ready[0] = at);
        ticket.give(slot, slot + 15_000_000L, at -> woken[0] = at);
        RateSlot.holdUntilGiven(ticket);
        assertThat(RateSlot.wireAt()).as("not on the wire yet").isZero();

        assertThatCode(RateSlot::claim).doesNotThrowAnyException();

        assertThat(System.nanoTime()).as("the claim returns at the slot").isGreaterThanOrEqualTo(slot);
        assertThat(RateSlot.wireAt()).isGreaterThanOrEqualTo(slot);
        assertThat(ready[0]).isPositive().isLessThan(slot);
        assertThat(ticket.readyAt()).isEqualTo(ready[0]);
        assertThat(woken[0]).as("the slot taken up once ready").isGreaterThanOrEqualTo(ready[0]).isLessThan(slot);
        assertThatThrownBy(RateSlot::claim).as("good for one request").isInstanceOf(RateSlot.Missed.class);
    }

    @Test
    void aReadyRequestWaitsForItsTicketToBeGivenItsSlot() throws Exception {
        CompletableFuture<Long> readyAt = new CompletableFuture<>();
        SlotTicket ticket = new SlotTicket(readyAt::complete);
        CompletableFuture<Long> wire = CompletableFuture.supplyAsync(() -> {
            RateSlot.holdUntilGiven(ticket);
            try {
                RateSlot.claim();
                return RateSlot.wireAt();
            } finally {
                RateSlot.release();
            }
        });
        long ready = readyAt.get(10, TimeUnit.SECONDS);
        Thread.sleep(50);
        assertThat(wire).as("waiting for its slot").isNotDone();
        long slot = System.nanoTime() + 20_000_000L;
        ticket.give(slot, slot + 15_000_000L, at -> { });
        assertThat(wire.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(slot);
        assertThat(ready).isLessThan(slot);
    }

    @Test
    void aRefusedTicketSendsNothingAndSaysWhy() throws Exception {
        SlotTicket ticket = new SlotTicket(at -> { });
        ticket.refuse("the provider's rate limit did not free up in time");
        RateSlot.holdUntilGiven(ticket);
        assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class);
        assertThat(RateSlot.wireAt()).isZero();
        assertThat(ticket.refused()).isTrue();
        assertThat(ticket.refusal()).isEqualTo("the provider's rate limit did not free up in time");
        assertThat(ticket.readyAt()).as("it was ready").isPositive();
    }

    @Test
    void aRequestTooLateForItsTicketsSlotGivesItUpAndWaitsForAnotherWithoutGoingOut() {
        long stale = System.nanoTime() - 20_000_000L;
        long[] readies = new long[2];
        long[] next = new long[1];
        SlotTicket[] ticket = new SlotTicket[1];
        ticket[0] = new SlotTicket(at -> {
            if (readies[0] == 0) {
                readies[0] = at;
                ticket[0].give(stale, stale + 15_000_000L, w -> { });
            } else {
                readies[1] = at;
                next[0] = System.nanoTime() + 30_000_000L;
                ticket[0].give(next[0], next[0] + 15_000_000L, w -> { });
            }
        });
        RateSlot.holdUntilGiven(ticket[0]);

        assertThatCode(RateSlot::claim).doesNotThrowAnyException();

        assertThat(ticket[0].misses()).as("the stale slot given up").isEqualTo(1);
        assertThat(readies[1]).as("ready again, for another slot").isGreaterThanOrEqualTo(readies[0]).isPositive();
        assertThat(RateSlot.wireAt()).as("on the wire in the second slot only").isGreaterThanOrEqualTo(next[0]);
        assertThat(RateSlot.slotAt()).isEqualTo(next[0]);
        assertThat(ticket[0].readyAt()).as("first ready").isEqualTo(readies[0]);
    }

    @Test
    void aTicketRefusedAfterAMissedSlotSendsNothing() {
        long stale = System.nanoTime() - 20_000_000L;
        SlotTicket[] ticket = new SlotTicket[1];
        ticket[0] = new SlotTicket(at -> {
            if (ticket[0].misses() == 0) {
                ticket[0].give(stale, stale + 15_000_000L, w -> { });
            } else {
                ticket[0].refuse("too slow");
            }
        });
        RateSlot.holdUntilGiven(ticket[0]);
        assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class);
        assertThat(RateSlot.wireAt()).isZero();
        assertThat(ticket[0].misses()).isEqualTo(1);
        assertThat(ticket[0].refusal()).isEqualTo("too slow");
    }

    @Test
    void aThreadInterruptedWhileWaitingForItsSlotSendsNothingAndStaysInterrupted() {
        SlotTicket ticket = new SlotTicket(at -> { });
        ticket.give(System.nanoTime() + 60_000_000_000L, Long.MAX_VALUE, at -> { });
        assertAnInterruptedClaimSendsNothing(ticket);
    }

    @Test
    void aThreadInterruptedWhileWaitingForItsTicketSendsNothingAndStaysInterrupted() {
        assertAnInterruptedClaimSendsNothing(new SlotTicket(at -> { }));
    }

    private static void assertAnInterruptedClaimSendsNothing(SlotTicket ticket) {
        RateSlot.holdUntilGiven(ticket);
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(RateSlot.wireAt()).isZero();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aReleasedSlotIsForgotten() {
        RateSlot.hold(System.nanoTime() - 1);
        RateSlot.release();
        assertThatCode(RateSlot::claim).doesNotThrowAnyException();
    }
}
