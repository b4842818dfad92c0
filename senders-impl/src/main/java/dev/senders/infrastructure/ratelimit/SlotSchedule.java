package dev.senders.infrastructure.ratelimit;

import dev.senders.infrastructure.persistence.SendersDatabase;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The rate slots of the whole cluster, kept in PostgreSQL (table {@code senders_rate_slots}, function
 * {@code senders_rate_reserve}, migration V15) and placed on the database's clock: one instance's view of them.
 *
 * <p>A reservation is one autocommitted statement: the bucket's row is locked only while it runs, the clock is read
 * once the row is locked (so a reservation that waited for another one is placed when it got the row, never early),
 * and the answer carries the database's clock reading, from which each slot is converted to this instance's clock:
 * slot_local = local_now_at_answer + (slot_db - db_now). The error is the answer's one-way delay, which only makes a
 * slot look later than it is, never earlier; but a request sent at a slot that looks late by that much is late by as
 * much, unseen by the lateness checks. On 2 busy cores that delay was 46 us at the median but 4.6 ms at the 99th
 * percentile and 22 ms at the 99.9th (16 threads reserving at 485/s, the machine loaded by other builds). So slots are
 * converted by the best recent reading ({@link DatabaseClock}: every reservation's answer is one), and when even that
 * one took longer than {@value #CLOCK_ERROR_BOUND_MICROS} us round trip, the database's clock is read again (a
 * statement that locks nothing), up to {@value #CLOCK_READS} times. The conversion's error, at most the round trip of
 * the reading used, comes with the slots: at most 0.7-0.8 ms in SlotScheduleTest's 500/s runs on the same machine
 * (once 4.5 ms, an instance's first reservation, before it had a better reading).
 *
 * <p>Not CDI: {@link SendRateLimiter} builds one with the module's data source and {@link System#nanoTime()}; the
 * tests build several, each with a clock of its own, as instances of a cluster.
 */
public final class SlotSchedule {

    private static final Logger LOG = Logger.getLogger(SlotSchedule.class.getName());

    private static final String RESERVE = "select slots, first_at, extra_at, gate_at, now_at, placed_at from senders_rate_reserve("
            + "?::text, ?::bigint, ?::integer, ?::bigint, ?::bigint, ?::text, ?::bigint, ?::bigint)";
    private static final String CLOCK = "select senders_rate_clock()";
    private static final String GIVE_BACK = """
            update senders_rate_slots
               set spare = least(?, case when spare_until > senders_rate_clock() then spare else 0 end + ?),
                   spare_until = senders_rate_clock() + ?
             where bucket = ?""";

    /**
     * A rate bucket: a provider account, or one organization's share of it.
     *
     * @param key       its row in {@code senders_rate_slots}
     * @param perSecond its rate: slots are 1/rate apart (rounded up to the microsecond)
     */
    public record Bucket(String key, double perSecond) {
        public Bucket {
            if (!(perSecond > 0)) {
                throw new IllegalArgumentException("a rate must be positive: " + perSecond);
            }
        }

        long spacingMicros() {
            return (long) Math.ceil(1_000_000 / perSecond);
        }
    }

    /** What a reservation got. */
    public sealed interface Answer permits Reserved, Gated, TooFar {
    }

    /**
     * Slots reserved, ascending: when {@code recovered}, the first is a recovered slot placed between booked ones,
     * the others (regular) are 1/rate apart.
     *
     * @param atNanos         the slots on this instance's clock
     * @param atMicros        the same on the database's clock (microseconds since the epoch)
     * @param clockErrorNanos the most the slots may look later than they are on this instance's clock (the round
     *                        trip of the clock reading that converted them)
     * @param placedNanos     when the database placed them, on this instance's clock (never earlier than it was): a
     *                        sender reports how long after it it was ready ({@link #await(long, long)})
     */
    public record Reserved(long[] atNanos, long[] atMicros, boolean recovered, long clockErrorNanos, long placedNanos)
            implements Answer {
    }

    /**
     * The organization has used its share: its next turn is booked, no slot is. At {@code untilNanos}
     * ({@code untilMicros} on the database's clock) the caller reserves the account's slots without the organization.
     */
    public record Gated(long untilNanos, long untilMicros) implements Answer {
    }

    /** The first slot (or the organization's turn) would be later than the caller may wait: nothing reserved. */
    public record TooFar() implements Answer {
    }

    /** Above this round trip, the database's clock is read again before slots are converted. */
    static final long CLOCK_ERROR_BOUND_MICROS = 1000;
    /** At most this many more readings. */
    static final int CLOCK_READS = 3;

    private final DataSource dataSource;
    private final LongSupplier clock;
    private final long maxLatenessNanos;
    private final double windowSeconds;
    private final DatabaseClock dbClock = new DatabaseClock();
    private final SlotLead lead = new SlotLead();

    /**
     * @param clock             this instance's clock, in nanoseconds ({@link System#nanoTime()})
     * @param maxLateness       how late after its slot a request may still go on the wire
     * @param reservationWindow how far ahead one reservation may book at most (one slot at least)
     */
    public SlotSchedule(DataSource dataSource, LongSupplier clock, Duration maxLateness, Duration reservationWindow) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.maxLatenessNanos = maxLateness.toNanos();
        this.windowSeconds = reservationWindow.toNanos() / 1e9;
    }

    /** The most slots one reservation of the bucket takes: max(1, floor(rate x window)). */
    public int mostAtOnce(Bucket account) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(account.perSecond() * windowSeconds)));
    }

    /**
     * Reserves between 1 and {@code wanted} slots of {@code account} in one round trip.
     *
     * @param recovery     what the account may recover of slots given up for lateness
     * @param organization the organization's own bucket, or null when it is not held to a share (or its turn is
     *                     already booked)
     * @param maxWaitNanos the latest the first slot may be, from now
     * @throws SQLException when the database did not answer
     */
    public Answer reserve(Bucket account, RecoveryBudget recovery, Bucket organization, int wanted, long maxWaitNanos)
            throws SQLException {
        return reserve(account, recovery, organization, wanted, maxWaitNanos, null);
    }

    /**
     * {@link #reserve(Bucket, RecoveryBudget, Bucket, int, long)} with a statement of the caller's before it, in the
     * same round trip and transaction ({@link WithReservation}); null: none.
     */
    public Answer reserve(Bucket account, RecoveryBudget recovery, Bucket organization, int wanted, long maxWaitNanos,
                          WithReservation before) throws SQLException {
        if (wanted < 1) {
            throw new IllegalArgumentException("at least one slot: " + wanted);
        }
        int asked = Math.min(wanted, mostAtOnce(account));
        long spacing = account.spacingMicros();
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement s = c.prepareStatement(before == null ? RESERVE : before.sql() + ";\n" + RESERVE)) {
            int p = before == null ? 0 : before.binder().bind(c, s, 0);
            s.setString(p + 1, account.key());
            s.setLong(p + 2, spacing);
            s.setInt(p + 3, asked);
            s.setLong(p + 4, Math.max(0, maxWaitNanos / 1000));
            s.setLong(p + 5, recovery.any() ? recovery.spacingMicros() : 0);
            s.setString(p + 6, organization == null ? null : organization.key());
            s.setLong(p + 7, organization == null ? 0 : organization.spacingMicros());
            long asking = clock.getAsLong();
            s.setLong(p + 8, leadNanos(account, asking) / 1000);
            try (ResultSet rs = results(s, before != null)) {
                rs.next();
                int slots = rs.getInt(1);
                long first = rs.getLong(2);
                long extra = rs.getLong(3);
                boolean recovered = !rs.wasNull();
                long gate = rs.getLong(4);
                boolean gated = !rs.wasNull();
                DatabaseClock.Reading reading = dbClock.observe(
                        new DatabaseClock.Reading(asking, clock.getAsLong(), rs.getLong(5)));
                if (gated) {
                    return new Gated(DatabaseClock.local(reading, gate), gate);
                }
                if (slots == 0 && !recovered) {
                    return new TooFar();
                }
                int n = slots + (recovered ? 1 : 0);
                long[] micros = new long[n];
                long[] nanos = new long[n];
                int i = 0;
                if (recovered) {
                    micros[i++] = extra;
                }
                for (int k = 0; k < slots; k++) {
                    micros[i++] = first + k * spacing;
                }
                if (reading.roundTrip() > CLOCK_ERROR_BOUND_MICROS * 1000) {
                    reading = readAgain(c, reading);
                }
                for (int k = 0; k < n; k++) {
                    nanos[k] = DatabaseClock.local(reading, micros[k]);
                }
                return new Reserved(nanos, micros, recovered, reading.roundTrip(),
                        DatabaseClock.local(reading, rs.getLong(6)));
            }
        }
    }

    /** The reservation's row: the statement's only result, or the one after the caller's statement's count. */
    private static ResultSet results(PreparedStatement s, boolean afterAnother) throws SQLException {
        if (!afterAnother) {
            return s.executeQuery();
        }
        boolean resultSet = s.execute();
        while (!resultSet) {
            if (s.getUpdateCount() == -1) {
                throw new SQLException("the reservation returned no row");
            }
            resultSet = s.getMoreResults();
        }
        return s.getResultSet();
    }

    /** Reads the database's clock again until the best reading is within the bound (or after a few tries). */
    private DatabaseClock.Reading readAgain(Connection c, DatabaseClock.Reading best) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(CLOCK)) {
            for (int i = 0; i < CLOCK_READS && best.roundTrip() > CLOCK_ERROR_BOUND_MICROS * 1000; i++) {
                long asking = clock.getAsLong();
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    best = dbClock.observe(new DatabaseClock.Reading(asking, clock.getAsLong(), rs.getLong(1)));
                }
            }
        }
        return best;
    }

    /**
     * Sleeps until the slot. True when this thread woke up within max-lateness of it; the slot is then held for the
     * request's on-the-wire check ({@link RateSlot}). False when it woke up later: the slot must be given up.
     *
     * @throws SendRateLimiter.RateLimitTimeout when the thread was interrupted (nothing may go out)
     */
    public boolean await(long slotAtNanos) {
        long now = sleepUntil(slotAtNanos);
        if (now - slotAtNanos > maxLatenessNanos) {
            return false;
        }
        RateSlot.hold(sendBy(slotAtNanos));
        return true;
    }

    /**
     * {@link #await(long)} for a slot of a reservation the database placed at {@code placedNanos}
     * ({@link Reserved#placedNanos}): the time from then to now, when the sender is ready for the slot, is what the
     * next reservations place their first slot ahead by ({@link SlotLead}).
     */
    public boolean await(long slotAtNanos, long placedNanos) {
        long ready = clock.getAsLong();
        lead.observe(ready, ready - placedNanos);
        return await(slotAtNanos);
    }

    /**
     * Gives a ticket the slot at {@code slotAtNanos} of a reservation the database placed at {@code placedNanos}
     * ({@link Reserved#placedNanos}): when the request's thread takes the slot up, the time from placement to then is
     * what the next reservations place their first slot ahead by ({@link SlotLead}).
     */
    public void give(SlotTicket ticket, long slotAtNanos, long placedNanos) {
        ticket.give(slotAtNanos, sendBy(slotAtNanos), woken -> lead.observe(woken, woken - placedNanos));
    }

    /**
     * How far ahead of the database's clock the next reservation of {@code account} places its first slot (see
     * {@link SlotLead}); the one place that decides it, for the reservation and for the caller timing its next one.
     */
    public long leadNanos(Bucket account) {
        return leadNanos(account, clock.getAsLong());
    }

    /**
     * Ahead only where the account's slots are closer together than max-lateness: there the slots behind a stale one
     * are stale too, and its sender gives them all up. At lower rates a slot placed at "now" is free and only that one
     * is at risk; placing it later would leave the account's time before it unused. The lead is the longest recent
     * delay less half of max-lateness: a sender ready up to that much after its slot is still in time, and every
     * millisecond of lead delays the slots of a sender that is ready sooner.
     */
    private long leadNanos(Bucket account, long now) {
        if (account.spacingMicros() * 1000 >= maxLatenessNanos) {
            return 0;
        }
        return Math.max(0, lead.nanos(now) - maxLatenessNanos / 2);
    }

    /** The latest moment a request of this slot may go on the wire. */
    public long sendBy(long slotAtNanos) {
        return slotAtNanos + maxLatenessNanos;
    }

    /**
     * Sleeps until {@code atNanos} on this instance's clock.
     *
     * @return the clock when awake
     */
    long sleepUntil(long atNanos) {
        long now = clock.getAsLong();
        while (now - atNanos < 0) {
            LockSupport.parkNanos(atNanos - now);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new SendRateLimiter.RateLimitTimeout();
            }
            now = clock.getAsLong();
        }
        return now;
    }

    /**
     * A slot of {@code account} given up for lateness (nothing went out in it): a credit the account may recover
     * within {@link RecoveryBudget#CREDIT_LIFE}, at most {@link RecoveryBudget#perWindow()} kept. Nothing to do (no
     * round trip) when the account has no room for recovered slots; a failure only loses the credit.
     */
    public void giveBack(Bucket account, RecoveryBudget recovery) {
        giveBack(account, recovery, 1);
    }

    /** {@link #giveBack} of several slots in one statement. */
    public void giveBack(Bucket account, RecoveryBudget recovery, int slots) {
        WithReservation giving = givingBack(account, recovery, slots);
        if (giving == null) {
            return;
        }
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement s = c.prepareStatement(giving.sql())) {
            giving.binder().bind(c, s, 0);
            s.executeUpdate();
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Could not give a late rate slot back; it is lost", e);
        }
    }

    /**
     * {@link #giveBack} of {@code slots} given-up slots as a statement to go with a reservation of the same account
     * ({@link WithReservation}: in its round trip and transaction, just before it, so that reservation may already
     * recover them). Null when there is nothing to give back.
     */
    public WithReservation givingBack(Bucket account, RecoveryBudget recovery, int slots) {
        if (!recovery.any() || slots <= 0) {
            return null;
        }
        return new WithReservation(GIVE_BACK, (c, s, after) -> {
            s.setInt(after + 1, recovery.perWindow());
            s.setInt(after + 2, slots);
            s.setLong(after + 3, RecoveryBudget.CREDIT_LIFE.toNanos() / 1000);
            s.setString(after + 4, account.key());
            return 4;
        });
    }
}
