package dev.senders.infrastructure.ses;

import dev.senders.infrastructure.network.LoopbackHost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * SES connection settings from MicroProfile Config. Secrets are read here and handed to the SDK only: never logged,
 * never returned ({@link #toString()} leaves them out).
 */
@ApplicationScoped
public class SesSettings {

    @Inject
    Config config;

    /** {@code senders.ses.region}, else {@code AWS_SES_REGION}, else ap-southeast-1. */
    public String region() {
        return config.getOptionalValue("senders.ses.region", String.class)
                .or(() -> config.getOptionalValue("AWS_SES_REGION", String.class))
                .orElse("ap-southeast-1");
    }

    /** A local or private endpoint instead of the public SES endpoint of the region. */
    public Optional<URI> endpointOverride() {
        return config.getOptionalValue("senders.ses.endpoint", String.class).filter(s -> !s.isBlank()).map(URI::create);
    }

    /** Whether SES is a local stand-in on this machine: an endpoint override on a loopback host. */
    public boolean local() {
        return endpointOverride().map(LoopbackHost::is).orElse(false);
    }

    public Optional<String> accessKeyId() {
        return config.getOptionalValue("senders.ses.access-key-id", String.class)
                .or(() -> config.getOptionalValue("AWS_ACCESS_KEY_ID", String.class)).filter(s -> !s.isBlank());
    }

    public Optional<String> secretAccessKey() {
        return config.getOptionalValue("senders.ses.secret-access-key", String.class)
                .or(() -> config.getOptionalValue("AWS_SECRET_ACCESS_KEY", String.class)).filter(s -> !s.isBlank());
    }

    public Duration apiCallTimeout() {
        return duration("senders.ses.api-call-timeout", "PT20S");
    }

    public Duration apiCallAttemptTimeout() {
        return duration("senders.ses.api-call-attempt-timeout", "PT5S");
    }

    public Duration connectTimeout() {
        return duration("senders.ses.connect-timeout", "PT3S");
    }

    /**
     * {@code senders.ses.max-connections}, else the sending threads ({@code senders.sending.max-in-flight}, 128) and 8
     * more: the size of each SES client's connection pool (the sending client's and the application's, whose calls,
     * verification and quota, use a few).
     */
    public int maxConnections() {
        return config.getOptionalValue("senders.ses.max-connections", Integer.class)
                .orElseGet(() -> config.getOptionalValue("senders.sending.max-in-flight", Integer.class).orElse(128) + 8);
    }

    public Duration connectionMaxIdle() {
        return duration("senders.ses.connection-max-idle", "PT20S");
    }

    public int maxAttempts() {
        return config.getOptionalValue("senders.ses.max-attempts", Integer.class).orElse(4);
    }

    /** The host the DKIM CNAMEs point to: {@code senders.ses.dkim-domain}, else the region's ({@link DkimDomains}). */
    public String dkimDomain() {
        return config.getOptionalValue("senders.ses.dkim-domain", String.class).filter(s -> !s.isBlank())
                .orElseGet(() -> DkimDomains.forRegion(region()));
    }

    private Duration duration(String key, String fallback) {
        return Duration.parse(config.getOptionalValue(key, String.class).orElse(fallback));
    }

    @Override
    public String toString() {
        return "SesSettings[region=" + region() + ", endpoint=" + endpointOverride().map(URI::toString).orElse("AWS")
                + ", credentials=" + (accessKeyId().isPresent() ? "static" : "default chain") + "]";
    }
}
