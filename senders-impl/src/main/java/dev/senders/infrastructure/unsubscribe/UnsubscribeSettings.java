package dev.senders.infrastructure.unsubscribe;

import dev.senders.infrastructure.network.LoopbackHost;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One-click unsubscribe settings from MicroProfile Config. The secrets are read here and handed to
 * {@link UnsubscribeTokens} only: never logged, never in {@link #toString()}, never in a message.
 * <table>
 *     <caption>Keys</caption>
 *     <tr><td>{@value #BASE_URL_KEY}</td><td>none; the public URL of the web application the module is part of (its
 *     context root), e.g. {@code https://app.example.com}: links are {@code <base-url>/api/unsubscribe/<token>}. https,
 *     or http on a loopback host only</td></tr>
 *     <tr><td>{@value #SECRETS_KEY}</td><td>none; comma separated, each at least 32 characters: the first signs, all
 *     verify (rotation)</td></tr>
 *     <tr><td>{@value #LIFETIME_KEY}</td><td>{@value #DEFAULT_LIFETIME}, at least {@code P30D}: how long a link
 *     works</td></tr>
 * </table>
 * Both the base URL and the secrets, or neither: without them a message asking for an unsubscribe link is not sent.
 */
@ApplicationScoped
public class UnsubscribeSettings {

    public static final String BASE_URL_KEY = "senders.unsubscribe.base-url";
    public static final String SECRETS_KEY = "senders.unsubscribe.secrets";
    public static final String LIFETIME_KEY = "senders.unsubscribe.token-lifetime";
    public static final String DEFAULT_LIFETIME = "P90D";
    /** CAN-SPAM: an opt-out must keep working for at least 30 days after the message was sent. */
    public static final Duration MIN_LIFETIME = Duration.ofDays(30);

    @Inject
    Config config;

    /**
     * {@value #BASE_URL_KEY} without a trailing slash, if set.
     *
     * @throws IllegalArgumentException naming the key when it is not an absolute https URL (http only on a loopback
     *                                  host), or has a query, a fragment or user information
     */
    public Optional<URI> baseUrl() {
        Optional<String> value = string(BASE_URL_KEY);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(BASE_URL_KEY + " is not a valid URL", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException(BASE_URL_KEY + " is not an absolute https URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(BASE_URL_KEY + " must be the application's URL without a query,"
                    + " fragment or user information");
        }
        if (scheme.equals("http") && !LoopbackHost.is(uri)) {
            throw new IllegalArgumentException(BASE_URL_KEY + " must be https (http only for a loopback host:"
                    + " localhost, 127.0.0.0/8, ::1), since mailbox providers post to it; it is http to "
                    + uri.getHost());
        }
        return Optional.of(uri);
    }

    /** {@value #SECRETS_KEY}, split on commas, blanks dropped; empty when not set. */
    public List<String> secrets() {
        return string(SECRETS_KEY).map(s -> Arrays.stream(s.split(",")).map(String::strip)
                .filter(x -> !x.isEmpty()).toList()).orElse(List.of());
    }

    /**
     * {@value #LIFETIME_KEY} in whole days (rounded up).
     *
     * @throws IllegalArgumentException naming the key when it is not an ISO-8601 duration of at least 30 days
     */
    public int lifetimeDays() {
        String value = string(LIFETIME_KEY).orElse(DEFAULT_LIFETIME);
        Duration lifetime;
        try {
            lifetime = Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(LIFETIME_KEY + " must be an ISO-8601 duration such as P90D: " + value,
                    e);
        }
        if (lifetime.compareTo(MIN_LIFETIME) < 0) {
            throw new IllegalArgumentException(LIFETIME_KEY + " must be at least P30D (an opt-out link must work for"
                    + " 30 days after sending): " + value);
        }
        return Math.toIntExact((lifetime.toHours() + 23) / 24);
    }

    /**
     * Every setting checked, as at startup: both the base URL and the secrets or neither, each valid.
     *
     * @throws IllegalArgumentException naming the key that is wrong (never showing a secret)
     */
    public void check() {
        Optional<URI> base = baseUrl();
        List<String> secrets = secrets();
        lifetimeDays();
        if (base.isPresent() && secrets.isEmpty()) {
            throw new IllegalArgumentException(BASE_URL_KEY + " is set but " + SECRETS_KEY + " is not: unsubscribe"
                    + " links need both");
        }
        if (base.isEmpty() && !secrets.isEmpty()) {
            throw new IllegalArgumentException(SECRETS_KEY + " is set but " + BASE_URL_KEY + " is not: unsubscribe"
                    + " links need both");
        }
        if (!secrets.isEmpty()) {
            new UnsubscribeTokens(secrets);
        }
    }

    private Optional<String> string(String key) {
        return config.getOptionalValue(key, String.class).map(String::strip).filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
        return "UnsubscribeSettings[baseUrl=" + string(BASE_URL_KEY).orElse("none") + ", secrets=" + secrets().size()
                + ", lifetime=" + string(LIFETIME_KEY).orElse(DEFAULT_LIFETIME) + "]";
    }
}
