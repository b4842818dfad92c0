package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.ratelimit.RateSlot;
import dev.senders.infrastructure.ratelimit.SendRateLimiter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * What every send goes through, whatever the provider: the idempotency record (a message already sent is not sent
 * again), the suppression list, the platform-wide rate limit, backoff on throttling, and the record of the outcome.
 */
@ApplicationScoped
public class ProviderSend {

    private static final StructuredLog EVENTS = StructuredLog.of(ProviderSend.class);

    /** A server this overloaded sends nothing more now; the send is retryable (the host re-queues it). */
    static final int MAX_MISSED_SLOTS = 20;

    @Inject
    SendLog log;

    @Inject
    SendChecks checks;

    @Inject
    SendRateLimiter limiter;

    @Inject
    ProviderRates rates;

    @Inject
    dev.senders.infrastructure.metrics.SendersMetrics metrics;

    @Inject
    @ConfigProperty(name = "senders.sending.throttle-retries", defaultValue = "3")
    int throttleRetries;

    public SendResult send(ProviderName provider, EmailMessage message, String fromAddress,
                           Supplier<SendResult> call) {
        long started = System.nanoTime();
        SendChecks.Before before = checks.before(message);
        metrics.sendStage(provider.wire(), "checks", System.nanoTime() - started);
        if (before.earlier().isPresent()) {
            return before.earlier().get();
        }
        if (before.suppressed()) {
            SendResult suppressed = SendResult.suppressed(provider, message.to() + " is on the suppression list");
            log.record(message, fromAddress, suppressed);
            metrics.emailSent(provider.wire(), "suppressed");
            return suppressed;
        }
        SendResult result;
        int missed = 0;
        for (int attempt = 0; ; ) {
            try {
                Duration waited = limiter.acquire(provider, message.organizationId(), rates.perSecond(provider));
                metrics.rateLimitWait(provider.wire(), waited);
                metrics.sendStage(provider.wire(), "rate", waited.toNanos());
            } catch (SendRateLimiter.RateLimitTimeout e) {
                result = SendResult.failed(provider, e.getMessage(), true, null);
                break;
            }
            long calling = System.nanoTime();
            try {
                result = call.get();
                metrics.sendStage(provider.wire(), "provider", System.nanoTime() - calling);
            } catch (RateSlot.Missed late) {
                metrics.lateSlots(provider.wire(), 1);
                if (++missed < MAX_MISSED_SLOTS) {
                    continue; // nothing went out: a new slot, the same attempt
                }
                result = SendResult.failed(provider, "this server was too slow to send in " + MAX_MISSED_SLOTS
                        + " rate-limit slots in a row; nothing was sent", true, null);
                break;
            } finally {
                RateSlot.release();
            }
            if (!throttled(result)) {
                break;
            }
            metrics.throttled(provider.wire());
            if (attempt == throttleRetries) {
                break;
            }
            backoff(attempt++);
            metrics.retried(provider.wire());
        }
        long recording = System.nanoTime();
        log.record(message, fromAddress, result);
        metrics.sendStage(provider.wire(), "record", System.nanoTime() - recording);
        metrics.emailSent(provider.wire(), result.status().name());
        if (result.status() == SendResult.Status.FAILED) {
            EVENTS.warning("send.failed").organization(message.organizationId())
                    .field("campaign", message.campaignId()).field("provider", provider.wire())
                    .field("retryable", result.retryable()).field("error", result.error()).log();
        }
        return result;
    }

    /** The provider said to slow down (SES Throttling); Resend's 429 is already retried by its client. */
    static boolean throttled(SendResult result) {
        return result.status() == SendResult.Status.FAILED && result.retryable() && result.error() != null
                && result.error().contains("Throttling");
    }

    private static void backoff(int attempt) {
        try {
            Thread.sleep(Math.min(2000L, 200L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
