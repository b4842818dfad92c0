package dev.senders.sandbox.sns;

import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An SNS message as SNS posts it to an HTTP(S) subscriber; the string to sign follows AWS's documentation
 * ("Verifying the signatures of Amazon SNS messages"). Fields are public so a test can forge any of them.
 */
public final class SnsMessage {

    public String type = "Notification";
    public String messageId = UUID.randomUUID().toString();
    public String topicArn;
    public String subject;
    public String message;
    public String timestamp = Instant.now().toString();
    public String signatureVersion = "2";
    public String signingCertUrl;
    public String subscribeUrl;
    public String token;

    private SnsMessage(String topicArn, String signingCertUrl) {
        this.topicArn = topicArn;
        this.signingCertUrl = signingCertUrl;
    }

    public static SnsMessage notification(String topicArn, String signingCertUrl, String message) {
        SnsMessage m = new SnsMessage(topicArn, signingCertUrl);
        m.message = message;
        return m;
    }

    public static SnsMessage confirmation(String topicArn, String signingCertUrl, String subscribeUrl, String token) {
        SnsMessage m = new SnsMessage(topicArn, signingCertUrl);
        m.type = "SubscriptionConfirmation";
        m.message = "You have chosen to subscribe to the topic " + topicArn + ".";
        m.subscribeUrl = subscribeUrl;
        m.token = token;
        return m;
    }

    public SnsMessage with(Consumer<SnsMessage> change) {
        change.accept(this);
        return this;
    }

    public String stringToSign() {
        StringBuilder s = new StringBuilder("Message\n" + message + "\nMessageId\n" + messageId + "\n");
        if (type.equals("Notification")) {
            if (subject != null) {
                s.append("Subject\n").append(subject).append('\n');
            }
            s.append("Timestamp\n").append(timestamp).append('\n');
        } else {
            s.append("SubscribeURL\n").append(subscribeUrl).append("\nTimestamp\n").append(timestamp)
                    .append("\nToken\n").append(token).append('\n');
        }
        return s.append("TopicArn\n").append(topicArn).append("\nType\n").append(type).append('\n').toString();
    }

    /** The JSON body, signed by the PKI's SNS-like signing key. */
    public String body(SnsPki pki) {
        return body(pki.sign(stringToSign(), signatureVersion));
    }

    /** The JSON body with this signature (a forged one, say). */
    public String body(String signature) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("Type", type).add("MessageId", messageId);
        if (token != null) {
            b.add("Token", token);
        }
        b.add("TopicArn", topicArn);
        if (subject != null) {
            b.add("Subject", subject);
        }
        b.add("Message", message).add("Timestamp", timestamp).add("SignatureVersion", signatureVersion)
                .add("Signature", signature).add("SigningCertURL", signingCertUrl);
        if (subscribeUrl != null) {
            b.add("SubscribeURL", subscribeUrl);
        } else {
            b.add("UnsubscribeURL", "https://sns.ap-southeast-1.amazonaws.com/?Action=Unsubscribe"
                    + "&SubscriptionArn=" + topicArn + ":1");
        }
        return b.build().toString();
    }
}
