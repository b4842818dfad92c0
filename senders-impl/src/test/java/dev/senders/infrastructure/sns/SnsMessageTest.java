package dev.senders.infrastructure.sns;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnsMessageTest {

    private static final String NOTIFICATION = "{\"Type\":\"Notification\",\"MessageId\":\"m-1\","
            + "\"TopicArn\":\"arn:aws:sns:us-east-2:123456789012:t\",\"Message\":\"Hello\\nworld \\u00e9 \\\"q\\\"\","
            + "\"Timestamp\":\"2024-01-02T03:04:05.000Z\",\"SignatureVersion\":\"1\",\"Signature\":\"c2ln\","
            + "\"SigningCertURL\":\"https://sns.us-east-2.amazonaws.com/x.pem\","
            + "\"UnsubscribeURL\":\"https://sns.us-east-2.amazonaws.com/?Action=Unsubscribe\"}";

    @Test
    void theNotificationStringToSignUsesTheRawValuesInAwsOrder() {
        SnsMessage m = SnsMessage.parse(NOTIFICATION);
        // the JSON escapes are decoded, nothing else changes: the timestamp keeps its ".000"
        assertThat(m.stringToSign()).isEqualTo("Message\nHello\nworld \u00e9 \"q\"\nMessageId\nm-1\n"
                + "Timestamp\n2024-01-02T03:04:05.000Z\nTopicArn\narn:aws:sns:us-east-2:123456789012:t\n"
                + "Type\nNotification\n");
        assertThat(m.region()).isEqualTo("us-east-2");
        assertThat(m.snsHost()).isEqualTo("sns.us-east-2.amazonaws.com");
        assertThat(m.publishedAt()).isEqualTo(Instant.parse("2024-01-02T03:04:05Z"));
    }

    @Test
    void aSubjectIsSignedWhenPresentAndANullSubjectCountsAsAbsent() {
        String withSubject = NOTIFICATION.replace("\"Message\":", "\"Subject\":\"Hi there\",\"Message\":");
        assertThat(SnsMessage.parse(withSubject).stringToSign()).contains("MessageId\nm-1\nSubject\nHi there\n"
                + "Timestamp\n");
        String nullSubject = NOTIFICATION.replace("\"Message\":", "\"Subject\":null,\"Message\":");
        assertThat(SnsMessage.parse(nullSubject).stringToSign()).doesNotContain("Subject");
        String emptySubject = NOTIFICATION.replace("\"Message\":", "\"Subject\":\"\",\"Message\":");
        assertThat(SnsMessage.parse(emptySubject).stringToSign()).contains("Subject\n\n");
    }

    @Test
    void theConfirmationStringToSignHasSubscribeUrlAndToken() {
        SignedMessage c = SignedMessage.confirmation("https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription");
        SnsMessage m = SnsMessage.parse(c.body("c2ln"));
        assertThat(m.stringToSign()).isEqualTo("Message\n" + c.message + "\nMessageId\n" + c.messageId
                + "\nSubscribeURL\n" + c.subscribeUrl + "\nTimestamp\n" + c.timestamp + "\nToken\n" + c.token
                + "\nTopicArn\n" + c.topicArn + "\nType\nSubscriptionConfirmation\n");
    }

    @Test
    void malformedMessagesAreRefusedWith400() {
        for (String body : new String[]{"", "  ", "[1]", "\"x\"", "{", "not json",
                NOTIFICATION.replace("\"Type\":\"Notification\"", "\"Type\":\"Other\""),
                NOTIFICATION.replace("\"MessageId\":\"m-1\",", ""),
                NOTIFICATION.replace("\"Signature\":\"c2ln\",", ""),
                NOTIFICATION.replace("\"Timestamp\":\"2024-01-02T03:04:05.000Z\"", "\"Timestamp\":\"yesterday\""),
                NOTIFICATION.replace("arn:aws:sns:us-east-2:123456789012:t", "arn:aws:sqs:us-east-2:123456789012:t"),
                NOTIFICATION.replace("arn:aws:sns:us-east-2:123456789012:t", "arn:aws:sns:evil.com/x:123456789012:t"),
                NOTIFICATION.replace("\"SignatureVersion\":\"1\"", "\"SignatureVersion\":1"),
                // a second Message could let the verified value differ from the one acted on
                NOTIFICATION.replace("\"Message\":", "\"Message\":\"other\",\"Message\":"),
                SignedMessage.confirmation("https://sns.us-east-2.amazonaws.com/").with(c -> c.token = null)
                        .body("c2ln")}) {
            assertThatThrownBy(() -> SnsMessage.parse(body)).as(body).isInstanceOfSatisfying(SnsRejected.class,
                    e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void theMessageIsLeftOutOfToString() {
        assertThat(SnsMessage.parse(NOTIFICATION).toString()).contains("m-1").doesNotContain("Hello");
    }
}
