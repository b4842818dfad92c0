package dev.senders.application.events;

import dev.senders.application.events.SesNotification.Kind;
import dev.senders.application.events.SesNotification.SesEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** SES's two formats, with payloads shaped like the examples in the SES developer guide. */
class SesNotificationTest {

    private static final Instant SNS_TIME = Instant.parse("2024-05-01T10:00:00Z");

    private static final String MAIL = "\"mail\":{\"timestamp\":\"2024-05-01T09:59:00.000Z\","
            + "\"source\":\"news@acme.com\",\"messageId\":\"0102018f-abc\","
            + "\"destination\":[\"Ann Example <Ann@Example.COM>\"],"
            + "\"tags\":{\"organization\":[\"someone-else\"],\"campaign\":[\"999\"]}}";

    @Test
    void eventPublishingPermanentBounceGivesOneEventPerRecipient() {
        SesNotification n = SesNotification.parse("{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\","
                + "\"bounceSubType\":\"General\",\"bouncedRecipients\":[{\"emailAddress\":\"Ann@Example.COM\","
                + "\"action\":\"failed\",\"status\":\"5.1.1\",\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"},"
                + "{\"emailAddress\":\"bob@example.com\"}],\"timestamp\":\"2024-05-01T09:59:30.000Z\","
                + "\"feedbackId\":\"f-1\",\"reportingMTA\":\"dsn; a.example\"}," + MAIL + "}", SNS_TIME);
        assertThat(n.sesType()).isEqualTo("Bounce");
        assertThat(n.sesMessageId()).isEqualTo("0102018f-abc");
        assertThat(n.destination()).containsExactly("ann@example.com");
        assertThat(n.events()).hasSize(2);
        SesEvent first = n.events().get(0);
        assertThat(first.kind()).isEqualTo(Kind.BOUNCE);
        assertThat(first.recipient()).isEqualTo("ann@example.com");
        assertThat(first.permanentBounce()).isTrue();
        assertThat(first.bounceSubType()).isEqualTo("General");
        assertThat(first.detail()).isEqualTo("smtp; 550 5.1.1 user unknown");
        assertThat(first.occurredAt()).isEqualTo(Instant.parse("2024-05-01T09:59:30Z"));
        assertThat(n.events().get(1).recipient()).isEqualTo("bob@example.com");
    }

    @Test
    void identityNotificationTransientBounceIsNotPermanent() {
        SesNotification n = SesNotification.parse("{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":"
                + "\"Transient\",\"bounceSubType\":\"MailboxFull\",\"bouncedRecipients\":[{\"emailAddress\":"
                + "\"ann@example.com\"}],\"timestamp\":\"2024-05-01T09:59:30.000Z\"}," + MAIL + "}", SNS_TIME);
        assertThat(n.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.BOUNCE);
            assertThat(e.permanentBounce()).isFalse();
            assertThat(e.bounceType()).isEqualTo("Transient");
        });
        SesNotification undetermined = SesNotification.parse("{\"notificationType\":\"Bounce\",\"bounce\":{"
                + "\"bouncedRecipients\":[{\"emailAddress\":\"ann@example.com\"}]}," + MAIL + "}", SNS_TIME);
        assertThat(undetermined.events()).singleElement().satisfies(e -> {
            assertThat(e.bounceType()).isEqualTo("Undetermined");
            assertThat(e.permanentBounce()).isFalse();
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-01T09:59:00Z"));
        });
    }

    @Test
    void complaintsInBothFormats() {
        for (String key : new String[]{"eventType", "notificationType"}) {
            SesNotification n = SesNotification.parse("{\"" + key + "\":\"Complaint\",\"complaint\":{"
                    + "\"complainedRecipients\":[{\"emailAddress\":\"ann@example.com\"}],\"timestamp\":"
                    + "\"2024-05-01T11:00:00Z\",\"feedbackId\":\"f\",\"complaintFeedbackType\":\"abuse\"}," + MAIL + "}",
                    SNS_TIME);
            assertThat(n.events()).singleElement().satisfies(e -> {
                assertThat(e.kind()).isEqualTo(Kind.COMPLAINT);
                assertThat(e.recipient()).isEqualTo("ann@example.com");
                assertThat(e.detail()).isEqualTo("abuse");
            });
        }
        // a feedback loop that does not name the recipient: the message's
        SesNotification anonymous = SesNotification.parse("{\"eventType\":\"Complaint\",\"complaint\":{"
                + "\"complainedRecipients\":[]}," + MAIL + "}", SNS_TIME);
        assertThat(anonymous.events()).singleElement().satisfies(e -> assertThat(e.recipient())
                .isEqualTo("ann@example.com"));
    }

    @Test
    void deliveriesOpensAndClicks() {
        SesNotification delivery = SesNotification.parse("{\"notificationType\":\"Delivery\",\"delivery\":{"
                + "\"timestamp\":\"2024-05-01T10:00:01Z\",\"recipients\":[\"ann@example.com\"],"
                + "\"smtpResponse\":\"250 ok\"}," + MAIL + "}", SNS_TIME);
        assertThat(delivery.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.DELIVERY);
            assertThat(e.recipient()).isEqualTo("ann@example.com");
        });
        SesNotification open = SesNotification.parse("{\"eventType\":\"Open\",\"open\":{\"ipAddress\":\"192.0.2.1\","
                + "\"timestamp\":\"2024-05-01T12:00:00Z\",\"userAgent\":\"Mozilla\"}," + MAIL + "}", SNS_TIME);
        assertThat(open.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.OPEN);
            assertThat(e.recipient()).as("resolved from the send record").isNull();
            assertThat(e.occurredAt()).isEqualTo(Instant.parse("2024-05-01T12:00:00Z"));
        });
        SesNotification click = SesNotification.parse("{\"eventType\":\"Click\",\"click\":{\"ipAddress\":"
                + "\"192.0.2.1\",\"link\":\"https://acme.com/offer\",\"timestamp\":\"2024-05-01T12:01:00Z\"},"
                + MAIL + "}", SNS_TIME);
        assertThat(click.events()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(Kind.CLICK);
            assertThat(e.detail()).isEqualTo("https://acme.com/offer");
        });
    }

    @Test
    void otherTypesAndOtherMessagesGiveNoEvent() {
        assertThat(SesNotification.parse("{\"eventType\":\"Send\",\"send\":{}," + MAIL + "}", SNS_TIME).events())
                .isEmpty();
        assertThat(SesNotification.parse("{\"eventType\":\"Rendering Failure\"," + MAIL + "}", SNS_TIME).sesType())
                .isEqualTo("Rendering Failure");
        assertThat(SesNotification.parse("{\"notificationType\":\"AmazonSnsSubscriptionSucceeded\",\"message\":"
                + "\"You have successfully subscribed\"}", SNS_TIME).events()).isEmpty();
        assertThat(SesNotification.parse("Hello world", SNS_TIME).sesType()).isNull();
        assertThat(SesNotification.parse("[1,2]", SNS_TIME).events()).isEmpty();
        // no message id: nothing to attribute it to
        assertThat(SesNotification.parse("{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\","
                + "\"bouncedRecipients\":[{\"emailAddress\":\"a@b.com\"}]}}", SNS_TIME).events()).isEmpty();
        // a recipient that is not an address is skipped
        assertThat(SesNotification.parse("{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\","
                + "\"bouncedRecipients\":[{\"emailAddress\":\"nobody\"},{\"emailAddress\":42}]}," + MAIL + "}",
                SNS_TIME).events()).isEmpty();
    }
}
