package dev.senders.infrastructure.sns;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production rules, with the test PKI's SNS-like certificate (keytool-made, see {@link TestPki}). */
class SnsSignaturesTest {

    private final TestPki pki = TestPki.get();

    private SnsMessage parse(SignedMessage m) {
        return SnsMessage.parse(m.body(pki));
    }

    private static void refused(Runnable check, int status, String reason) {
        assertThatThrownBy(check::run).isInstanceOfSatisfying(SnsRejected.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }

    @Test
    void validVersion1AndVersion2NotificationsVerify() {
        for (String version : new String[]{"1", "2"}) {
            SnsMessage m = parse(SignedMessage.notification("{\"eventType\":\"Bounce\",\"x\":\"\\u00e9\\n\"}")
                    .with(s -> s.signatureVersion = version));
            assertThatCode(() -> SnsSignatures.verifySignature(m, pki.signer)).as("v" + version)
                    .doesNotThrowAnyException();
            SnsMessage withSubject = parse(SignedMessage.notification("hello").with(s -> {
                s.signatureVersion = version;
                s.subject = "Amazon SES Email Event Notification";
            }));
            assertThatCode(() -> SnsSignatures.verifySignature(withSubject, pki.signer)).doesNotThrowAnyException();
        }
        SnsMessage confirmation = parse(SignedMessage.confirmation(
                "https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=" + SignedMessage.TOPIC
                        + "&Token=abc"));
        assertThatCode(() -> SnsSignatures.verifySignature(confirmation, pki.signer)).doesNotThrowAnyException();
    }

    @Test
    void aForgedSignatureIsRefused() {
        SignedMessage original = SignedMessage.notification("{\"eventType\":\"Bounce\"}");
        String signature = pki.sign(original.stringToSign(), "2");
        // the payload changed after signing
        SnsMessage tampered = SnsMessage.parse(original.with(m -> m.message = "{\"eventType\":\"Complaint\"}")
                .body(signature));
        refused(() -> SnsSignatures.verifySignature(tampered, pki.signer), 403, "sns-signature-invalid");
        // a v2 signature presented as v1
        SignedMessage v2 = SignedMessage.notification("x");
        SnsMessage downgraded = SnsMessage.parse(v2.body(pki.sign(v2.with(m -> m.signatureVersion = "1")
                .stringToSign(), "2")));
        refused(() -> SnsSignatures.verifySignature(downgraded, pki.signer), 403, "sns-signature-invalid");
        // the subject dropped
        SignedMessage subject = SignedMessage.notification("x").with(m -> m.subject = "s");
        String subjectSignature = pki.sign(subject.stringToSign(), "2");
        SnsMessage withoutSubject = SnsMessage.parse(subject.with(m -> m.subject = null).body(subjectSignature));
        refused(() -> SnsSignatures.verifySignature(withoutSubject, pki.signer), 403, "sns-signature-invalid");
        // signed by another key than the certificate's
        SnsMessage otherKey = parse(SignedMessage.notification("x"));
        refused(() -> SnsSignatures.verifySignature(otherKey, pki.ca), 403, "sns-signature-invalid");
        // not Base64, unknown version
        refused(() -> SnsSignatures.verifySignature(SnsMessage.parse(SignedMessage.notification("x").body("%%%")),
                pki.signer), 403, "sns-signature-invalid");
        refused(() -> SnsSignatures.verifySignature(parse(SignedMessage.notification("x")
                .with(m -> m.signatureVersion = "3")), pki.signer), 403, "sns-signature-invalid");
    }

    @Test
    void theCertificateMustBeCurrentAndIssuedToSns() {
        Instant now = Instant.now();
        assertThatCode(() -> SnsSignatures.checkCertificate(pki.signer, now)).doesNotThrowAnyException();
        refused(() -> SnsSignatures.checkCertificate(pki.expired, now), 403, "sns-certificate-invalid");
        refused(() -> SnsSignatures.checkCertificate(pki.signer, now.plus(10, ChronoUnit.DAYS)), 403,
                "sns-certificate-invalid");
        refused(() -> SnsSignatures.checkCertificate(pki.signer, now.minus(2, ChronoUnit.DAYS)), 403,
                "sns-certificate-invalid");
        refused(() -> SnsSignatures.checkCertificate(pki.wrongName, now), 403, "sns-certificate-invalid");
        refused(() -> SnsSignatures.checkCertificate(pki.caFlagged, now), 403, "sns-certificate-invalid");
        refused(() -> SnsSignatures.checkCertificate(pki.ca, now), 403, "sns-certificate-invalid");
        assertThat(SnsSignatures.commonName(pki.signer)).contains("sns.amazonaws.com");
        assertThat(SnsSignatures.dnsNames(pki.signer)).containsExactly("sns.amazonaws.com");
    }

    @Test
    void theCertificateUrlMustBeAnHttpsPemOnTheSnsHostOfTheTopicsRegion() {
        String ok = "https://sns.us-east-2.amazonaws.com/SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem";
        assertThat(SnsSignatures.checkCertificateUrl(message(ok), Optional.empty())).hasToString(ok);
        assertThat(SnsSignatures.checkCertificateUrl(message("https://SNS.us-east-2.amazonaws.com:443/a.pem"),
                Optional.empty())).isNotNull();
        for (String url : new String[]{
                "http://sns.us-east-2.amazonaws.com/a.pem",                  // not https
                "https://sns.us-east-1.amazonaws.com/a.pem",                 // another region
                "https://sns.amazonaws.com/a.pem",
                "https://evil.example.com/a.pem",                            // off-host
                "https://sns.us-east-2.amazonaws.com.evil.example.com/a.pem",
                "https://evil.example.com/sns.us-east-2.amazonaws.com/a.pem",
                "https://sns.us-east-2.amazonaws.com@evil.example.com/a.pem",
                "https://user@sns.us-east-2.amazonaws.com/a.pem",            // user info
                "https://sns.us-east-2.amazonaws.com:8443/a.pem",            // another port
                "https://sns.us-east-2.amazonaws.com/a.txt",                 // not .pem
                "https://sns.us-east-2.amazonaws.com/a.pem.txt",
                "https://sns.us-east-2.amazonaws.com/",
                "https://sns.us-east-2.amazonaws.com/dir/a.pem",             // more than one segment
                "https://sns.us-east-2.amazonaws.com/../a.pem",
                "https://sns.us-east-2.amazonaws.com/a.pem?x=1",             // query
                "https://sns.us-east-2.amazonaws.com/a.pem#f",               // fragment
                "https://127.0.0.1:8443/a.pem",                              // the test host, not configured
                "file:///etc/passwd",
                "https://sns.us-east-2.amazonaws.com/a b.pem",
                "//sns.us-east-2.amazonaws.com/a.pem"}) {
            assertThatThrownBy(() -> SnsSignatures.checkCertificateUrl(message(url), Optional.empty())).as(url)
                    .isInstanceOfSatisfying(SnsRejected.class, e -> assertThat(e.status()).isEqualTo(403));
        }
    }

    @Test
    void theTestHostIsTrustedOnlyWhenConfiguredAndOnlyExactly() {
        Optional<String> test = Optional.of("127.0.0.1:8443");
        assertThat(SnsSignatures.checkCertificateUrl(message("https://127.0.0.1:8443/a.pem"), test)).isNotNull();
        for (String url : new String[]{"http://127.0.0.1:8443/a.pem", "https://127.0.0.1:8444/a.pem",
                "https://localhost:8443/a.pem", "https://127.0.0.1/a.pem", "https://127.0.0.1:8443/a.txt"}) {
            assertThatThrownBy(() -> SnsSignatures.checkCertificateUrl(message(url), test)).as(url)
                    .isInstanceOf(SnsRejected.class);
        }
        // production's host stays accepted alongside
        assertThat(SnsSignatures.checkCertificateUrl(message("https://sns.us-east-2.amazonaws.com/a.pem"), test))
                .isNotNull();
    }

    private static SnsMessage message(String certificateUrl) {
        return SnsMessage.parse(SignedMessage.notification("x").with(m -> m.signingCertUrl = certificateUrl)
                .body("c2ln"));
    }
}
