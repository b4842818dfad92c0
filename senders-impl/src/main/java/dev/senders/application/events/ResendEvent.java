package dev.senders.application.events;

import dev.senders.application.events.SesNotification.Kind;
import dev.senders.application.events.SesNotification.SesEvent;
import dev.senders.domain.model.suppression.SuppressedAddress;
import dev.senders.infrastructure.resend.ResendWebhookRejected;
import dev.senders.infrastructure.resend.ResendWebhookRejected.Reason;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Resend webhook event ({@code {"type": "email.bounced", "created_at": "...", "data": {"email_id": "...", "to":
 * [...], "bounce": {...}}}}, Resend's OpenAPI "Webhook Events"). Bounces, complaints, deliveries, opens and clicks
 * become one event per recipient in {@code data.to} (stored like SES's); the other types Resend documents (sent,
 * delivery delayed, failed, scheduled, suppressed, received, contact and domain events) are recorded once and mean
 * nothing more. A type Resend does not document is refused.
 *
 * <p>Bounces: {@code data.bounce.type} {@code Permanent}, {@code Transient} or {@code Undetermined} as Resend says; an
 * {@code email.bounced} without a type is permanent (Resend documents the event as "the recipient's mail server
 * permanently rejected the email").
 *
 * @param type    Resend's event type
 * @param emailId {@code data.email_id}, or null for an event that is not about an email the module sent
 * @param events  what to record (recipients normalized)
 */
public record ResendEvent(String type, String emailId, List<SesEvent> events) {

    private static final int MAX_DETAIL = 2000;
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    /** Resend's documented types that carry nothing the module records beyond the message itself. */
    static final Set<String> RECORDED_ONLY = Set.of("email.sent", "email.delivery_delayed", "email.failed",
            "email.scheduled", "email.suppressed", "email.received", "contact.created", "contact.updated",
            "contact.deleted", "domain.created", "domain.updated", "domain.deleted");

    /** @throws ResendWebhookRejected {@link Reason#MALFORMED} or {@link Reason#UNKNOWN_TYPE} */
    public static ResendEvent parse(String body) {
        JsonObject json;
        try (var reader = READERS.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject o)) {
                throw malformed("The event is not a JSON object");
            }
            json = o;
        } catch (JsonException | IllegalStateException e) {
            throw malformed("The event is not valid JSON");
        }
        String type = string(json, "type");
        if (type == null || type.isBlank()) {
            throw malformed("The event has no type");
        }
        Kind kind = switch (type) {
            case "email.bounced" -> Kind.BOUNCE;
            case "email.complained" -> Kind.COMPLAINT;
            case "email.delivered" -> Kind.DELIVERY;
            case "email.opened" -> Kind.OPEN;
            case "email.clicked" -> Kind.CLICK;
            default -> null;
        };
        if (kind == null && !RECORDED_ONLY.contains(type)) {
            throw new ResendWebhookRejected(Reason.UNKNOWN_TYPE, "Unknown Resend event type");
        }
        if (!(json.get("data") instanceof JsonObject data)) {
            throw malformed("The event has no data");
        }
        Instant at = instant(json, "created_at");
        if (at == null) {
            throw malformed("The event has no valid created_at");
        }
        String emailId = type.startsWith("email.") ? string(data, "email_id") : null;
        if (type.startsWith("email.") && (emailId == null || emailId.isBlank() || emailId.length() > 255)) {
            throw malformed("The event has no valid data.email_id");
        }
        if (kind == null) {
            return new ResendEvent(type, emailId, List.of());
        }
        List<String> recipients = recipients(data);
        List<SesEvent> events = new ArrayList<>();
        for (String recipient : recipients) {
            events.add(switch (kind) {
                case BOUNCE -> bounce(data, recipient, at);
                case CLICK -> {
                    JsonObject click = data.get("click") instanceof JsonObject c ? c : null;
                    Instant clickedAt = click == null ? null : instant(click, "timestamp");
                    yield new SesEvent(Kind.CLICK, recipient, clickedAt == null ? at : clickedAt, null, null,
                            truncate(click == null ? null : string(click, "link")));
                }
                default -> new SesEvent(kind, recipient, at, null, null, null);
            });
        }
        // no recipient named: the one the module sent the email to (resolved when it is recorded)
        if (events.isEmpty()) {
            events.add(kind == Kind.BOUNCE ? bounce(data, null, at) : new SesEvent(kind, null, at, null, null, null));
        }
        return new ResendEvent(type, emailId, List.copyOf(events));
    }

    private static SesEvent bounce(JsonObject data, String recipient, Instant at) {
        JsonObject bounce = data.get("bounce") instanceof JsonObject b ? b : null;
        String bounceType = bounce == null ? null : string(bounce, "type");
        if (bounceType == null || bounceType.isBlank()) {
            bounceType = "Permanent";
        }
        String subType = bounce == null ? null : string(bounce, "subType");
        String detail = null;
        if (bounce != null && bounce.get("diagnosticCode") instanceof JsonArray codes && !codes.isEmpty()
                && codes.get(0) instanceof JsonString code) {
            detail = code.getString();
        } else if (bounce != null) {
            detail = string(bounce, "message");
        }
        return new SesEvent(Kind.BOUNCE, recipient, at, cut(bounceType, 40), cut(subType, 40), truncate(detail));
    }

    private static List<String> recipients(JsonObject data) {
        List<String> out = new ArrayList<>();
        if (data.get("to") instanceof JsonArray to) {
            for (JsonValue v : to) {
                if (v instanceof JsonString s) {
                    SuppressedAddress.normalize(s.getString()).ifPresent(a -> {
                        if (!out.contains(a)) {
                            out.add(a);
                        }
                    });
                }
            }
        }
        return out;
    }

    private static ResendWebhookRejected malformed(String detail) {
        return new ResendWebhookRejected(Reason.MALFORMED, detail);
    }

    private static String string(JsonObject o, String key) {
        return o.get(key) instanceof JsonString s ? s.getString() : null;
    }

    private static Instant instant(JsonObject o, String key) {
        String value = string(o, key);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value.replace(' ', 'T')).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static String truncate(String s) {
        return cut(s, MAX_DETAIL);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
