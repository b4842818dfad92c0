package dev.senders.infrastructure.unsubscribe;

import java.net.URI;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * The module's one-click unsubscribe links: {@code <base-url>/api/unsubscribe/<token>}, the token signed by
 * {@link UnsubscribeTokens} and working for the configured lifetime; and the check of a token that comes back.
 *
 * <p>A link's last day is a UTC date (the day it is made plus the lifetime), so one message gives the same link all
 * day: a Resend request sent again after a lost answer must be the same bytes under the same Idempotency-Key.
 * Thread-safe; {@link #none()} makes no links (not configured).
 */
public final class UnsubscribeLinks {

    /** Where the links point, under the base URL (the module's JAX-RS application is at {@code /api}). */
    public static final String PATH = "/api/unsubscribe/";

    private final URI baseUrl;
    private final UnsubscribeTokens tokens;
    private final int lifetimeDays;
    private final Clock clock;

    /**
     * @param baseUrl      the application's public URL, without a trailing slash
     * @param tokens       the signer
     * @param lifetimeDays how many days after the day it is made a link still works
     * @param clock        today's date (UTC)
     */
    public UnsubscribeLinks(URI baseUrl, UnsubscribeTokens tokens, int lifetimeDays, Clock clock) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        if (lifetimeDays < 1) {
            throw new IllegalArgumentException("lifetimeDays must be positive");
        }
        this.lifetimeDays = lifetimeDays;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private UnsubscribeLinks() {
        this.baseUrl = null;
        this.tokens = null;
        this.lifetimeDays = 0;
        this.clock = Clock.systemUTC();
    }

    /** No links: {@code senders.unsubscribe.*} is not configured. */
    public static UnsubscribeLinks none() {
        return new UnsubscribeLinks();
    }

    /** Whether links can be made and checked. */
    public boolean configured() {
        return tokens != null;
    }

    /**
     * The link for this organization, (normalized) recipient and list, working through today + the lifetime.
     *
     * @throws IllegalStateException when not {@link #configured()}
     */
    public String link(String organizationId, String recipient, String listId) {
        if (!configured()) {
            throw new IllegalStateException("one-click unsubscribe is not configured");
        }
        String token = tokens.sign(new UnsubscribeToken(organizationId, recipient, listId,
                today().plusDays(lifetimeDays)));
        return baseUrl + PATH + token;
    }

    /** What the token is today; {@link TokenCheck.Outcome#NOT_CONFIGURED} when links are not configured. */
    public TokenCheck check(String token) {
        return configured() ? tokens.check(token, today()) : TokenCheck.of(TokenCheck.Outcome.NOT_CONFIGURED);
    }

    /** Today, UTC. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    @Override
    public String toString() {
        return configured() ? "UnsubscribeLinks[" + baseUrl + PATH + "..., " + lifetimeDays + " days]"
                : "UnsubscribeLinks[not configured]";
    }
}
