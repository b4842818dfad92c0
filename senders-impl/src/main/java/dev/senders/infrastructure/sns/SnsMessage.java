package dev.senders.infrastructure.sns;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One message Amazon SNS posts to an HTTP(S) subscriber: the JSON document of the request body (sent as
 * {@code text/plain}), with every field exactly as it arrived. The values are the JSON strings' decoded contents and
 * are never reformatted, since the signature covers them byte for byte ({@link #stringToSign()}).
 *
 * <p>Parsing is strict: one JSON object, no duplicate keys (two {@code Message} fields could otherwise let the
 * verified value differ from the one acted on), string values for the known fields, and the fields each type needs.
 *
 * @param type             {@code Notification}, {@code SubscriptionConfirmation} or {@code UnsubscribeConfirmation}
 * @param messageId        SNS's id of the message (unique per message; a redelivery repeats it)
 * @param topicArn         the topic, {@code arn:<partition>:sns:<region>:<account>:<name>}
 * @param subject          the subject, or null when absent (then it is not part of the signed string)
 * @param message          the payload: for SES events, their own JSON document
 * @param timestamp        when SNS published it, ISO-8601, as sent
 * @param signatureVersion {@code 1} (SHA1withRSA) or {@code 2} (SHA256withRSA)
 * @param signature        Base64 of the RSA signature of {@link #stringToSign()}
 * @param signingCertUrl   where the signing certificate is
 * @param subscribeUrl     for confirmations, the URL that confirms the subscription; else null
 * @param token            for confirmations, the confirmation token; else null
 * @param publishedAt      {@code timestamp} as an instant, read once by {@link #parse} (the verifier, the webhook and
 *                         the store each need it)
 */
public record SnsMessage(String type, String messageId, String topicArn, String subject, String message,
                         String timestamp, String signatureVersion, String signature, String signingCertUrl,
                         String subscribeUrl, String token, Instant publishedAt) {

    public static final String NOTIFICATION = "Notification";
    public static final String SUBSCRIPTION_CONFIRMATION = "SubscriptionConfirmation";
    public static final String UNSUBSCRIBE_CONFIRMATION = "UnsubscribeConfirmation";
    public static final Set<String> TYPES = Set.of(NOTIFICATION, SUBSCRIPTION_CONFIRMATION, UNSUBSCRIBE_CONFIRMATION);

    /** {@code arn:<partition>:sns:<region>:<account id>:<topic name>} */
    private static final Pattern TOPIC_ARN =
            Pattern.compile("arn:(aws|aws-us-gov):sns:([a-z]{2}(?:-[a-z]+)+-\\d{1,2}):(\\d{12}):([A-Za-z0-9_.-]{1,256})");

    private static final JsonReaderFactory READERS =
            Json.createReaderFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

    /** The fields whose value, when present, must be a JSON string. */
    private static final List<String> STRING_FIELDS = List.of("Type", "MessageId", "TopicArn", "Subject", "Message",
            "Timestamp", "SignatureVersion", "Signature", "SigningCertURL", "SubscribeURL", "Token",
            "UnsubscribeURL");

    /**
     * Reads the request body.
     *
     * @throws SnsRejected (400) when it is not an SNS message
     */
    public static SnsMessage parse(String body) {
        if (body == null || body.isBlank()) {
            throw SnsRejected.malformed("The request body is empty");
        }
        JsonValue value;
        try (var reader = READERS.createReader(new StringReader(body))) {
            value = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw SnsRejected.malformed("The request body is not a JSON document");
        }
        if (!(value instanceof JsonObject json)) {
            throw SnsRejected.malformed("The request body is not a JSON object");
        }
        for (String field : STRING_FIELDS) {
            JsonValue v = json.get(field);
            if (v != null && v.getValueType() != JsonValue.ValueType.NULL && !(v instanceof JsonString)) {
                throw SnsRejected.malformed(field + " must be a string");
            }
        }
        SnsMessage m = new SnsMessage(string(json, "Type"), string(json, "MessageId"), string(json, "TopicArn"),
                string(json, "Subject"), string(json, "Message"), string(json, "Timestamp"),
                string(json, "SignatureVersion"), string(json, "Signature"), string(json, "SigningCertURL"),
                string(json, "SubscribeURL"), string(json, "Token"), null);
        m.requireFields();
        return new SnsMessage(m.type, m.messageId, m.topicArn, m.subject, m.message, m.timestamp, m.signatureVersion,
                m.signature, m.signingCertUrl, m.subscribeUrl, m.token, instant(m.timestamp));
    }

    private void requireFields() {
        if (type == null || !TYPES.contains(type)) {
            throw SnsRejected.malformed("Type must be one of " + TYPES);
        }
        require("MessageId", messageId);
        require("TopicArn", topicArn);
        require("Message", message);
        require("Timestamp", timestamp);
        require("SignatureVersion", signatureVersion);
        require("Signature", signature);
        require("SigningCertURL", signingCertUrl);
        if (!NOTIFICATION.equals(type)) {
            require("SubscribeURL", subscribeUrl);
            require("Token", token);
        }
        if (messageId.length() > 100) {
            throw SnsRejected.malformed("MessageId is too long");
        }
        if (!TOPIC_ARN.matcher(topicArn).matches()) {
            throw SnsRejected.malformed("TopicArn is not an SNS topic ARN");
        }
    }

    private static void require(String field, String value) {
        if (value == null) {
            throw SnsRejected.malformed(field + " is required");
        }
    }

    /** A JSON string's value; absent and null are both null (SNS leaves an absent Subject out). */
    private static String string(JsonObject json, String field) {
        JsonValue v = json.get(field);
        return v instanceof JsonString s ? s.getString() : null;
    }

    /** The Timestamp as an instant. */
    private static Instant instant(String timestamp) {
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            throw SnsRejected.malformed("Timestamp is not an ISO-8601 instant");
        }
    }

    /** The topic's region, e.g. {@code us-east-2}. */
    public String region() {
        return topicPart(2);
    }

    private String topicPart(int group) {
        Matcher m = TOPIC_ARN.matcher(topicArn);
        if (!m.matches()) {
            throw SnsRejected.malformed("TopicArn is not an SNS topic ARN");
        }
        return m.group(group);
    }

    /**
     * The SNS host of the topic's region, the only host certificates and subscription confirmations may come from:
     * {@code sns.<region>.amazonaws.com} (also for AWS GovCloud, whose regions are named {@code us-gov-*}).
     */
    public String snsHost() {
        return "sns." + region() + ".amazonaws.com";
    }

    /**
     * The string SNS signed, as AWS documents it: for each field in this order, its name, a newline, its raw value,
     * a newline. Notification: Message, MessageId, Subject (only if present), Timestamp, TopicArn, Type.
     * SubscriptionConfirmation and UnsubscribeConfirmation: Message, MessageId, SubscribeURL, Timestamp, Token,
     * TopicArn, Type.
     */
    public String stringToSign() {
        StringBuilder s = new StringBuilder(message.length() + 512);
        field(s, "Message", message);
        field(s, "MessageId", messageId);
        if (NOTIFICATION.equals(type)) {
            if (subject != null) {
                field(s, "Subject", subject);
            }
        } else {
            field(s, "SubscribeURL", subscribeUrl);
        }
        field(s, "Timestamp", timestamp);
        if (!NOTIFICATION.equals(type)) {
            field(s, "Token", token);
        }
        field(s, "TopicArn", topicArn);
        field(s, "Type", type);
        return s.toString();
    }

    private static void field(StringBuilder s, String name, String value) {
        s.append(name).append('\n').append(value).append('\n');
    }

    @Override
    public String toString() {
        // the payload may hold addresses: leave it out of logs
        return "SnsMessage[" + type + " " + messageId + " on " + topicArn + " at " + timestamp + "]";
    }
}
