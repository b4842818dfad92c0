package dev.senders.infrastructure.sns;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The SNS webhook's settings (MicroProfile Config, read once at startup).
 * <ul>
 *     <li>{@code senders.sns.allowed-topic-arns}: the topics whose messages are accepted, comma separated; messages of
 *     any other topic get 403 and nothing is stored or fetched. {@code senders.sns.event-topic-arn} is always allowed
 *     too. None configured: every message is refused.</li>
 *     <li>{@code senders.sns.event-topic-arn}: the topic the organizations' SES configuration sets publish their
 *     events to; without it no configuration set is created.</li>
 *     <li>{@code senders.sns.max-age} (PT1H): older messages get 400 (SNS gives up retrying within an hour by
 *     default); {@code senders.sns.clock-skew} (PT5M): how far in the future a Timestamp may be.</li>
 *     <li>{@code senders.sns.http-timeout} (PT5S): bound of a certificate fetch or a subscription confirmation;
 *     {@code senders.sns.certificate-cache-size} (32): certificates kept, by URL.</li>
 *     <li>Tests only: {@code senders.sns.test.trusted-cert-host} ({@code 127.0.0.1:<port>}, a loopback address only)
 *     with {@code senders.sns.test.trust-store} (PKCS12) and {@code .trust-store-password}: certificates and
 *     subscription confirmations are also taken from that https server, whose TLS certificate that trust store
 *     vouches for. Every other rule stays as in production.</li>
 * </ul>
 */
@ApplicationScoped
public class SnsSettings {

    private static final Logger LOG = Logger.getLogger(SnsSettings.class.getName());
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]");

    /** A test-only https server trusted for certificates and confirmations, through its own trust store. */
    public record TestTrust(String hostAndPort, Path trustStore, String password) {
        @Override
        public String toString() {
            return hostAndPort + " (trust store " + trustStore + ")";
        }
    }

    @Inject
    Config config;

    private Set<String> allowedTopicArns;
    private Optional<String> eventTopicArn;
    private Duration maxAge;
    private Duration clockSkew;
    private Duration httpTimeout;
    private int certificateCacheSize;
    private Optional<TestTrust> testTrust;

    SnsSettings() {
    }

    /** For tests. */
    public SnsSettings(Set<String> allowedTopicArns, Optional<String> eventTopicArn, Duration maxAge,
                       Duration clockSkew, Duration httpTimeout, int certificateCacheSize,
                       Optional<TestTrust> testTrust) {
        this.eventTopicArn = eventTopicArn;
        this.allowedTopicArns = withEventTopic(allowedTopicArns, eventTopicArn);
        this.maxAge = maxAge;
        this.clockSkew = clockSkew;
        this.httpTimeout = httpTimeout;
        this.certificateCacheSize = certificateCacheSize;
        this.testTrust = testTrust;
    }

    @PostConstruct
    void load() {
        eventTopicArn = config.getOptionalValue("senders.sns.event-topic-arn", String.class).map(String::strip)
                .filter(s -> !s.isEmpty());
        Set<String> allowed = config.getOptionalValue("senders.sns.allowed-topic-arns", String.class)
                .map(s -> new LinkedHashSet<>(Arrays.stream(s.split(",")).map(String::strip)
                        .filter(t -> !t.isEmpty()).toList()))
                .orElseGet(LinkedHashSet::new);
        allowedTopicArns = withEventTopic(allowed, eventTopicArn);
        maxAge = duration("senders.sns.max-age", "PT1H");
        clockSkew = duration("senders.sns.clock-skew", "PT5M");
        httpTimeout = duration("senders.sns.http-timeout", "PT5S");
        certificateCacheSize = Math.max(1, config.getOptionalValue("senders.sns.certificate-cache-size",
                Integer.class).orElse(32));
        testTrust = testTrust(config);
        if (allowedTopicArns.isEmpty()) {
            LOG.info("Senders SNS webhook: no topic allowed (senders.sns.allowed-topic-arns), every message is refused");
        } else {
            LOG.info(() -> "Senders SNS webhook: topics allowed " + allowedTopicArns);
        }
        testTrust.ifPresent(t -> LOG.warning("Senders SNS webhook: TEST-ONLY trust of https://" + t
                + " for SNS certificates and subscription confirmations; never set senders.sns.test.* in production"));
    }

    private static Set<String> withEventTopic(Set<String> allowed, Optional<String> eventTopic) {
        Set<String> all = new LinkedHashSet<>(allowed);
        eventTopic.ifPresent(all::add);
        return Set.copyOf(all);
    }

    private Optional<TestTrust> testTrust(Config c) {
        Optional<String> host = c.getOptionalValue("senders.sns.test.trusted-cert-host", String.class)
                .map(String::strip).filter(s -> !s.isEmpty());
        if (host.isEmpty()) {
            return Optional.empty();
        }
        int colon = host.get().lastIndexOf(':');
        String name = colon < 0 ? "" : host.get().substring(0, colon);
        boolean port = colon > 0 && host.get().substring(colon + 1).matches("\\d{1,5}");
        Optional<String> store = c.getOptionalValue("senders.sns.test.trust-store", String.class);
        if (!LOOPBACK.contains(name.toLowerCase(java.util.Locale.ROOT)) || !port || store.isEmpty()) {
            LOG.severe("Senders SNS webhook: senders.sns.test.trusted-cert-host must be a loopback host:port with "
                    + "senders.sns.test.trust-store; ignored");
            return Optional.empty();
        }
        return Optional.of(new TestTrust(host.get(), Path.of(store.get()),
                c.getOptionalValue("senders.sns.test.trust-store-password", String.class).orElse("")));
    }

    private Duration duration(String key, String fallback) {
        return Duration.parse(config.getOptionalValue(key, String.class).orElse(fallback));
    }

    public Set<String> allowedTopicArns() {
        return allowedTopicArns;
    }

    public Optional<String> eventTopicArn() {
        return eventTopicArn;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public Duration httpTimeout() {
        return httpTimeout;
    }

    public int certificateCacheSize() {
        return certificateCacheSize;
    }

    public Optional<TestTrust> testTrust() {
        return testTrust;
    }

    /** The test host's {@code host:port}, if a test trust is configured. */
    public Optional<String> testHost() {
        return testTrust.map(TestTrust::hostAndPort);
    }
}
