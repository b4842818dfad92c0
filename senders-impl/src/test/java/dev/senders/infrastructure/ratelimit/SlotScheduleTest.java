package dev.senders.infrastructure.ratelimit;

import dev.senders.infrastructure.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cluster's rate slots in a real PostgreSQL ({@link TestDatabase}), reserved by several {@link SlotSchedule}s
 * standing for the instances of a cluster: each with its own connections and a clock of its own (offset from the
 * others by seconds, as two machines' monotonic clocks are), many sending threads each.
 *
 * <p>The slots are checked on the database's clock, where they are exact; what the senders sent is checked on one
 * common timeline (each instance's clock less its offset), as a provider counting arrivals would.
 */
class SlotScheduleTest {

    private static final Duration LATENESS = Duration.ofMillis(15);
    private static final Duration WINDOW = Duration.ofMillis(200);
    private static final Duration TOLERANCE = LATENESS.plusMillis(5);
    private static final long MAX_WAIT = TimeUnit.SECONDS.toNanos(60);

    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.start();
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @AfterEach
    void release() {
        RateSlot.release();
    }

    /** One instance of a cluster: its own connections, its own clock. */
    private record Instance(SlotSchedule schedule, long offset) {
        static Instance withClockOffset(long offset) {
            return new Instance(new SlotSchedule(db.pooled(), () -> System.nanoTime() + offset, LATENESS, WINDOW),
                    offset);
        }

        long now() {
            return System.nanoTime() + offset;
        }
    }

    private static List<Instance> cluster() {
        return List.of(Instance.withClockOffset(0), Instance.withClockOffset(7_777_777_777L));
    }

    private static SlotSchedule.Bucket account(double rate) {
        return new SlotSchedule.Bucket("provider:test-" + UUID.randomUUID(), rate);
    }

    // ------------------------------------------------------------------ spacing and utilization

    @Test
    void twoInstancesReservingSingleSlotsAndBlocksNeverGetTwoSlotsCloserThanTheSpacing() throws Exception {
        SlotSchedule.Bucket account = account(200);
        Run run = send(cluster(), 4, account, RecoveryBudget.NONE, 2_000, 0);

        assertThat(run.extras).isEmpty();
        assertSpacedAtLeast(run.regular, account.spacingMicros());
        assertThat(run.sent.size() + run.missed).as("every slot sent in or given up").isEqualTo(run.regular.size());
        // a request goes out within max-lateness of its slot as this instance sees it, which is at most the clock
        // conversion's error later than it is: no second holds more slots than a span of 1 s + both
        assertThat(Windows.maxInAnySecond(run.sent)).as("most sent in any second (clock error %d us)",
                run.clockError / 1000).isLessThanOrEqualTo(run.mostRegularInASecond(account.perSecond()));
        // nearly all of the rate used (loose: the machine is shared)
        assertThat(run.sent.size() / run.seconds()).as("sends a second of 200").isGreaterThan(150);
    }

    /**
     * Issue 15 at a production quota: SES's MaxSendRate R = 500 enforced at 0.97 (485/s), two instances with 8
     * threads each, and 3% of the senders sleeping 20-40 ms past their slot. The given-up slots are recovered, within
     * the budget (5 in any 1.02 s), and what was sent never puts more than 500 in any sliding second.
     */
    @Test
    void atFiveHundredASecondGivenUpSlotsAreRecoveredWithoutExceedingTheLimit() throws Exception {
        double limit = 500;
        double rate = limit * 0.97;
        SlotSchedule.Bucket account = account(rate);
        RecoveryBudget budget = RecoveryBudget.of(limit, rate, TOLERANCE);
        assertThat(budget.perWindow()).isEqualTo(5);

        Run run = send(cluster(), 8, account, budget, 4_000, 0.05);

        System.out.printf("[SlotScheduleTest] R 500, r 485: %.1f sent a second (%d sent, %d regular slots,"
                        + " %d recovered and %d sent in, %d given up) over %.2f s; at most %d in any second;"
                        + " largest clock conversion error %d us%n",
                run.sent.size() / run.seconds(), run.sent.size(), run.regular.size(), run.extras.size(),
                run.sentInRecovered, run.missed, run.seconds(), Windows.maxInAnySecond(run.sent),
                run.clockError / 1000);
        assertSpacedAtLeast(run.regular, account.spacingMicros());
        // recovered slots: at least (1 + D) / E apart, so never more than E = 5 in any 1 + D seconds
        assertSpacedAtLeast(run.extras, budget.spacingMicros());
        assertThat(run.missed).as("slots given up").isPositive();
        assertThat(run.extras).as("recovered slots").isNotEmpty().hasSizeLessThanOrEqualTo(run.missed);
        assertThat(run.sentInRecovered).as("sends in recovered slots").isPositive();
        int most = Windows.maxInAnySecond(run.sent);
        assertThat(most).as("most sent in any sliding second").isLessThanOrEqualTo((int) limit)
                .isLessThanOrEqualTo(run.mostRegularInASecond(rate) + budget.perWindow());
        // loose: 2 shared cores, and 5% of the senders asleep for whole blocks of slots
        assertThat(run.sent.size() / run.seconds()).as("sends a second of 485").isGreaterThan(0.5 * rate);
    }

    /** At SES's usual 14 a second there is no room for a recovered slot: nothing extra is ever placed. */
    @Test
    void atFourteenASecondNothingGivenUpIsPlacedAgain() throws Exception {
        double limit = 14;
        double rate = limit * 0.97;
        SlotSchedule.Bucket account = account(rate);
        RecoveryBudget budget = RecoveryBudget.of(limit, rate, TOLERANCE);
        assertThat(budget).isEqualTo(RecoveryBudget.NONE);

        Run run = send(cluster(), 3, account, budget, 3_000, 0.2);

        assertThat(run.missed).as("slots given up").isPositive();
        assertThat(run.extras).isEmpty();
        assertThat(db.queryLong("select count(*) from senders_rate_slots where bucket = '" + account.key()
                + "' and spare > 0")).as("credits kept").isZero();
        assertSpacedAtLeast(run.regular, account.spacingMicros());
        assertThat(Windows.maxInAnySecond(run.sent)).isLessThanOrEqualTo(14)
                .isLessThanOrEqualTo(run.mostRegularInASecond(rate));
    }

    // ------------------------------------------------------------------ one reservation

    @Test
    void nothingIsReservedBeyondTheMaximumWait() throws Exception {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        SlotSchedule.Bucket account = account(0.5); // a slot every 2 s
        long first = reserved(schedule.reserve(account, RecoveryBudget.NONE, null, 1, MAX_WAIT)).atMicros()[0];
        assertThat(schedule.reserve(account, RecoveryBudget.NONE, null, 1, TimeUnit.MILLISECONDS.toNanos(500)))
                .isInstanceOf(SlotSchedule.TooFar.class);
        // the refused reservation took nothing: the next slot is the one right after the first
        long second = reserved(schedule.reserve(account, RecoveryBudget.NONE, null, 1, MAX_WAIT)).atMicros()[0];
        assertThat(second - first).isEqualTo(2_000_000);
    }

    @Test
    void aReservationBooksAtMostTheWindowOfTheRateAndOneSlotAtLeast() throws Exception {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        SlotSchedule.Bucket fast = account(100);
        SlotSchedule.Reserved block = reserved(schedule.reserve(fast, RecoveryBudget.NONE, null, 100, MAX_WAIT));
        assertThat(block.atMicros()).hasSize(20);
        for (int i = 1; i < 20; i++) {
            assertThat(block.atMicros()[i] - block.atMicros()[i - 1]).isEqualTo(10_000);
            assertThat(block.atNanos()[i] - block.atNanos()[i - 1]).isEqualTo(10_000_000);
        }
        SlotSchedule.Bucket slow = account(2);
        assertThat(reserved(schedule.reserve(slow, RecoveryBudget.NONE, null, 5, MAX_WAIT)).atMicros()).hasSize(1);
    }

    @Test
    void slotsAreConvertedToEachInstancesOwnClock() throws Exception {
        List<Instance> instances = cluster();
        SlotSchedule.Bucket account = account(10);
        SlotSchedule.Reserved onA = reserved(instances.get(0).schedule().reserve(account, RecoveryBudget.NONE, null,
                1, MAX_WAIT));
        SlotSchedule.Reserved onB = reserved(instances.get(1).schedule().reserve(account, RecoveryBudget.NONE, null,
                1, MAX_WAIT));
        assertThat(onB.atMicros()[0] - onA.atMicros()[0]).isEqualTo(100_000);
        // on one timeline, B's slot is 100 ms after A's, give or take the answers' delays
        long apart = (onB.atNanos()[0] - instances.get(1).offset()) - (onA.atNanos()[0] - instances.get(0).offset());
        assertThat(apart).isBetween(TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.MILLISECONDS.toNanos(150));
    }

    /**
     * An organization held to its share (half of 10/s here) that has used it books its next turn, not the account's
     * slots, so the account's slots in between go to others; at its turn it reserves without the organization.
     */
    @Test
    void anOrganizationOverItsShareBooksItsTurnAndLeavesTheSlotsBeforeItToOthers() throws Exception {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        SlotSchedule.Bucket account = account(10);
        SlotSchedule.Bucket heavy = new SlotSchedule.Bucket("org:test:" + UUID.randomUUID(), 5);
        SlotSchedule.Bucket light = new SlotSchedule.Bucket("org:test:" + UUID.randomUUID(), 5);

        SlotSchedule.Reserved first = reserved(schedule.reserve(account, RecoveryBudget.NONE, heavy, 2, MAX_WAIT));
        long f = first.atMicros()[0];
        assertThat(first.atMicros()).containsExactly(f, f + 100_000);
        // its next turn, 2 x 200 ms on, is after the account's next free slot: booked, no slot
        SlotSchedule.Answer again = schedule.reserve(account, RecoveryBudget.NONE, heavy, 2, MAX_WAIT);
        assertThat(again).isInstanceOf(SlotSchedule.Gated.class);
        long turn = ((SlotSchedule.Gated) again).untilMicros();
        assertThat(turn).isEqualTo(f + 400_000);
        // and the turn after that is booked too: another sender of the organization waits for it
        SlotSchedule.Answer third = schedule.reserve(account, RecoveryBudget.NONE, heavy, 1, MAX_WAIT);
        assertThat(((SlotSchedule.Gated) third).untilMicros()).isEqualTo(f + 800_000);
        // unless it would wait longer than it may: nothing booked
        assertThat(schedule.reserve(account, RecoveryBudget.NONE, heavy, 1, TimeUnit.MILLISECONDS.toNanos(500)))
                .isInstanceOf(SlotSchedule.TooFar.class);

        SlotSchedule.Reserved other = reserved(schedule.reserve(account, RecoveryBudget.NONE, light, 2, MAX_WAIT));
        assertThat(other.atMicros()).as("the light organization's slots, right after the heavy one's")
                .containsExactly(f + 200_000, f + 300_000);

        schedule.sleepUntil(((SlotSchedule.Gated) again).untilNanos());
        SlotSchedule.Reserved atTurn = reserved(schedule.reserve(account, RecoveryBudget.NONE, null, 2, MAX_WAIT));
        assertThat(atTurn.atMicros()[0]).isGreaterThanOrEqualTo(turn);
    }

    // ------------------------------------------------------------------ given-up slots

    @Test
    void creditsAreCappedAtTheBudgetAndSpentOneAtATimeWhileTheAccountIsBookedAhead() throws Exception {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        double rate = 500 * 0.97;
        SlotSchedule.Bucket account = account(rate);
        RecoveryBudget budget = RecoveryBudget.of(500, rate, TOLERANCE);

        reserved(schedule.reserve(account, budget, null, 1, MAX_WAIT));
        for (int i = 0; i < 8; i++) {
            schedule.giveBack(account, budget);
        }
        assertThat(spare(account)).as("credits kept").isEqualTo(budget.perWindow());
        // not booked ahead: a credit is not spent on a slot that is free anyway
        Thread.sleep(5);
        SlotSchedule.Reserved free = reserved(schedule.reserve(account, budget, null, 1, MAX_WAIT));
        assertThat(free.recovered()).isFalse();
        assertThat(spare(account)).isEqualTo(budget.perWindow());

        // booked 0.2 s ahead: the next reservation gets a recovered slot now, before the booked ones
        SlotSchedule.Reserved booked = reserved(schedule.reserve(account, budget, null, 1000, MAX_WAIT));
        assertThat(booked.atMicros()).hasSize(schedule.mostAtOnce(account));
        SlotSchedule.Reserved withExtra = reserved(schedule.reserve(account, budget, null, 3, MAX_WAIT));
        assertThat(withExtra.recovered()).isTrue();
        assertThat(withExtra.atMicros()).hasSize(3);
        long lastBooked = booked.atMicros()[booked.atMicros().length - 1];
        assertThat(withExtra.atMicros()[0]).isLessThan(booked.atMicros()[0] + 100_000);
        assertThat(withExtra.atMicros()[1]).isEqualTo(lastBooked + account.spacingMicros());
        assertThat(withExtra.atMicros()[2]).isEqualTo(lastBooked + 2 * account.spacingMicros());
        assertThat(spare(account)).isEqualTo(budget.perWindow() - 1);

        // the next one only (1 + D) / E later, whatever credits are left
        SlotSchedule.Reserved next = reserved(schedule.reserve(account, budget, null, 1, MAX_WAIT));
        assertThat(next.recovered()).isFalse();
        assertThat(spare(account)).isEqualTo(budget.perWindow() - 1);
    }

    @Test
    void withoutRoomAGivenUpSlotLeavesNoCredit() throws Exception {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        SlotSchedule.Bucket account = account(13.58);
        reserved(schedule.reserve(account, RecoveryBudget.NONE, null, 1, MAX_WAIT));
        schedule.giveBack(account, RecoveryBudget.NONE);
        assertThat(spare(account)).isZero();
    }

    // ------------------------------------------------------------------ a statement in the reservation's transaction

    /**
     * Issue 15's database cost: SES marks a block of messages as leaving in its reservation's round trip and
     * transaction ({@link WithReservation}). The statement is written with the slots; when the reservation fails, it
     * is not written either; when it fails, no slot is taken.
     */
    @Test
    void aStatementSentWithAReservationIsWrittenWithItsSlotsOrNotAtAll() throws Exception {
        try (var c = db.pooled().getConnection(); var s = c.createStatement()) {
            s.execute("create table if not exists leaving_marks (mark text primary key)");
        }
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        // one slot a second: a slot taken by mistake would move the next one a whole second on
        SlotSchedule.Bucket account = account(1);
        String mark = "m-" + UUID.randomUUID();

        SlotSchedule.Answer first = schedule.reserve(account, RecoveryBudget.NONE, null, 1, MAX_WAIT, mark(mark));
        assertThat(first).isInstanceOf(SlotSchedule.Reserved.class);
        assertThat(marked(mark)).as("written with the slots").isTrue();

        String lost = "m-" + UUID.randomUUID();
        assertThatThrownBy(() -> schedule.reserve(new SlotSchedule.Bucket(null, 1), RecoveryBudget.NONE, null, 1,
                MAX_WAIT, mark(lost))).as("a reservation that fails (a bucket without a key)")
                .isInstanceOf(java.sql.SQLException.class);
        assertThat(marked(lost)).as("not written when the reservation fails: one transaction").isFalse();

        assertThatThrownBy(() -> schedule.reserve(account, RecoveryBudget.NONE, null, 1, MAX_WAIT, mark(mark)))
                .as("the same mark again: its primary key refuses it").isInstanceOf(java.sql.SQLException.class);
        SlotSchedule.Reserved next = (SlotSchedule.Reserved) schedule.reserve(account, RecoveryBudget.NONE, null, 1,
                MAX_WAIT);
        assertThat(next.atMicros()[0] - ((SlotSchedule.Reserved) first).atMicros()[0])
                .as("the slot after the first: the refused statement took none").isEqualTo(account.spacingMicros());
    }

    /**
     * Slots given up while sending a batch go back with its next reservation, in its round trip and transaction
     * (with the block's mark): one statement's round trip for both, and that very reservation may recover them.
     */
    @Test
    void slotsGivenBackWithAReservationAreCreditedBeforeItAndItMayRecoverOne() throws Exception {
        try (var c = db.pooled().getConnection(); var s = c.createStatement()) {
            s.execute("create table if not exists leaving_marks (mark text primary key)");
        }
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        double rate = 500 * 0.97;
        SlotSchedule.Bucket account = account(rate);
        RecoveryBudget budget = RecoveryBudget.of(500, rate, TOLERANCE);
        assertThat(budget.perWindow()).as("room for recovered slots at 500/s").isGreaterThan(2);
        assertThat(schedule.givingBack(account, RecoveryBudget.NONE, 3)).as("no room: nothing to send").isNull();
        assertThat(schedule.givingBack(account, budget, 0)).isNull();

        // booked 0.2 s ahead, as a busy account is
        SlotSchedule.Reserved booked = reserved(schedule.reserve(account, budget, null, 1000, MAX_WAIT));
        String mark = "m-" + UUID.randomUUID();
        SlotSchedule.Reserved next = reserved(schedule.reserve(account, budget, null, 2, MAX_WAIT,
                WithReservation.both(schedule.givingBack(account, budget, 3), mark(mark))));

        assertThat(marked(mark)).as("the mark sent with them").isTrue();
        assertThat(next.recovered()).as("a given-back slot recovered by the same reservation").isTrue();
        assertThat(next.atMicros()[0]).isLessThan(booked.atMicros()[booked.atMicros().length - 1]);
        assertThat(spare(account)).as("3 given back, 1 recovered").isEqualTo(2);

        // more than the budget keeps: capped
        reserved(schedule.reserve(account, budget, null, 1, MAX_WAIT,
                schedule.givingBack(account, budget, budget.perWindow() + 5)));
        assertThat(spare(account)).isEqualTo(budget.perWindow());
    }

    private static WithReservation mark(String mark) {
        return new WithReservation("insert into leaving_marks (mark) values (?)", (c, s, after) -> {
            s.setString(after + 1, mark);
            return 1;
        });
    }

    private static boolean marked(String mark) throws Exception {
        try (var c = db.pooled().getConnection();
             var s = c.prepareStatement("select exists (select 1 from leaving_marks where mark = ?)")) {
            s.setString(1, mark);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    // ------------------------------------------------------------------ waiting for a slot

    @Test
    void aSenderInTimeHoldsTheSlotForItsRequestAndALateOneGivesItUp() {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        long soon = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        assertThat(schedule.sendBy(soon)).isEqualTo(soon + LATENESS.toNanos());
        assertThat(schedule.await(soon)).isTrue();
        assertThat(System.nanoTime()).isGreaterThanOrEqualTo(soon);
        assertThatCode(RateSlot::claim).as("the on-the-wire check, in time").doesNotThrowAnyException();

        RateSlot.release();
        assertThat(schedule.await(System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(20))).isFalse();
        assertThatCode(RateSlot::claim).as("no slot held").doesNotThrowAnyException();
    }

    /**
     * Bench figure 15.2's loop: a sender that is ready only 40 ms after the database placed its slot (a busy machine)
     * finds it stale and gives it up; the instance's next reservation places its slots that far ahead, and the same
     * sender is then in time for them.
     */
    @Test
    void aSenderSlowToBeReadyHasItsNextSlotsPlacedThatFarAhead() throws Exception {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        SlotSchedule.Bucket account = account(100);
        long ready = TimeUnit.MILLISECONDS.toNanos(40);

        SlotSchedule.Reserved first = (SlotSchedule.Reserved) schedule.reserve(account, RecoveryBudget.NONE, null, 1,
                MAX_WAIT);
        assertThat(first.atNanos()[0] - first.placedNanos()).as("an idle account's slot, placed at once")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(5));
        sleepUntil(first.placedNanos() + ready);
        assertThat(schedule.await(first.atNanos()[0], first.placedNanos())).as("stale when its sender is ready")
                .isFalse();
        // half of max-lateness is left as slack: a sender that much late is still in time
        long slack = LATENESS.toNanos() / 2;
        assertThat(schedule.leadNanos(account)).isGreaterThanOrEqualTo(ready - slack);
        assertThat(schedule.leadNanos(account(10))).as("none where slots are farther apart than max-lateness")
                .isZero();

        Thread.sleep(50); // the account is idle again: its next free slot has passed
        SlotSchedule.Reserved second = (SlotSchedule.Reserved) schedule.reserve(account, RecoveryBudget.NONE, null, 1,
                MAX_WAIT);
        assertThat(second.atNanos()[0] - second.placedNanos()).as("placed the lead ahead")
                .isGreaterThanOrEqualTo(ready - slack - second.clockErrorNanos());
        sleepUntil(second.placedNanos() + ready);
        assertThat(schedule.await(second.atNanos()[0], second.placedNanos())).as("in time now").isTrue();
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    @Test
    void anInterruptedSenderSendsNothing() {
        SlotSchedule schedule = Instance.withClockOffset(0).schedule();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> schedule.await(System.nanoTime() + TimeUnit.SECONDS.toNanos(5)))
                    .isInstanceOf(SendRateLimiter.RateLimitTimeout.class);
        } finally {
            assertThat(Thread.interrupted()).as("still interrupted").isTrue();
        }
    }

    // ------------------------------------------------------------------ helpers

    private static SlotSchedule.Reserved reserved(SlotSchedule.Answer answer) {
        assertThat(answer).isInstanceOf(SlotSchedule.Reserved.class);
        return (SlotSchedule.Reserved) answer;
    }

    private static long spare(SlotSchedule.Bucket account) {
        return db.queryLong("select spare from senders_rate_slots where bucket = '" + account.key() + "'");
    }

    private static void assertSpacedAtLeast(List<Long> micros, long spacing) {
        List<Long> sorted = new ArrayList<>(micros);
        Collections.sort(sorted);
        long closest = Long.MAX_VALUE;
        for (int i = 1; i < sorted.size(); i++) {
            closest = Math.min(closest, sorted.get(i) - sorted.get(i - 1));
        }
        assertThat(closest).as("closest two of %d slots (microseconds)", sorted.size())
                .isGreaterThanOrEqualTo(spacing);
    }

    /** What the senders of a run reserved and sent. */
    private static final class Run {
        final List<Long> regular = new ArrayList<>();
        final List<Long> extras = new ArrayList<>();
        final List<Long> sent = new ArrayList<>();
        int missed;
        int sentInRecovered;
        long clockError;

        /** ceil(r(1 + D)): what regular slots can put in one second when sent up to D late, D = max-lateness + error. */
        int mostRegularInASecond(double rate) {
            return (int) Math.ceil(rate * (1 + (LATENESS.toNanos() + clockError) / 1e9));
        }

        double seconds() {
            List<Long> sorted = new ArrayList<>(sent);
            Collections.sort(sorted);
            return (sorted.get(sorted.size() - 1) - sorted.get(0)) / 1e9;
        }

        synchronized void add(Run part) {
            regular.addAll(part.regular);
            extras.addAll(part.extras);
            sent.addAll(part.sent);
            missed += part.missed;
            sentInRecovered += part.sentInRecovered;
            clockError = Math.max(clockError, part.clockError);
        }
    }

    /**
     * {@code threads} senders on each instance, for about {@code millis}: each reserves a single slot or a block,
     * sleeps until each slot and "sends" in it (the moment is recorded on the common timeline), after the on-the-wire
     * check. A share {@code lateShare} of the reservations find their sender asleep 20-40 ms past their first slot;
     * a slot its sender was too late for is given back.
     */
    private static Run send(List<Instance> instances, int threads, SlotSchedule.Bucket account,
                            RecoveryBudget budget, long millis, double lateShare) throws Exception {
        int[] blocks = {1, 1, 1, 2, 5, 10, 30};
        ExecutorService pool = Executors.newFixedThreadPool(threads * instances.size());
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            List<Future<Run>> parts = new ArrayList<>();
            for (Instance instance : instances) {
                for (int t = 0; t < threads; t++) {
                    parts.add(pool.submit(() -> {
                        Run mine = new Run();
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        SlotSchedule schedule = instance.schedule();
                        while (System.nanoTime() < end) {
                            int wanted = blocks[random.nextInt(blocks.length)];
                            SlotSchedule.Reserved r = reserved(schedule.reserve(account, budget, null, wanted,
                                    MAX_WAIT));
                            mine.clockError = Math.max(mine.clockError, r.clockErrorNanos());
                            for (int i = 0; i < r.atMicros().length; i++) {
                                (r.recovered() && i == 0 ? mine.extras : mine.regular).add(r.atMicros()[i]);
                            }
                            if (random.nextDouble() < lateShare) {
                                schedule.sleepUntil(r.atNanos()[0]
                                        + TimeUnit.MILLISECONDS.toNanos(20 + random.nextInt(21)));
                            }
                            for (int i = 0; i < r.atNanos().length; i++) {
                                long slot = r.atNanos()[i];
                                boolean inTime = schedule.await(slot);
                                long now = instance.now();
                                if (!inTime || now - schedule.sendBy(slot) > 0) {
                                    schedule.giveBack(account, budget);
                                    mine.missed++;
                                    continue;
                                }
                                mine.sent.add(now - instance.offset());
                                if (r.recovered() && i == 0) {
                                    mine.sentInRecovered++;
                                }
                            }
                            RateSlot.release();
                        }
                        return mine;
                    }));
                }
            }
            Run all = new Run();
            for (Future<Run> part : parts) {
                all.add(part.get(120, TimeUnit.SECONDS));
            }
            Collections.sort(all.sent);
            return all;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Counting over sliding windows, as the SES stub does. */
    private static final class Windows {
        static int maxInAnySecond(List<Long> sortedNanos) {
            List<Long> at = new ArrayList<>(sortedNanos);
            Collections.sort(at);
            int most = 0;
            int from = 0;
            for (int i = 0; i < at.size(); i++) {
                while (at.get(i) - at.get(from) >= 1_000_000_000L) {
                    from++;
                }
                most = Math.max(most, i - from + 1);
            }
            return most;
        }
    }
}
