package dev.senders.infrastructure.sending;

import dev.senders.infrastructure.network.LoopbackHost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Resend settings from MicroProfile Config. The API key is read here and handed to {@link ResendEmailSender} only:
 * never logged, never in {@link #toString()}.
 * <table>
 *     <caption>Keys</caption>
 *     <tr><td>{@code senders.resend.base-url}</td><td>{@value #DEFAULT_BASE_URL}; https, or http on a loopback host
 *     only (checked at startup by {@code SettingsCheck})</td></tr>
 *     <tr><td>{@code senders.resend.api-key}</td><td>else {@code RESEND_API_KEY}; none: every Resend send fails</td></tr>
 *     <tr><td>{@code senders.resend.timeout}</td><td>{@code PT10S}, connect and read timeout of each HTTP call</td></tr>
 *     <tr><td>{@code senders.resend.max-retries}</td><td>3, retries of a 429 answer (by the caller of
 *     {@link ResendEmailSender}, which makes one request per call)</td></tr>
 *     <tr><td>{@code senders.resend.max-retry-after}</td><td>{@code PT10S}, the longest {@code retry-after} honoured
 *     by those retries</td></tr>
 *     <tr><td>{@code senders.resend.from-address}</td><td>{@value #DEFAULT_FROM_ADDRESS}, a placeholder: set the
 *     platform's real default sender, on a domain verified in Resend</td></tr>
 *     <tr><td>{@code senders.resend.from-name}</td><td>none</td></tr>
 * </table>
 */
@ApplicationScoped
public class ResendSettings {

    public static final String DEFAULT_BASE_URL = "https://api.resend.com";
    /** Placeholder only: deployments must set {@code senders.resend.from-address} to their verified Resend sender. */
    public static final String DEFAULT_FROM_ADDRESS = "notifications@senders-platform.com";

    @Inject
    Config config;

    /**
     * {@code senders.resend.base-url}: an https URL; plain http only for a loopback host ({@link LoopbackHost}: a local
     * stand-in, as in the demo and the tests), since the API key travels in every request.
     *
     * @throws IllegalArgumentException naming the key when the value is not a URL, or not https off loopback
     */
    public URI baseUrl() {
        String value = string("senders.resend.base-url").orElse(DEFAULT_BASE_URL);
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("senders.resend.base-url is not a valid URL", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("senders.resend.base-url is not an absolute https URL");
        }
        if (scheme.equals("http") && !LoopbackHost.is(uri)) {
            throw new IllegalArgumentException("senders.resend.base-url must be https (http only for a loopback host:"
                    + " localhost, 127.0.0.0/8, ::1), since every request carries the API key; it is http to "
                    + uri.getHost());
        }
        return uri;
    }

    /** Whether the Resend API is a local stand-in on this machine (a loopback base URL), not Resend itself. */
    public boolean local() {
        return LoopbackHost.is(baseUrl());
    }

    /** {@code senders.resend.api-key}, else {@code RESEND_API_KEY}. */
    public Optional<String> apiKey() {
        return string("senders.resend.api-key").or(() -> string("RESEND_API_KEY"));
    }

    public Duration timeout() {
        return positive("senders.resend.timeout", "PT10S");
    }

    public int maxRetries() {
        String value = string("senders.resend.max-retries").orElse("3");
        try {
            int n = Integer.parseInt(value.strip());
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("senders.resend.max-retries must be a number >= 0: " + value, e);
        }
    }

    public Duration maxRetryAfter() {
        return positive("senders.resend.max-retry-after", "PT10S");
    }

    /** The platform's default From address for the fallback through Resend. */
    public String fromAddress() {
        return string("senders.resend.from-address").orElse(DEFAULT_FROM_ADDRESS);
    }

    public Optional<String> fromName() {
        return string("senders.resend.from-name");
    }

    private Optional<String> string(String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    private Duration positive(String key, String fallback) {
        String value = string(key).orElse(fallback);
        try {
            Duration d = Duration.parse(value);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(key + " must be positive: " + value);
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(key + " must be an ISO-8601 duration such as PT10S: " + value, e);
        }
    }

    @Override
    public String toString() {
        return "ResendSettings[baseUrl=" + baseUrl() + ", apiKey=" + (apiKey().isPresent() ? "set" : "missing")
                + ", timeout=" + timeout() + ", maxRetries=" + maxRetries() + ", maxRetryAfter=" + maxRetryAfter()
                + ", from=" + fromName().map(n -> n + " <" + fromAddress() + ">").orElse(fromAddress()) + "]";
    }
}
