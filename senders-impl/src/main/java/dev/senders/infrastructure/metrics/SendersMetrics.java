package dev.senders.infrastructure.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The module's MicroProfile Metrics (served by the server at /metrics, application scope): emails by provider and
 * outcome, throttles and retries, rate-limit waits, the time of each stage of a send, verification runs, webhook
 * events and rejections, suppressions, organizations by reputation state and their transitions.
 */
@ApplicationScoped
public class SendersMetrics {

    @Inject
    MetricRegistry registry;

    /** The webhook's timers, looked up once (a registry lookup by name and tags costs more than the update). */
    private final Map<String, Timer> webhookStages = new ConcurrentHashMap<>();

    public void emailSent(String provider, String outcome) {
        registry.counter("senders.emails", tag("provider", provider), tag("outcome", outcome)).inc();
    }

    /** Provider resolution: "hit" (the cached copy is current), "miss" (read from the database), "no-grid". */
    public void routing(String result) {
        registry.counter("senders.routing.lookups", tag("result", result)).inc();
    }

    public void throttled(String provider) {
        registry.counter("senders.throttles", tag("provider", provider)).inc();
    }

    public void retried(String provider) {
        registry.counter("senders.retries", tag("provider", provider)).inc();
    }

    public void rateLimitWait(String provider, Duration waited) {
        registry.timer("senders.rate.limit.wait", tag("provider", provider)).update(waited);
    }

    /**
     * Time a send spent in one stage of the send path: {@code routing} (provider resolution), {@code checks} (the
     * idempotency record and the suppression list), {@code rate} (the rate limit, waiting included), {@code provider}
     * (the provider's API call) and {@code record} (the record of the outcome).
     */
    public void sendStage(String provider, String stage, long nanos) {
        registry.timer("senders.send.stage", tag("provider", provider), tag("stage", stage))
                .update(Duration.ofNanos(nanos));
    }

    /** A stage a batch of {@code messages} went through together: each message's share, once per message. */
    public void sendStage(String provider, String stage, long nanos, int messages) {
        if (messages <= 0) {
            return;
        }
        var timer = registry.timer("senders.send.stage", tag("provider", provider), tag("stage", stage));
        Duration share = Duration.ofNanos(nanos / messages);
        for (int i = 0; i < messages; i++) {
            timer.update(share);
        }
    }

    /** Rate-limit slots given up because the sender woke up too late to send in them. */
    public void lateSlots(String provider, int slots) {
        registry.counter("senders.rate.limit.late.slots", tag("provider", provider)).inc(slots);
    }

    public void verificationRun(int checked, int changed) {
        registry.counter("senders.verification.runs").inc();
        registry.counter("senders.verification.checked").inc(checked);
        registry.counter("senders.verification.changed").inc(changed);
    }

    /**
     * Time an SNS notification spent in one stage of the webhook: {@code parse} (the SNS message and the SES event
     * it carries), {@code verify} (topic, age, certificate URL, certificate and signature), {@code store} (the
     * MessageId, the event rows and any suppression, committed) and {@code events} (the CDI events to the host, its
     * observers included).
     */
    public void webhookStage(String stage, long nanos) {
        webhookStages.computeIfAbsent(stage, s -> registry.timer("senders.webhook.stage", tag("stage", s)))
                .update(Duration.ofNanos(nanos));
    }

    public void webhookEvent(String type) {
        registry.counter("senders.webhook.events", tag("type", type)).inc();
    }

    public void webhookRejected(String reason) {
        registry.counter("senders.webhook.rejected", tag("reason", reason)).inc();
    }

    public void suppressed(String type) {
        registry.counter("senders.suppressions", tag("type", type)).inc();
    }

    /** An organization's reputation changed to {@code state} (ok, warning, paused) on this instance. */
    public void reputationTransition(String state) {
        registry.counter("senders.reputation.transitions", tag("state", state)).inc();
    }

    /**
     * The gauge {@code senders_organizations{state}}: how many organizations are in the state, cluster-wide (every
     * instance reports the same figure, read from the database).
     */
    public void organizationsGauge(String state, java.util.function.Supplier<Long> count) {
        registry.gauge("senders.organizations", count, tag("state", state));
    }

    private static Tag tag(String name, String value) {
        return new Tag(name, value == null ? "unknown" : value.toLowerCase(Locale.ROOT));
    }
}
