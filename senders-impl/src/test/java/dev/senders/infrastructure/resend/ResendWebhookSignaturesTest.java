package dev.senders.infrastructure.resend;

import dev.senders.infrastructure.resend.ResendWebhookRejected.Reason;
import dev.senders.sandbox.ResendWebhooks;
import dev.senders.sandbox.TestCredentials;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Resend webhook's signature check, with deliveries signed by the sandbox's own HMAC code (written from the
 * Standard Webhooks specification, not with the library the module verifies with).
 */
class ResendWebhookSignaturesTest {

    private static final String SECRET = TestCredentials.RESEND_WEBHOOK_SECRET;
    private static final String NEXT = TestCredentials.RESEND_WEBHOOK_SECRET_NEXT;
    private static final String BODY = ResendWebhooks.bounced("4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
            "gone@inbox.net", "Permanent");

    private final ResendWebhookSignatures signatures = new ResendWebhookSignatures(SECRET + ", " + NEXT,
            Duration.ofMinutes(5), Clock.systemUTC());

    @Test
    void aDeliverySignedWithEitherConfiguredSecretIsAccepted() {
        for (String secret : new String[]{SECRET, NEXT}) {
            ResendWebhooks.Delivery d = ResendWebhooks.signed(secret, BODY);
            ResendWebhookSignatures.Verified verified = verify(signatures, d, d.body());
            assertThat(verified.id()).isEqualTo(d.id());
        }
    }

    @Test
    void anyOfSeveralSignaturesMayMatch() {
        ResendWebhooks.Delivery d = ResendWebhooks.signed(SECRET, BODY);
        String both = "v1,bm90IHRoaXMgb25l " + d.headers().get("svix-signature");
        assertThat(signatures.verify(d.id(), d.headers().get("svix-timestamp"), both, d.body()).id())
                .isEqualTo(d.id());
    }

    @Test
    void aChangedBodyAnotherSecretOrAChangedIdIsRefused() {
        ResendWebhooks.Delivery d = ResendWebhooks.signed(SECRET, BODY);
        assertRefused(() -> verify(signatures, d, d.body().replace("Permanent", "Transient")), Reason.BAD_SIGNATURE);
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString("someone-else".getBytes());
        ResendWebhooks.Delivery forged = ResendWebhooks.signed(other, BODY);
        assertRefused(() -> verify(signatures, forged, forged.body()), Reason.BAD_SIGNATURE);
        assertRefused(() -> signatures.verify("msg_other", d.headers().get("svix-timestamp"),
                d.headers().get("svix-signature"), d.body()), Reason.BAD_SIGNATURE);
    }

    @Test
    void aTimestampOutOfToleranceIsRefusedBeforeTheSignature() {
        Instant now = Instant.now();
        for (Instant at : new Instant[]{now.minus(Duration.ofMinutes(6)), now.plus(Duration.ofMinutes(6))}) {
            ResendWebhooks.Delivery d = ResendWebhooks.signed(SECRET, "msg_1", at, BODY);
            assertRefused(() -> verify(signatures, d, d.body()), Reason.STALE_TIMESTAMP);
        }
        ResendWebhookSignatures strict = new ResendWebhookSignatures(SECRET, Duration.ofSeconds(30),
                Clock.fixed(now, ZoneOffset.UTC));
        ResendWebhooks.Delivery minuteOld = ResendWebhooks.signed(SECRET, "msg_2", now.minusSeconds(60), BODY);
        assertRefused(() -> verify(strict, minuteOld, minuteOld.body()), Reason.STALE_TIMESTAMP);
    }

    @Test
    void missingOrMalformedHeadersAreRefused() {
        ResendWebhooks.Delivery d = ResendWebhooks.signed(SECRET, BODY);
        String ts = d.headers().get("svix-timestamp");
        String sig = d.headers().get("svix-signature");
        assertRefused(() -> signatures.verify(null, ts, sig, BODY), Reason.MISSING_HEADERS);
        assertRefused(() -> signatures.verify(d.id(), null, sig, BODY), Reason.MISSING_HEADERS);
        assertRefused(() -> signatures.verify(d.id(), ts, null, BODY), Reason.MISSING_HEADERS);
        assertRefused(() -> signatures.verify(d.id(), "12.5", sig, BODY), Reason.MISSING_HEADERS);
        assertRefused(() -> signatures.verify("id with spaces", ts, sig, BODY), Reason.MISSING_HEADERS);
    }

    @Test
    void withoutASecretEveryDeliveryIsRefused() {
        ResendWebhookSignatures none = new ResendWebhookSignatures("", Duration.ofMinutes(5), Clock.systemUTC());
        ResendWebhooks.Delivery d = ResendWebhooks.signed(SECRET, BODY);
        assertRefused(() -> verify(none, d, d.body()), Reason.NOT_CONFIGURED);
    }

    @Test
    void aMalformedSecretIsAConfigurationErrorThatDoesNotShowIt() {
        assertThatThrownBy(() -> ResendWebhookSignatures.parse(java.util.Optional.of("whsec_%%%not-base64%%%")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ResendWebhookSignatures.SECRET_KEY)
                .hasMessageNotContaining("not-base64");
    }

    private static ResendWebhookSignatures.Verified verify(ResendWebhookSignatures s, ResendWebhooks.Delivery d,
                                                           String body) {
        return s.verify(d.id(), d.headers().get("svix-timestamp"), d.headers().get("svix-signature"), body);
    }

    private static void assertRefused(Runnable call, Reason reason) {
        assertThatThrownBy(call::run).isInstanceOf(ResendWebhookRejected.class)
                .satisfies(e -> assertThat(((ResendWebhookRejected) e).reason()).isEqualTo(reason));
    }
}
