package dev.senders.application.events;

import dev.senders.application.events.SesNotification.Kind;
import dev.senders.infrastructure.resend.ResendWebhookRejected;
import dev.senders.sandbox.ResendWebhooks;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Resend's webhook payloads, as its OpenAPI describes them, read into the events the module stores. */
class ResendEventTest {

    @Test
    void aBounceKeepsResendsTypeSubTypeAndDiagnostic() {
        ResendEvent e = ResendEvent.parse(ResendWebhooks.bounced("em_1", "Gone@Inbox.net", "Permanent"));
        assertThat(e.type()).isEqualTo("email.bounced");
        assertThat(e.emailId()).isEqualTo("em_1");
        assertThat(e.events()).singleElement().satisfies(b -> {
            assertThat(b.kind()).isEqualTo(Kind.BOUNCE);
            assertThat(b.recipient()).isEqualTo("gone@inbox.net");
            assertThat(b.permanentBounce()).isTrue();
            assertThat(b.bounceSubType()).isEqualTo("General");
            assertThat(b.detail()).isEqualTo("smtp; 550 5.1.1 user unknown");
        });
        assertThat(ResendEvent.parse(ResendWebhooks.bounced("em_2", "full@inbox.net", "Transient")).events().get(0)
                .permanentBounce()).isFalse();
    }

    @Test
    void aBounceWithoutATypeIsPermanentAsResendDocumentsIt() {
        String body = "{\"type\":\"email.bounced\",\"created_at\":\"2026-12-04T10:00:00.000Z\",\"data\":{"
                + "\"email_id\":\"em_3\",\"to\":[\"x@inbox.net\"],\"subject\":\"s\",\"from\":\"a@b.c\","
                + "\"created_at\":\"2026-12-04T09:59:00.000Z\"}}";
        assertThat(ResendEvent.parse(body).events().get(0).permanentBounce()).isTrue();
    }

    @Test
    void complaintsDeliveriesAndClicksBecomeEventsOtherDocumentedTypesAreRecordedOnly() {
        assertThat(ResendEvent.parse(ResendWebhooks.complained("em_4", "a@inbox.net")).events().get(0).kind())
                .isEqualTo(Kind.COMPLAINT);
        assertThat(ResendEvent.parse(ResendWebhooks.delivered("em_5", "a@inbox.net")).events().get(0).kind())
                .isEqualTo(Kind.DELIVERY);
        assertThat(ResendEvent.parse(ResendWebhooks.clicked("em_6", "a@inbox.net", "https://shop.example/x"))
                .events().get(0).detail()).isEqualTo("https://shop.example/x");
        ResendEvent sent = ResendEvent.parse(ResendWebhooks.sent("em_7", "a@inbox.net"));
        assertThat(sent.events()).isEmpty();
        assertThat(sent.emailId()).isEqualTo("em_7");
        assertThat(ResendEvent.parse(ResendWebhooks.event("email.delivery_delayed", "em_8", "a@inbox.net",
                d -> { })).events()).isEmpty();
    }

    @Test
    void unknownTypesAndMalformedEventsAreRefused() {
        assertRefused(ResendWebhooks.event("email.exploded", "em_9", "a@inbox.net", d -> { }),
                ResendWebhookRejected.Reason.UNKNOWN_TYPE);
        assertRefused("{\"type\": \"email.bounced\"", ResendWebhookRejected.Reason.MALFORMED);
        assertRefused("[1, 2]", ResendWebhookRejected.Reason.MALFORMED);
        assertRefused("{\"type\": \"email.bounced\", \"created_at\": \"2026-12-04T10:00:00Z\"}",
                ResendWebhookRejected.Reason.MALFORMED);
        assertRefused("{\"type\": \"email.bounced\", \"created_at\": \"2026-12-04T10:00:00Z\", \"data\": {}}",
                ResendWebhookRejected.Reason.MALFORMED);
        assertRefused("{\"type\": \"email.bounced\", \"created_at\": \"yesterday\", \"data\": {\"email_id\": \"e\"}}",
                ResendWebhookRejected.Reason.MALFORMED);
    }

    private static void assertRefused(String body, ResendWebhookRejected.Reason reason) {
        assertThatThrownBy(() -> ResendEvent.parse(body)).isInstanceOf(ResendWebhookRejected.class)
                .satisfies(e -> assertThat(((ResendWebhookRejected) e).reason()).isEqualTo(reason));
    }
}
