package dev.senders.host.it;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.util.UUID;

/** SES event payloads as SES publishes them to SNS (event publishing and identity notifications). */
public final class SesEvents {

    private SesEvents() {
    }


    public static JsonObjectBuilder mail(String messageId, String recipient) {
        return Json.createObjectBuilder()
                .add("timestamp", Instant.now().minusSeconds(30).toString())
                .add("source", "news@acme.example")
                .add("messageId", messageId)
                .add("destination", Json.createArrayBuilder().add(recipient == null ? "someone@example.net" : recipient))
                // tags are the sender's to set: never trusted for the organization or campaign
                .add("tags", Json.createObjectBuilder().add("organization", Json.createArrayBuilder().add("acme"))
                        .add("campaign", Json.createArrayBuilder().add("1")));
    }

    public static String bounce(String messageId, String recipient, String bounceType) {
        return Json.createObjectBuilder()
                .add("eventType", "Bounce")
                .add("bounce", Json.createObjectBuilder()
                        .add("bounceType", bounceType)
                        .add("bounceSubType", "General")
                        .add("bouncedRecipients", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add("emailAddress", recipient).add("action", "failed").add("status", "5.1.1")
                                .add("diagnosticCode", "smtp; 550 5.1.1 user unknown")))
                        .add("timestamp", Instant.now().toString())
                        .add("feedbackId", UUID.randomUUID().toString()))
                .add("mail", mail(messageId, recipient))
                .build().toString();
    }

    /** In the identity-notification format ({@code notificationType}). */
    public static String complaint(String messageId, String recipient) {
        return Json.createObjectBuilder()
                .add("notificationType", "Complaint")
                .add("complaint", Json.createObjectBuilder()
                        .add("complainedRecipients", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add("emailAddress", recipient)))
                        .add("timestamp", Instant.now().toString())
                        .add("feedbackId", UUID.randomUUID().toString())
                        .add("complaintFeedbackType", "abuse"))
                .add("mail", mail(messageId, recipient))
                .build().toString();
    }

    public static String delivery(String messageId, String recipient) {
        return Json.createObjectBuilder()
                .add("eventType", "Delivery")
                .add("delivery", Json.createObjectBuilder()
                        .add("timestamp", Instant.now().toString())
                        .add("recipients", Json.createArrayBuilder().add(recipient))
                        .add("smtpResponse", "250 2.6.0 Message received"))
                .add("mail", mail(messageId, recipient))
                .build().toString();
    }

    public static String open(String messageId) {
        return Json.createObjectBuilder()
                .add("eventType", "Open")
                .add("open", Json.createObjectBuilder().add("ipAddress", "192.0.2.1")
                        .add("timestamp", Instant.now().toString()).add("userAgent", "Mozilla/5.0"))
                .add("mail", mail(messageId, null))
                .build().toString();
    }

    public static String click(String messageId, String link) {
        return Json.createObjectBuilder()
                .add("eventType", "Click")
                .add("click", Json.createObjectBuilder().add("ipAddress", "192.0.2.1").add("link", link)
                        .add("timestamp", Instant.now().toString()).add("userAgent", "Mozilla/5.0"))
                .add("mail", mail(messageId, null))
                .build().toString();
    }
}
