package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.ratelimit.RateHeadroom;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The send rate each provider allows, and the rate the module enforces: the limit times the provider's headroom
 * ({@link RateHeadroom}: 0.97 for SES, 0.92 for Resend). SES's limit is GetSendQuota's MaxSendRate (the whole AWS
 * account's), read again every {@code senders.rate.ses.refresh} (PT5M), unless {@code senders.rate.ses.per-second}
 * fixes it; Resend's is {@code senders.rate.resend.per-second} (2 requests a second, Resend's default team limit).
 *
 * <p>The quota is read once, whoever asks: threads that find it stale queue for one reading, and each one checks again
 * once it is its turn, so N threads make one GetSendQuota call and use the value it got.
 */
@ApplicationScoped
public class ProviderRates {

    private static final Logger LOG = Logger.getLogger(ProviderRates.class.getName());
    /** The account's rate when GetSendQuota never answered: SES's sandbox rate. */
    static final double SES_FALLBACK_LIMIT = 1.0;
    /** A failed reading is tried again this soon (or at the refresh period, when shorter). */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    @Inject
    SesGateway ses;

    @Inject
    RateHeadroom headroom;

    @Inject
    @ConfigProperty(name = "senders.rate.ses.per-second")
    Optional<Double> sesFixed;

    @Inject
    @ConfigProperty(name = "senders.rate.ses.refresh", defaultValue = "PT5M")
    Duration sesRefresh;

    @Inject
    @ConfigProperty(name = "senders.rate.resend.per-second", defaultValue = "2")
    double resendLimit;

    /** The SES limit as last read, and until when it is good ({@link System#nanoTime()}). */
    private record Quota(double maxSendRate, long goodUntil) {
    }

    private final Object reading = new Object();
    private volatile Quota sesQuota;

    /** The rate the module enforces for the provider: its limit times the headroom. */
    public double perSecond(ProviderName provider) {
        return limit(provider) * headroom.of(provider);
    }

    /** The provider's own limit: SES's MaxSendRate, Resend's requests a second. */
    public double limit(ProviderName provider) {
        return provider == ProviderName.SES ? sesLimit() : resendLimit;
    }

    private double sesLimit() {
        if (sesFixed.isPresent()) {
            return sesFixed.get();
        }
        Quota quota = sesQuota;
        if (quota != null && System.nanoTime() - quota.goodUntil() < 0) {
            return quota.maxSendRate();
        }
        synchronized (reading) {
            quota = sesQuota;
            if (quota == null || System.nanoTime() - quota.goodUntil() >= 0) {
                quota = readSes(quota);
                sesQuota = quota;
            }
            return quota.maxSendRate();
        }
    }

    private Quota readSes(Quota previous) {
        try {
            double max = ses.getSendQuota().maxSendRate();
            LOG.fine(() -> "SES MaxSendRate: " + max + "/s, enforced " + max * headroom.of(ProviderName.SES) + "/s");
            return new Quota(max, System.nanoTime() + sesRefresh.toNanos());
        } catch (RuntimeException e) {
            double kept = previous == null ? SES_FALLBACK_LIMIT : previous.maxSendRate();
            LOG.log(Level.WARNING, "Could not read the SES send quota; keeping MaxSendRate " + kept + "/s", e);
            Duration retry = sesRefresh.compareTo(RETRY_AFTER_FAILURE) < 0 ? sesRefresh : RETRY_AFTER_FAILURE;
            return new Quota(kept, System.nanoTime() + retry.toNanos());
        }
    }
}
