package dev.senders.infrastructure.ratelimit;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.metrics.SendersMetrics;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Provider rate limits that hold for the whole platform: one schedule of rate slots per provider account, kept in
 * PostgreSQL ({@link SlotSchedule}), so every thread, campaign and cluster member draws from the same budget.
 *
 * <p><b>Reservation.</b> A sender reserves the account's next free slots (1 to n, 1/rate apart) in one autocommitted
 * statement on the database's clock and sleeps until each. A reservation books at most
 * {@code senders.rate.reservation-window} (PT0.2S) of the rate, so a low-rate account is never booked seconds ahead
 * and fairness between senders stays fine-grained. This replaced Bucket4j: its PostgreSQL bucket is a transaction of
 * three round trips (SELECT ... FOR UPDATE, UPDATE, COMMIT) holding the row throughout, and the bucket's time is read
 * on the client before it (so a reservation that waited for the row was placed early). Measured on this project's
 * 2-core machine, under load, one bucket, pooled connections: Bucket4j 4,759 / 3,093 / 3,592 reservations a second
 * with 1 / 4 / 16 threads (p99 3.0 / 12.9 / 46.6 ms), the single statement 6,609 / 16,523 / 19,372 (p99 2.8 / 3.0 /
 * 9.8 ms).
 *
 * <p><b>Lateness.</b> SES counts requests as they arrive, so a request more than {@code senders.rate.max-lateness}
 * (PT0.015S) after its slot, when its sender wakes up ({@link #await}) or just before it goes on the wire
 * ({@link RateSlot}), gives its slot up and its sender reserves another: sent late, it would arrive too close to the
 * requests after it.
 A reservation places its first slot ahead of the database's "now" by the time senders of this instance
 * recently took from the placement to being ready for the slot ({@link SlotLead}), so that on a busy machine a slot is
 * not already stale when its sender gets it.
 *
 * <p><b>Given-up slots are recovered where the limit has room</b> ({@link #missed}). A given-up slot becomes a credit
 * of the account; while credits last and the account is booked ahead, a reservation gets one recovered slot placed now,
 * between booked ones, at most E every 1 + D seconds, with E = floor(R) - ceil(r(1 + D)), R the provider's limit
 * (the enforced rate r over its headroom) and D = max-lateness + {@code senders.rate.recovery-margin} (PT0.005S): the
 * recovered slots never put more than R in any sliding second as long as requests reach the provider within D of
 * their slots ({@link RecoveryBudget} has the argument). At headroom 0.97 that is nothing at R = 14 or 50, 2 a second
 * at R = 200 and 5 at R = 500. A late request and a recovered slot draw on the same headroom, which is why there is
 * no room at low rates and only a little at high ones.
 *
 * <p><b>Fairness between organizations, without idling the provider.</b> An organization alone on a provider account
 * may use its whole rate; while another organization is sending through it too ({@link SendingOrganizations}), each
 * is also held to its own bucket at {@code senders.rate.organization-share} (default 0.8) of the rate, in the same
 * statement: a reservation takes the organization's next turn, 1/(rate x share) apart. When that turn is later than
 * the account's next free slot, the turn is booked and the sender reserves the account's slots at it (a second round
 * trip), so the account's slots in between stay free for the others.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class SendRateLimiter {

    private static final Logger LOG = Logger.getLogger(SendRateLimiter.class.getName());

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "senders.rate.organization-share", defaultValue = "0.8")
    double organizationShare;

    @Inject
    @ConfigProperty(name = "senders.rate.max-wait", defaultValue = "PT60S")
    Duration maxWait;

    @Inject
    @ConfigProperty(name = "senders.rate.max-lateness", defaultValue = "PT0.015S")
    Duration maxLateness;

    @Inject
    @ConfigProperty(name = "senders.rate.reservation-window", defaultValue = "PT0.2S")
    Duration reservationWindow;

    @Inject
    @ConfigProperty(name = "senders.rate.recovery-margin", defaultValue = "PT0.005S")
    Duration recoveryMargin;

    @Inject
    SendingOrganizations sending;

    @Inject
    RateHeadroom headroom;

    @Inject
    SendersMetrics metrics;

    private SlotSchedule schedule;

    /**
     * Slots reserved for one sender, ascending, on {@link System#nanoTime()}. Regular slots are 1/rate apart; a
     * recovered one (see the class comment) may come first, closer to the next.
     */
    public record Slots(long[] atNanos, long placedNanos) {
        public int count() {
            return atNanos.length;
        }
    }

    @PostConstruct
    void init() {
        schedule = new SlotSchedule(dataSource, System::nanoTime, maxLateness, reservationWindow);
    }

    /**
     * The most slots one reservation at this rate gets: max(1, floor(rate x reservation-window)). A reservation gets
     * all the slots it asks for up to this, or none ({@link RateLimitTimeout}).
     */
    public int mostAtOnce(ProviderName provider, double ratePerSecond) {
        return schedule.mostAtOnce(account(provider, ratePerSecond));
    }

    /** The most of a provider's rate one organization may take while another one sends too (1: no such limit). */
    public double organizationShare() {
        return Math.min(1.0, organizationShare);
    }

    /**
     * Reserves between 1 and {@code wanted} slots of the provider account in one round trip (two when the
     * organization's share is used up: the second at its next turn): fewer when the rate is low, at most
     * max(1, floor(rate x reservation-window)).
     *
     * @param ratePerSecond the enforced rate (the provider's limit times its headroom)
     * @throws RateLimitTimeout when the first slot would be later than {@code senders.rate.max-wait}
     */
    public Slots reserve(ProviderName provider, String organizationId, double ratePerSecond, int wanted) {
        return reserve(provider, organizationId, ratePerSecond, wanted, (WithReservation) null);
    }

    /**
     * {@link #reserve(ProviderName, String, double, int)} with the caller's statement in the first reservation's round
     * trip and transaction ({@link WithReservation}): it is written, or the reservation fails with
     * {@link RateLimitUnavailable} and takes no slot.
     */
    public Slots reserve(ProviderName provider, String organizationId, double ratePerSecond, int wanted,
                         WithReservation before) {
        return reserve(provider, organizationId, ratePerSecond, wanted, System.nanoTime() + maxWait.toNanos(), before);
    }

    private Slots reserve(ProviderName provider, String organizationId, double ratePerSecond, int wanted,
                          long deadline, WithReservation before) {
        SlotSchedule.Bucket account = account(provider, ratePerSecond);
        SlotSchedule.Bucket organization = organizationShare < 1.0
                && sending.othersSending(account.key(), organizationId)
                ? new SlotSchedule.Bucket("org:" + provider.wire() + ":" + organizationId,
                ratePerSecond * organizationShare)
                : null;
        RecoveryBudget recovery = recovery(provider, ratePerSecond);
        while (true) {
            SlotSchedule.Answer answer;
            try {
                answer = schedule.reserve(account, recovery, organization, wanted, deadline - System.nanoTime(),
                        before);
                before = null; // written with the first answer, whatever it is
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "Could not reserve a rate slot: " + e.getMessage(), e);
                throw new RateLimitUnavailable();
            }
            if (answer instanceof SlotSchedule.Reserved reserved) {
                return new Slots(reserved.atNanos(), reserved.placedNanos());
            }
            if (answer instanceof SlotSchedule.Gated gated) {
                // the organization's turn is booked: at it, the account's slots without the organization
                schedule.sleepUntil(gated.untilNanos());
                organization = null;
                continue;
            }
            throw new RateLimitTimeout();
        }
    }

    /**
     * Sleeps until the slot. True when the thread woke up in time (within {@code senders.rate.max-lateness}): it then
     * holds the slot for the SES client's on-the-wire check ({@link RateSlot}). False when it woke up too late: the
     * caller gives the slot back ({@link #missed}) and reserves another.
     */
    public boolean await(long slotAtNanos) {
        return schedule.await(slotAtNanos);
    }

    /**
     * {@link #await(long)} for a slot of {@code slots}: also tells the schedule how long after the database placed
     * them this sender was ready, so that later reservations place their slots that far ahead and they are not stale
     * when they arrive ({@link SlotLead}).
     */
    public boolean await(long slotAtNanos, Slots slots) {
        return schedule.await(slotAtNanos, slots.placedNanos());
    }

    /**
     * Gives a ticket a slot of {@code slots}: its request, built, signed and waiting just before the wire
     * ({@link RateSlot#holdUntilGiven}), goes out at the slot, or gives it up there when it is too late for it
     * ({@link RateSlot#claim} throws {@link RateSlot.Missed}: the caller then gives the slot back and reserves
     * another). The time from placement to the request's thread taking the slot up tunes how far ahead later
     * reservations are placed ({@link SlotLead}).
     */
    public void give(SlotTicket ticket, long slotAtNanos, Slots slots) {
        schedule.give(ticket, slotAtNanos, slots.placedNanos());
    }

    /**
     * How far ahead of the database's clock this instance's next reservation for the provider's account places its
     * first slot (0 where its slots are farther apart than max-lateness).
     */
    public long leadNanos(ProviderName provider, double ratePerSecond) {
        return schedule.leadNanos(account(provider, ratePerSecond));
    }

    /** The latest {@link System#nanoTime()} a request of that slot may go on the wire (slot + max-lateness). */
    public long sendBy(long slotAtNanos) {
        return schedule.sendBy(slotAtNanos);
    }

    /**
     * A slot given up for lateness (by {@link #await}, or by the SES client's on-the-wire check throwing
     * {@link RateSlot.Missed}): nothing went out in it. Counted in {@code senders_rate_limit_late_slots_total}, and
     * given back to the cluster as a credit the provider account recovers where its limit has room (class comment).
     */
    public void missed(ProviderName provider, double ratePerSecond, long slotAtNanos) {
        metrics.lateSlots(provider.wire(), 1);
        schedule.giveBack(account(provider, ratePerSecond), recovery(provider, ratePerSecond));
    }

    /**
     * Slots a batch gave up for lateness, to be given back with its next reservation ({@link #givingBack}) rather
     * than one round trip each: counted now in {@code senders_rate_limit_late_slots_total}.
     */
    public void missedInBatch(ProviderName provider, int slots) {
        metrics.lateSlots(provider.wire(), slots);
    }

    /**
     * The give-back of slots counted with {@link #missedInBatch}, as a statement to send with the batch's next
     * reservation of the provider's account (in its round trip and transaction, so that reservation may already
     * recover them); null when the account has no room for recovered slots.
     */
    public WithReservation givingBack(ProviderName provider, double ratePerSecond, int slots) {
        return schedule.givingBack(account(provider, ratePerSecond), recovery(provider, ratePerSecond), slots);
    }

    /** The give-back of slots counted with {@link #missedInBatch} when no reservation follows: one statement. */
    public void giveBack(ProviderName provider, double ratePerSecond, int slots) {
        schedule.giveBack(account(provider, ratePerSecond), recovery(provider, ratePerSecond), slots);
    }

    /**
     * One slot for a single send: reserves it, sleeps until it and, when too late for it, gives it back and takes the
     * next. The thread then holds the slot ({@link RateSlot}).
     *
     * @return the time waited
     * @throws RateLimitTimeout when no slot came within {@code senders.rate.max-wait}
     */
    public Duration acquire(ProviderName provider, String organizationId, double ratePerSecond) {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        while (true) {
            Slots slots = reserve(provider, organizationId, ratePerSecond, 1, deadline, null);
            long slot = slots.atNanos()[0];
            if (await(slot, slots)) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            missed(provider, ratePerSecond, slot);
        }
    }

    private static SlotSchedule.Bucket account(ProviderName provider, double ratePerSecond) {
        return new SlotSchedule.Bucket("provider:" + provider.wire(), ratePerSecond);
    }

    private RecoveryBudget recovery(ProviderName provider, double ratePerSecond) {
        return RecoveryBudget.of(ratePerSecond / headroom.of(provider), ratePerSecond,
                maxLateness.plus(recoveryMargin));
    }

    /** No slot within the maximum wait: the send is retryable later, never lost. */
    public static class RateLimitTimeout extends RuntimeException {
        public RateLimitTimeout() {
            this("the provider's rate limit did not free up in time");
        }

        RateLimitTimeout(String message) {
            super(message, null, false, false);
        }
    }

    /** The rate slots could not be read (the database did not answer): nothing is sent; retryable. */
    public static class RateLimitUnavailable extends RateLimitTimeout {
        public RateLimitUnavailable() {
            super("the provider's rate limit could not be reached; nothing was sent");
        }
    }
}
