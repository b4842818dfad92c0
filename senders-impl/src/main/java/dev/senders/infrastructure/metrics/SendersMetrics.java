package dev.senders.infrastructure.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.metrics.Counter;
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

    /**
     * Counters and timers by name and tag values, each looked up in the registry once: a registry lookup by name and
     * tags (a MetricID built, its tags validated) costs more than the update, and a send updates several (JFR of bench
     * figure 15.2: the routing counter's lookups alone were 2-3% of a send's samples).
     */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public void emailSent(String provider, String outcome) {
        counter("senders.emails", "provider", provider, "outcome", outcome).inc();
    }

    /** Provider resolution: "hit" (the cached copy is current), "miss" (read from the database), "no-grid". */
    public void routing(String result) {
        counter("senders.routing.lookups", "result", result).inc();
    }

    public void throttled(String provider) {
        counter("senders.throttles", "provider", provider).inc();
    }

    public void retried(String provider) {
        counter("senders.retries", "provider", provider).inc();
    }

    public void rateLimitWait(String provider, Duration waited) {
        timer("senders.rate.limit.wait", "provider", provider).update(waited);
    }

    /**
     * Time a send spent in one stage of the send path: {@code routing} (provider resolution), {@code checks} (the
     * idempotency record and the suppression list), {@code rate} (the rate limit, waiting included), {@code provider}
     * (the provider's API call) and {@code record} (the record of the outcome).
     */
    public void sendStage(String provider, String stage, long nanos) {
        timer("senders.send.stage", "provider", provider, "stage", stage).update(Duration.ofNanos(nanos));
    }

    /** A stage a batch of {@code messages} went through together: each message's share, once per message. */
    public void sendStage(String provider, String stage, long nanos, int messages) {
        if (messages <= 0) {
            return;
        }
        Timer timer = timer("senders.send.stage", "provider", provider, "stage", stage);
        Duration share = Duration.ofNanos(nanos / messages);
        for (int i = 0; i < messages; i++) {
            timer.update(share);
        }
    }

    /** Rate-limit slots given up because the sender woke up too late to send in them. */
    public void lateSlots(String provider, int slots) {
        counter("senders.rate.limit.late.slots", "provider", provider).inc(slots);
    }

    public void verificationRun(int checked, int changed) {
        counter("senders.verification.runs").inc();
        counter("senders.verification.checked").inc(checked);
        counter("senders.verification.changed").inc(changed);
    }

    /**
     * Time an SNS notification spent in one stage of the webhook: {@code parse} (the SNS message and the SES event
     * it carries), {@code verify} (topic, age, certificate URL, certificate and signature), {@code store} (the
     * MessageId, the event rows and any suppression, committed) and {@code events} (the CDI events to the host, its
     * observers included).
     */
    public void webhookStage(String stage, long nanos) {
        timer("senders.webhook.stage", "stage", stage).update(Duration.ofNanos(nanos));
    }

    public void webhookEvent(String type) {
        counter("senders.webhook.events", "type", type).inc();
    }

    public void webhookRejected(String reason) {
        counter("senders.webhook.rejected", "reason", reason).inc();
    }

    public void suppressed(String type) {
        counter("senders.suppressions", "type", type).inc();
    }

    /** An organization's reputation changed to {@code state} (ok, warning, paused) on this instance. */
    public void reputationTransition(String state) {
        counter("senders.reputation.transitions", "state", state).inc();
    }

    /**
     * The gauge {@code senders_organizations{state}}: how many organizations are in the state, cluster-wide (every
     * instance reports the same figure, read from the database).
     */
    public void organizationsGauge(String state, java.util.function.Supplier<Long> count) {
        registry.gauge("senders.organizations", count, tag("state", state));
    }

    /** The counter of {@code name} with tags given as name, value, name, value...; registered on first use. */
    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(key(name, tags), k -> registry.counter(name, tags(tags)));
    }

    /** The timer of {@code name} with tags given as name, value, name, value...; registered on first use. */
    private Timer timer(String name, String... tags) {
        return timers.computeIfAbsent(key(name, tags), k -> registry.timer(name, tags(tags)));
    }

    private static String key(String name, String... tags) {
        StringBuilder key = new StringBuilder(name);
        for (int i = 0; i < tags.length; i += 2) {
            key.append('\u0000').append(tags[i]).append('=').append(value(tags[i + 1]));
        }
        return key.toString();
    }

    private static Tag[] tags(String... tags) {
        Tag[] out = new Tag[tags.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = tag(tags[2 * i], tags[2 * i + 1]);
        }
        return out;
    }

    private static Tag tag(String name, String value) {
        return new Tag(name, value(value));
    }

    /**
     * A tag's value as registered: lower case, "unknown" for none (the cache's key is made without a {@link Tag}, whose
     * constructor checks its name).
     */
    private static String value(String value) {
        return value == null ? "unknown" : value.toLowerCase(Locale.ROOT);
    }
}
