package dev.senders.application.events;

import dev.senders.domain.model.suppression.SuppressedAddress;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SES event an SNS notification carries in its Message, in either of SES's two formats: event publishing through
 * a configuration set ({@code "eventType": "Bounce" | "Complaint" | "Delivery" | "Open" | "Click" | ...}) and
 * identity notifications ({@code "notificationType": "Bounce" | "Complaint" | "Delivery"}). Both carry
 * {@code mail.messageId} (the SES message id the module recorded at send time) and the event's own object
 * ({@code bounce}, {@code complaint}, {@code delivery}, {@code open}, {@code click}).
 *
 * <p>A bounce or complaint becomes one {@link SesEvent} per recipient it lists, a delivery one per delivered
 * recipient; an open or click one event whose recipient the module knows from its send record. Other types (Send,
 * Reject, DeliveryDelay, Rendering Failure, SES's subscription test message, ...) and messages that are not SES events
 * give no event.
 *
 * @param sesType      the eventType or notificationType as sent, or null when the message is not an SES event
 * @param sesMessageId {@code mail.messageId}, or null
 * @param destination  {@code mail.destination}, normalized where possible
 * @param events       what to record
 */
public record SesNotification(String sesType, String sesMessageId, List<String> destination, List<SesEvent> events) {

    private static final int MAX_DETAIL = 2000;

    /** Made once: {@code Json.createReader} looks the JSON provider up again at every call. */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    /** One thing that happened to one recipient of a message. */
    public record SesEvent(Kind kind, String recipient, Instant occurredAt, String bounceType, String bounceSubType,
                           String detail) {

        public boolean permanentBounce() {
            return kind == Kind.BOUNCE && "Permanent".equals(bounceType);
        }

        public SesEvent withRecipient(String value) {
            return new SesEvent(kind, value, occurredAt, bounceType, bounceSubType, detail);
        }
    }

    public enum Kind {
        BOUNCE, COMPLAINT, DELIVERY, OPEN, CLICK;

        /** As stored: {@code bounce}, {@code complaint}, ... */
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether an event suppresses its recipient: a permanent bounce, or a complaint. */
    public boolean suppresses() {
        return events.stream().anyMatch(e -> e.permanentBounce() || e.kind() == Kind.COMPLAINT);
    }

    public static SesNotification none(String sesType) {
        return new SesNotification(sesType, null, List.of(), List.of());
    }

    /**
     * @param message     the SNS Message
     * @param publishedAt the SNS Timestamp, for an event that carries no time of its own
     */
    public static SesNotification parse(String message, Instant publishedAt) {
        JsonObject json;
        try (var reader = READERS.createReader(new StringReader(message))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject o)) {
                return none(null);
            }
            json = o;
        } catch (JsonException | IllegalStateException e) {
            return none(null);
        }
        String type = string(json, "eventType").or(() -> string(json, "notificationType")).orElse(null);
        if (type == null) {
            return none(null);
        }
        JsonObject mail = object(json, "mail");
        String messageId = mail == null ? null : string(mail, "messageId").orElse(null);
        List<String> destination = mail == null ? List.of() : addresses(array(mail, "destination"), null);
        Instant mailTime = mail == null ? publishedAt : instant(mail, "timestamp", publishedAt);
        if (messageId == null || messageId.isBlank()) {
            return none(type);
        }
        List<SesEvent> events = switch (type) {
            case "Bounce" -> bounces(object(json, "bounce"), mailTime);
            case "Complaint" -> complaints(object(json, "complaint"), destination, mailTime);
            case "Delivery" -> deliveries(object(json, "delivery"), destination, mailTime);
            case "Open" -> List.of(new SesEvent(Kind.OPEN, null, instant(object(json, "open"), "timestamp", mailTime),
                    null, null, null));
            case "Click" -> {
                JsonObject click = object(json, "click");
                yield List.of(new SesEvent(Kind.CLICK, null, instant(click, "timestamp", mailTime), null, null,
                        click == null ? null : truncate(string(click, "link").orElse(null))));
            }
            default -> List.of();
        };
        return new SesNotification(type, messageId, destination, events);
    }

    private static List<SesEvent> bounces(JsonObject bounce, Instant fallback) {
        if (bounce == null) {
            return List.of();
        }
        String bounceType = string(bounce, "bounceType").orElse("Undetermined");
        String subType = string(bounce, "bounceSubType").orElse(null);
        Instant at = instant(bounce, "timestamp", fallback);
        List<SesEvent> events = new ArrayList<>();
        for (JsonObject r : objects(array(bounce, "bouncedRecipients"))) {
            address(string(r, "emailAddress").orElse(null)).ifPresent(a -> events.add(new SesEvent(Kind.BOUNCE, a,
                    at, bounceType, subType, truncate(string(r, "diagnosticCode").orElse(null)))));
        }
        return events;
    }

    private static List<SesEvent> complaints(JsonObject complaint, List<String> destination, Instant fallback) {
        if (complaint == null) {
            return List.of();
        }
        Instant at = instant(complaint, "timestamp", fallback);
        String feedback = truncate(string(complaint, "complaintFeedbackType").orElse(null));
        List<String> who = new ArrayList<>();
        for (JsonObject r : objects(array(complaint, "complainedRecipients"))) {
            address(string(r, "emailAddress").orElse(null)).ifPresent(who::add);
        }
        // some feedback loops do not name the recipient: then it is the message's
        return (who.isEmpty() ? destination : who).stream()
                .map(a -> new SesEvent(Kind.COMPLAINT, a, at, null, null, feedback)).toList();
    }

    private static List<SesEvent> deliveries(JsonObject delivery, List<String> destination, Instant fallback) {
        if (delivery == null) {
            return List.of();
        }
        Instant at = instant(delivery, "timestamp", fallback);
        List<String> recipients = addresses(array(delivery, "recipients"), destination);
        return recipients.stream().map(a -> new SesEvent(Kind.DELIVERY, a, at, null, null, null)).toList();
    }

    private static List<String> addresses(JsonArray array, List<String> fallback) {
        List<String> out = new ArrayList<>();
        if (array != null) {
            for (JsonValue v : array) {
                if (v instanceof JsonString s) {
                    address(s.getString()).ifPresent(out::add);
                }
            }
        }
        return out.isEmpty() && fallback != null ? fallback : List.copyOf(out);
    }

    private static Optional<String> address(String raw) {
        return SuppressedAddress.normalize(raw);
    }

    private static Optional<String> string(JsonObject o, String key) {
        return o != null && o.get(key) instanceof JsonString s ? Optional.of(s.getString()) : Optional.empty();
    }

    private static JsonObject object(JsonObject o, String key) {
        return o != null && o.get(key) instanceof JsonObject child ? child : null;
    }

    private static JsonArray array(JsonObject o, String key) {
        return o != null && o.get(key) instanceof JsonArray a ? a : null;
    }

    private static List<JsonObject> objects(JsonArray array) {
        return array == null ? List.of()
                : array.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast).toList();
    }

    private static Instant instant(JsonObject o, String key, Instant fallback) {
        try {
            return string(o, key).map(Instant::parse).orElse(fallback);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL);
    }
}
