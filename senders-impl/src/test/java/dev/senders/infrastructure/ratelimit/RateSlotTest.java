package dev.senders.infrastructure.ratelimit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
        RateSlot.holdUntilWire(slot, slot + 15_000_000L, at -> { });
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
    void aSlotHeldUntilTheWireIsWaitedForByTheClaimAndTellsWhenTheRequestWasReady() {
        long slot = System.nanoTime() + 100_000_000L;
        long[] ready = new long[1];
        RateSlot.holdUntilWire(slot, slot + 15_000_000L, at -> ready[0] = at);
        assertThat(RateSlot.wireAt()).as("not on the wire yet").isZero();

        assertThatCode(RateSlot::claim).doesNotThrowAnyException();

        assertThat(System.nanoTime()).as("the claim returns at the slot").isGreaterThanOrEqualTo(slot);
        assertThat(RateSlot.wireAt()).isGreaterThanOrEqualTo(slot);
        assertThat(ready[0]).isPositive().isLessThan(slot);
        assertThatThrownBy(RateSlot::claim).as("good for one request").isInstanceOf(RateSlot.Missed.class);
    }

    @Test
    void aRequestReadyAfterItsHeldSlotsLatestMomentDoesNotGoOut() {
        long slot = System.nanoTime() - 20_000_000L;
        long[] ready = new long[1];
        RateSlot.holdUntilWire(slot, slot + 15_000_000L, at -> ready[0] = at);
        assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class);
        assertThat(ready[0]).as("its readiness is still told").isPositive();
        assertThat(RateSlot.wireAt()).isZero();
    }

    @Test
    void aThreadInterruptedWhileWaitingForItsSlotSendsNothingAndStaysInterrupted() {
        RateSlot.holdUntilWire(System.nanoTime() + 60_000_000_000L, Long.MAX_VALUE, at -> { });
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(RateSlot::claim).isInstanceOf(RateSlot.Missed.class);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
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
