package dev.senders.sandbox;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Resend's side of its webhooks, for tests and the sandbox: event payloads shaped as Resend's OpenAPI "Webhook Events"
 * describes them, and the Svix signature Resend puts on each delivery (HMAC-SHA256 under the {@code whsec_} secret,
 * base64 after the prefix, over {@code svix-id.svix-timestamp.body}; header {@code svix-signature: v1,<base64>}).
 * Written here by hand from the Standard Webhooks specification, independently of the library the module verifies
 * with.
 */
public final class ResendWebhooks {

    private ResendWebhooks() {
    }

    /** A delivery as Resend posts it: its headers and body. */
    public record Delivery(Map<String, String> headers, String body) {
        public String id() {
            return headers.get("svix-id");
        }
    }

    /** Signs {@code body} with {@code secret} as Resend would, now, with a new svix-id. */
    public static Delivery signed(String secret, String body) {
        return signed(secret, "msg_" + UUID.randomUUID().toString().replace("-", ""), Instant.now(), body);
    }

    public static Delivery signed(String secret, String id, Instant timestamp, String body) {
        String ts = Long.toString(timestamp.getEpochSecond());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("svix-id", id);
        headers.put("svix-timestamp", ts);
        headers.put("svix-signature", "v1," + signature(secret, id, ts, body));
        return new Delivery(headers, body);
    }

    /** The base64 HMAC-SHA256 of {@code id.timestamp.body} under the secret. */
    public static String signature(String secret, String id, String timestamp, String body) {
        byte[] key = Base64.getDecoder().decode(secret.startsWith("whsec_") ? secret.substring(6) : secret);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code email.bounced} of the email {@code emailId} to {@code to}; {@code bounceType} Permanent, Transient... */
    public static String bounced(String emailId, String to, String bounceType) {
        return event("email.bounced", emailId, to, data -> data.add("bounce", Json.createObjectBuilder()
                .add("diagnosticCode", Json.createArrayBuilder().add("smtp; 550 5.1.1 user unknown"))
                .add("message", "The recipient's mail server permanently rejected the email.")
                .add("subType", "General")
                .add("type", bounceType)));
    }

    public static String complained(String emailId, String to) {
        return event("email.complained", emailId, to, data -> { });
    }

    public static String delivered(String emailId, String to) {
        return event("email.delivered", emailId, to, data -> { });
    }

    public static String sent(String emailId, String to) {
        return event("email.sent", emailId, to, data -> { });
    }

    public static String clicked(String emailId, String to, String link) {
        return event("email.clicked", emailId, to, data -> data.add("click", Json.createObjectBuilder()
                .add("ipAddress", "192.0.2.1").add("link", link).add("timestamp", Instant.now().toString())
                .add("userAgent", "Mozilla/5.0")));
    }

    /** An event of any type (also one Resend does not document) about the email. */
    public static String event(String type, String emailId, String to,
                               java.util.function.Consumer<JsonObjectBuilder> more) {
        JsonArrayBuilder recipients = Json.createArrayBuilder();
        if (to != null) {
            recipients.add(to);
        }
        JsonObjectBuilder data = Json.createObjectBuilder()
                .add("email_id", emailId)
                .add("created_at", Instant.now().minusSeconds(60).toString())
                .add("from", "Platform <notifications@platform-mail.com>")
                .add("to", recipients)
                .add("subject", "Hello")
                // tags are the sender's to set: never trusted for the organization or campaign
                .add("tags", Json.createObjectBuilder().add("organization", "acme").add("campaign", "1"));
        more.accept(data);
        return Json.createObjectBuilder()
                .add("type", type)
                .add("created_at", Instant.now().toString())
                .add("data", data)
                .build().toString();
    }
}
