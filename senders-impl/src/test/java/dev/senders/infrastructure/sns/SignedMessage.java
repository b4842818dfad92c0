package dev.senders.infrastructure.sns;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.util.UUID;

/**
 * An SNS message as SNS would post it, signed with the test PKI. The string to sign is built here independently of
 * the code under test, from AWS's documentation.
 */
final class SignedMessage {

    static final String TOPIC = "arn:aws:sns:us-east-2:123456789012:senders-ses-events";

    String type = SnsMessage.NOTIFICATION;
    String messageId = UUID.randomUUID().toString();
    String topicArn = TOPIC;
    String subject;
    String message = "{\"eventType\":\"Delivery\"}";
    String timestamp = Instant.now().toString();
    String signatureVersion = "2";
    String signingCertUrl = "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-test.pem";
    String subscribeUrl;
    String token;
    String unsubscribeUrl = "https://sns.us-east-2.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + TOPIC + ":1";
    /** When set, used instead of the computed signature. */
    String signature;

    static SignedMessage notification(String message) {
        SignedMessage m = new SignedMessage();
        m.message = message;
        return m;
    }

    static SignedMessage confirmation(String subscribeUrl) {
        SignedMessage m = new SignedMessage();
        m.type = SnsMessage.SUBSCRIPTION_CONFIRMATION;
        m.message = "You have chosen to subscribe to the topic " + m.topicArn + ".";
        m.subscribeUrl = subscribeUrl;
        m.token = "2336412f37fb687f5d51e6e2425c464d" + UUID.randomUUID().toString().replace("-", "");
        return m;
    }

    SignedMessage with(java.util.function.Consumer<SignedMessage> change) {
        change.accept(this);
        return this;
    }

    String stringToSign() {
        StringBuilder s = new StringBuilder();
        s.append("Message\n").append(message).append('\n');
        s.append("MessageId\n").append(messageId).append('\n');
        if (SnsMessage.NOTIFICATION.equals(type)) {
            if (subject != null) {
                s.append("Subject\n").append(subject).append('\n');
            }
            s.append("Timestamp\n").append(timestamp).append('\n');
        } else {
            s.append("SubscribeURL\n").append(subscribeUrl).append('\n');
            s.append("Timestamp\n").append(timestamp).append('\n');
            s.append("Token\n").append(token).append('\n');
        }
        s.append("TopicArn\n").append(topicArn).append('\n');
        s.append("Type\n").append(type).append('\n');
        return s.toString();
    }

    /** The request body, signed by the test PKI's SNS-like certificate. */
    String body(TestPki pki) {
        return body(signature != null ? signature : pki.sign(stringToSign(), signatureVersion));
    }

    String body(String withSignature) {
        JsonObjectBuilder b = Json.createObjectBuilder()
                .add("Type", type)
                .add("MessageId", messageId);
        if (token != null) {
            b.add("Token", token);
        }
        b.add("TopicArn", topicArn);
        if (subject != null) {
            b.add("Subject", subject);
        }
        b.add("Message", message)
                .add("Timestamp", timestamp)
                .add("SignatureVersion", signatureVersion)
                .add("Signature", withSignature)
                .add("SigningCertURL", signingCertUrl);
        if (subscribeUrl != null) {
            b.add("SubscribeURL", subscribeUrl);
        }
        if (SnsMessage.NOTIFICATION.equals(type)) {
            b.add("UnsubscribeURL", unsubscribeUrl);
        }
        return b.build().toString();
    }
}
