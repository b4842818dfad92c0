package dev.senders.infrastructure.ratelimit;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.metrics.SendersMetrics;
import dev.senders.infrastructure.persistence.SendersDatabase;
import io.github.bucket4j.BlockingStrategy;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Locale;

/**
 * Provider rate limits that hold for the whole platform: one token bucket per provider account, kept in PostgreSQL
 * by Bucket4j, so every thread, campaign and cluster member draws from the same budget.
 *
 * <p>Tokens are <em>reserved</em>: a sender takes the next free slot of the bucket in one database round trip and
 * sleeps until that slot, so slots are handed out exactly 1/rate apart, in the order senders asked, whoever wakes up
 * late. (Polling for a free token instead left each slot late by a wake-up and a round trip: 2.5% of the rate.)
 *
 * <p>Fairness between organizations, without idling the provider: an organization alone on a provider account may use
 * its whole rate; while another organization is sending through it too ({@link SendingOrganizations}), each is also
 * held to its own bucket at {@code senders.rate.organization-share} (default 0.8) of the rate, so one organization's
 * large campaign never takes the whole budget from the others.
 *
 * <p>Buckets hold one token (no bursts): sends are spaced 1/rate apart, so no 1-second window sees more than the rate.
 * A sender more than {@code senders.rate.max-lateness} (PT0.015S) late for its slot, when it wakes up or when its
 * request is about to go on the wire ({@link RateSlot}), gives the slot up and reserves another.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class SendRateLimiter {

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
    SendingOrganizations sending;

    @Inject
    SendersMetrics metrics;

    private ProxyManager<String> buckets;

    /** The most of a provider's rate one organization may take while another one sends too (1: no such limit). */
    public double organizationShare() {
        return Math.min(1.0, organizationShare);
    }

    @PostConstruct
    void init() {
        buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("senders_rate_buckets")
                .idColumn("id")
                .stateColumn("state")
                .build();
    }

    /**
     * Waits for a token of the provider (and, while other organizations send too, of the organization's share of it).
     *
     * @return the time waited
     * @throws RateLimitTimeout when no token came within {@code senders.rate.max-wait}
     */
    public Duration acquire(ProviderName provider, String organizationId, double ratePerSecond) {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        String rate = String.format(Locale.ROOT, "%.3f", ratePerSecond);
        String shared = "provider:" + provider.wire() + ":" + rate;
        if (organizationShare < 1.0 && sending.othersSending(shared, organizationId)) {
            take(bucket("org:" + provider.wire() + ":" + organizationId + ":" + rate,
                    ratePerSecond * organizationShare), deadline, Long.MAX_VALUE, new SlotClock());
        }
        long lateness = maxLateness.toNanos();
        SlotClock slot = new SlotClock();
        int late = take(bucket(shared, ratePerSecond), deadline, lateness, slot);
        if (late > 0) {
            metrics.lateSlots(provider.wire(), late);
        }
        RateSlot.hold(slot.at + lateness);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private BucketProxy bucket(String key, double perSecond) {
        long spacing = (long) (1_000_000_000L / perSecond);
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofNanos(spacing)))
                .build();
        return buckets.getProxy(key, () -> configuration);
    }

    /**
     * Reserves the bucket's next free slot, if it comes before the deadline, and sleeps until it. A sender that wakes
     * up more than {@code lateness} after its slot (a pause of its JVM, a starved CPU) gives the slot up and reserves
     * the next one: sent late, it would arrive closer than 1/rate to the sends after it.
     */
    private static int take(BucketProxy bucket, long deadline, long lateness, SlotClock slot) {
        for (int late = 0; ; late++) {
            long asked = System.nanoTime();
            long left = deadline - asked;
            slot.at = asked;
            try {
                if (left <= 0 || !bucket.asBlocking().tryConsume(1, left, slot)) {
                    throw new RateLimitTimeout();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RateLimitTimeout();
            }
            if (System.nanoTime() - slot.at <= lateness) {
                return late;
            }
        }
    }

    /** Parks like Bucket4j's default, remembering when the reserved slot is (when it was asked, if free at once). */
    private static final class SlotClock implements BlockingStrategy {
        long at;

        @Override
        public void park(long nanos) throws InterruptedException {
            at = System.nanoTime() + nanos;
            PARKING.park(nanos);
        }
    }

    /** No token within the maximum wait: the send is retryable later, never lost. */
    public static class RateLimitTimeout extends RuntimeException {
        public RateLimitTimeout() {
            super("the provider's rate limit did not free up in time", null, false, false);
        }
    }
}
