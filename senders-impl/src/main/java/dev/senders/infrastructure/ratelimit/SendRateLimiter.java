package dev.senders.infrastructure.ratelimit;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.persistence.SendersDatabase;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * Provider rate limits that hold for the whole platform: one token bucket per provider account, kept in PostgreSQL
 * by Bucket4j, so every thread, campaign and cluster member draws from the same budget.
 *
 * <p>Fairness between organizations: besides the provider's bucket, each organization has its own bucket at
 * {@code senders.rate.organization-share} (default 0.8) of the provider's rate, so one organization's large
 * campaign can never take the whole budget; at least 20% is always left for the others. Within that, waiting
 * senders take tokens as they come (one poll each), so concurrent campaigns share the rest evenly.
 *
 * <p>Buckets hold one token (no bursts): sends are spaced 1/rate apart, so no 1-second window sees more than the rate.
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

    private ProxyManager<String> buckets;
    private final AtomicLong waitedNanos = new AtomicLong();

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
     * Waits for a token of the provider (and of the organization's share of it).
     *
     * @return the time waited
     * @throws RateLimitTimeout when no token came within {@code senders.rate.max-wait}
     */
    public Duration acquire(ProviderName provider, String organizationId, double ratePerSecond) {
        long started = System.nanoTime();
        long deadline = started + maxWait.toNanos();
        String rate = String.format(Locale.ROOT, "%.3f", ratePerSecond);
        BucketProxy organization = organizationShare < 1.0
                ? bucket("org:" + provider.wire() + ":" + organizationId + ":" + rate, ratePerSecond * organizationShare)
                : null;
        BucketProxy shared = bucket("provider:" + provider.wire() + ":" + rate, ratePerSecond);
        if (organization != null) {
            take(organization, deadline);
        }
        take(shared, deadline);
        long waited = System.nanoTime() - started;
        waitedNanos.addAndGet(waited);
        return Duration.ofNanos(waited);
    }

    /** Total time senders have waited for tokens in this instance (for metrics). */
    public Duration totalWait() {
        return Duration.ofNanos(waitedNanos.get());
    }

    private BucketProxy bucket(String key, double perSecond) {
        long spacing = (long) (1_000_000_000L / perSecond);
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(1).refillGreedy(1, Duration.ofNanos(spacing)))
                .build();
        return buckets.getProxy(key, () -> configuration);
    }

    private static void take(BucketProxy bucket, long deadline) {
        while (true) {
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return;
            }
            long wait = probe.getNanosToWaitForRefill();
            if (System.nanoTime() + wait > deadline) {
                throw new RateLimitTimeout();
            }
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RateLimitTimeout();
            }
        }
    }

    /** No token within the maximum wait: the send is retryable later, never lost. */
    public static class RateLimitTimeout extends RuntimeException {
        public RateLimitTimeout() {
            super("the provider's rate limit did not free up in time", null, false, false);
        }
    }
}
