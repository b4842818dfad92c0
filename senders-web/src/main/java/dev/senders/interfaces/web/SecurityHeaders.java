package dev.senders.interfaces.web;

import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.microprofile.config.Config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The headers every response of the module carries: a Content-Security-Policy ({@code senders.http
 * .content-security-policy}), {@code X-Content-Type-Options: nosniff}, a Referrer-Policy ({@code senders.http
 * .referrer-policy}) and an X-Frame-Options that says what the policy's {@code frame-ancestors} says; optionally a
 * Cache-Control. A policy without {@code frame-ancestors} gets {@code frame-ancestors 'none'}: no page of the module
 * is ever framed by default.
 */
public record SecurityHeaders(String contentSecurityPolicy, String referrerPolicy, Optional<String> xFrameOptions,
                              Optional<String> cacheControl) {

    public static final String POLICY_KEY = "senders.http.content-security-policy";
    public static final String REFERRER_POLICY_KEY = "senders.http.referrer-policy";

    /** No inline script or style, nothing from another origin, no plugins, no framing. */
    public static final String DEFAULT_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    /**
     * The origin (never the path or query) to other origins over https, nothing on a downgrade to http, the whole URL
     * within the origin, where same-origin form posts keep a real {@code Origin} header (no-referrer would send
     * {@code Origin: null} on them).
     */
    public static final String DEFAULT_REFERRER_POLICY = "strict-origin-when-cross-origin";

    public static SecurityHeaders fromConfig(Config config, String cacheControl) {
        return of(config.getOptionalValue(POLICY_KEY, String.class).orElse(DEFAULT_POLICY),
                config.getOptionalValue(REFERRER_POLICY_KEY, String.class).orElse(DEFAULT_REFERRER_POLICY),
                cacheControl);
    }

    /** The headers for a policy, a referrer policy and a Cache-Control (null or blank: none). */
    public static SecurityHeaders of(String contentSecurityPolicy, String referrerPolicy, String cacheControl) {
        String policy = withFrameAncestors(contentSecurityPolicy);
        return new SecurityHeaders(policy, referrerPolicy.trim(), xFrameOptionsFor(policy),
                Optional.ofNullable(cacheControl).map(String::trim).filter(s -> !s.isEmpty()));
    }

    /** Sets the headers (replacing any of the same name). */
    public void applyTo(HttpServletResponse response) {
        response.setHeader("Content-Security-Policy", contentSecurityPolicy);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", referrerPolicy);
        xFrameOptions.ifPresent(value -> response.setHeader("X-Frame-Options", value));
        cacheControl.ifPresent(value -> response.setHeader("Cache-Control", value));
    }

    static String withFrameAncestors(String policy) {
        String trimmed = policy.trim().replaceAll(";\\s*$", "");
        return frameAncestors(trimmed).isPresent() ? trimmed : trimmed + "; frame-ancestors 'none'";
    }

    /**
     * DENY for {@code 'none'}, SAMEORIGIN for {@code 'self'} alone; for a list of origins, none (X-Frame-Options
     * cannot say it, and a browser that knows frame-ancestors ignores X-Frame-Options).
     */
    static Optional<String> xFrameOptionsFor(String policy) {
        return frameAncestors(policy).flatMap(sources -> switch (sources.toLowerCase(Locale.ROOT)) {
            case "'none'" -> Optional.of("DENY");
            case "'self'" -> Optional.of("SAMEORIGIN");
            default -> Optional.empty();
        });
    }

    private static Optional<String> frameAncestors(String policy) {
        return Arrays.stream(policy.split(";")).map(String::trim)
                .filter(d -> d.toLowerCase(Locale.ROOT).startsWith("frame-ancestors")
                        && (d.length() == 15 || Character.isWhitespace(d.charAt(15))))
                .findFirst().map(d -> d.substring(15).trim().replaceAll("\\s+", " "));
    }
}
