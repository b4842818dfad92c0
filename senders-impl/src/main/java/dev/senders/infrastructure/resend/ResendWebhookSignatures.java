package dev.senders.infrastructure.resend;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.EmptyWebhookSecretException;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import dev.senders.infrastructure.resend.ResendWebhookRejected.Reason;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verifies Resend's webhook signatures (Svix, i.e. Standard Webhooks): an HMAC-SHA256 under the endpoint's
 * {@code whsec_} secret over {@code svix-id.svix-timestamp.body}, in {@code svix-signature} as space-separated
 * {@code v1,<base64>} entries, any of which may match. The HMAC and its constant-time comparison are the Standard
 * Webhooks library's ({@code com.standardwebhooks:standardwebhooks}), which also refuses a timestamp more than 5
 * minutes away; the timestamp is checked here first (against {@code senders.resend.webhook-tolerance}, at most that)
 * so that the refusal says why.
 *
 * <p>Secrets: {@code senders.resend.webhook-secret}, comma separated, so that a new secret can be added before the old
 * one is retired (rotation); a message signed with any of them is accepted. Never logged or returned; a malformed
 * secret stops the start ({@link #check()}) with a message that names the key, not the value.
 */
@ApplicationScoped
public class ResendWebhookSignatures {

    public static final String SECRET_KEY = "senders.resend.webhook-secret";
    public static final String TOLERANCE_KEY = "senders.resend.webhook-tolerance";
    /** The Standard Webhooks library refuses timestamps further away than this, whatever the setting. */
    public static final Duration LIBRARY_TOLERANCE = Duration.ofMinutes(5);

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final Pattern TIMESTAMP = Pattern.compile("[0-9]{1,12}");

    @Inject
    Config config;

    private Clock clock = Clock.systemUTC();

    private volatile List<Webhook> verifiers;

    private Duration fixedTolerance;

    public ResendWebhookSignatures() {
    }

    /** Outside CDI (tests): these secrets (comma separated), this tolerance, this clock. */
    ResendWebhookSignatures(String secrets, Duration tolerance, Clock clock) {
        this.verifiers = parse(Optional.ofNullable(secrets));
        this.fixedTolerance = tolerance;
        this.clock = clock;
    }

    /** What a verified message says of itself. */
    public record Verified(String id, Instant timestamp) {
    }

    /**
     * @throws ResendWebhookRejected when no secret is configured, a header is missing or malformed, the timestamp is
     *                               out of tolerance, or no signature matches
     */
    public Verified verify(String id, String timestamp, String signature, String body) {
        List<Webhook> secrets = verifiers();
        if (secrets.isEmpty()) {
            throw new ResendWebhookRejected(Reason.NOT_CONFIGURED, "No Resend webhook secret is configured ("
                    + SECRET_KEY + ")");
        }
        if (id == null || timestamp == null || signature == null || !ID.matcher(id).matches()
                || !TIMESTAMP.matcher(timestamp).matches() || signature.isBlank() || signature.length() > 4096) {
            throw new ResendWebhookRejected(Reason.MISSING_HEADERS,
                    "The svix-id, svix-timestamp and svix-signature headers are required");
        }
        Instant at = Instant.ofEpochSecond(Long.parseLong(timestamp));
        Duration off = Duration.between(at, clock.instant()).abs();
        if (off.compareTo(tolerance()) > 0) {
            throw new ResendWebhookRejected(Reason.STALE_TIMESTAMP, "The message's timestamp is more than "
                    + tolerance().toSeconds() + " seconds away");
        }
        Map<String, List<String>> headers = Map.of(
                "webhook-id", List.of(id),
                "webhook-timestamp", List.of(timestamp),
                "webhook-signature", List.of(signature));
        for (Webhook secret : secrets) {
            try {
                secret.verify(body, headers);
                return new Verified(id, at);
            } catch (WebhookVerificationException e) {
                // try the next secret
            }
        }
        throw new ResendWebhookRejected(Reason.BAD_SIGNATURE, "No signature matches");
    }

    /** Parses the configured secrets. @throws IllegalArgumentException naming the key (never the value) */
    public void check() {
        verifiers();
        tolerance();
    }

    Duration tolerance() {
        Duration value = fixedTolerance != null ? fixedTolerance
                : config.getOptionalValue(TOLERANCE_KEY, Duration.class).orElse(LIBRARY_TOLERANCE);
        if (value.isNegative() || value.isZero() || value.compareTo(LIBRARY_TOLERANCE) > 0) {
            throw new IllegalArgumentException(TOLERANCE_KEY + " must be more than 0 and at most PT5M");
        }
        return value;
    }

    private List<Webhook> verifiers() {
        List<Webhook> current = verifiers;
        if (current == null) {
            current = parse(config.getOptionalValue(SECRET_KEY, String.class));
            verifiers = current;
        }
        return current;
    }

    static List<Webhook> parse(Optional<String> configured) {
        List<Webhook> secrets = new ArrayList<>();
        for (String secret : configured.orElse("").split(",")) {
            String s = secret.strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                secrets.add(new Webhook(s));
            } catch (IllegalArgumentException | EmptyWebhookSecretException e) {
                throw new IllegalArgumentException(SECRET_KEY + " holds a secret that is not whsec_ and base64");
            }
        }
        return List.copyOf(secrets);
    }
}
