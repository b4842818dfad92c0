package dev.senders.infrastructure.sns;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The whole check, with the certificate fetched over TLS from a local https server that only the test-only trust
 * setting ({@code senders.sns.test.trusted-cert-host} + trust store) lets through.
 */
class SnsVerifierTest {

    private static TestPki pki;
    private static LocalHttps server;

    private final Instant now = Instant.now();
    private SnsSettings settings;
    private SnsVerifier verifier;

    @BeforeAll
    static void start() {
        pki = TestPki.get();
        server = new LocalHttps(pki);
        server.serve("/cert.pem", 200, pki.pem("signer.pem"));
        server.serve("/expired.pem", 200, pki.pem("expired.pem"));
        server.serve("/wrong-name.pem", 200, pki.pem("wrong-name.pem"));
        server.serve("/garbage.pem", 200, "not a certificate".getBytes());
        server.serve("/big.pem", 200, new byte[SnsCertificates.MAX_CERTIFICATE_BYTES + 1]);
        server.serve("/down.pem", 503, new byte[0]);
        server.redirect("/moved.pem", server.url("/cert.pem"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void verifier() {
        settings = settings(32);
        verifier = verifier(settings);
        server.requests.clear();
    }

    private static SnsSettings settings(int cacheSize) {
        return new SnsSettings(Set.of(SignedMessage.TOPIC), Optional.empty(), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(3), cacheSize, Optional.of(new SnsSettings.TestTrust(
                server.hostAndPort(), pki.trustStore, TestPki.PASSWORD)));
    }

    private SnsVerifier verifier(SnsSettings s) {
        return new SnsVerifier(s, new SnsCertificates(s, new SnsHttp(s)), Clock.fixed(now, ZoneOffset.UTC));
    }

    private SignedMessage message() {
        return SignedMessage.notification("{\"eventType\":\"Delivery\"}").with(m -> {
            m.signingCertUrl = server.url("/cert.pem");
            m.timestamp = now.minusSeconds(5).toString();
        });
    }

    private void refused(String header, String body, int status, String reason) {
        assertThatThrownBy(() -> verifier.verify(header, body)).isInstanceOfSatisfying(SnsRejected.class, e -> {
            assertThat(e.status()).as(e.getMessage()).isEqualTo(status);
            assertThat(e.reason()).isEqualTo(reason);
        });
    }

    @Test
    void validVersion1AndVersion2NotificationsPassAndTheCertificateIsFetchedOnce() {
        SignedMessage v1 = message().with(m -> m.signatureVersion = "1");
        SignedMessage v2 = message();
        assertThat(verifier.verify("Notification", v1.body(pki)).messageId()).isEqualTo(v1.messageId);
        assertThat(verifier.verify("Notification", v2.body(pki)).messageId()).isEqualTo(v2.messageId);
        assertThat(server.requests).containsExactly("GET /cert.pem");
    }

    @Test
    void aForgedSignatureIsRefused() {
        SignedMessage m = message();
        String signature = pki.sign(m.stringToSign(), "2");
        refused("Notification", m.with(x -> x.message = "{\"eventType\":\"Bounce\"}").body(signature), 403,
                "sns-signature-invalid");
    }

    @Test
    void anotherTopicIsRefusedBeforeAnythingIsFetched() {
        refused("Notification", message().with(m -> m.topicArn = "arn:aws:sns:us-east-2:123456789012:other")
                .body(pki), 403, "sns-topic-not-allowed");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void anHttpOrOffHostCertificateUrlIsRefusedAndNeverFetched() {
        refused("Notification", message().with(m -> m.signingCertUrl = "http://" + server.hostAndPort() + "/cert.pem")
                .body(pki), 403, "sns-certificate-url");
        // the same server under another name: not the trusted host
        refused("Notification", message().with(m -> m.signingCertUrl = "https://localhost:" + server.port()
                + "/cert.pem").body(pki), 403, "sns-certificate-url");
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/cert.txt")).body(pki), 403,
                "sns-certificate-url");
        assertThat(server.requests).isEmpty();
    }

    @Test
    void theHeaderMustMatchTheType() {
        refused(null, message().body(pki), 400, "sns-malformed");
        refused("SubscriptionConfirmation", message().body(pki), 400, "sns-malformed");
    }

    @Test
    void oldAndFutureMessagesAreRefusedWith400WithoutFetching() {
        refused("Notification", message().with(m -> m.timestamp = now.minus(Duration.ofMinutes(61)).toString())
                .body(pki), 400, "sns-message-too-old");
        refused("Notification", message().with(m -> m.timestamp = now.plus(Duration.ofMinutes(6)).toString())
                .body(pki), 400, "sns-message-in-future");
        assertThat(server.requests).isEmpty();
        // within the limits
        verifier.verify("Notification", message().with(m -> m.timestamp = now.minus(Duration.ofMinutes(59))
                .toString()).body(pki));
        verifier.verify("Notification", message().with(m -> m.timestamp = now.plus(Duration.ofMinutes(4))
                .toString()).body(pki));
    }

    @Test
    void badCertificatesAreRefused() {
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/expired.pem")).body(pki), 403,
                "sns-certificate-invalid");
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/garbage.pem")).body(pki), 403,
                "sns-certificate-invalid");
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/big.pem")).body(pki), 403,
                "sns-certificate-invalid");
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/missing.pem")).body(pki), 403,
                "sns-certificate-invalid");
    }

    /** The checks that never change for a certificate are made once; its time of validity for every message. */
    @Test
    void anAcceptedCertificateIsStillCheckedForTimeOnEveryMessage() {
        Instant[] at = {now};
        Clock moving = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Instant instant() {
                return at[0];
            }
        };
        SnsVerifier later = new SnsVerifier(settings, new SnsCertificates(settings, new SnsHttp(settings)), moving);
        assertThat(later.verify("Notification", message().body(pki)).type()).isEqualTo("Notification");
        at[0] = pki.signer.getNotAfter().toInstant().plus(Duration.ofMinutes(1));
        SignedMessage afterItsEnd = message().with(m -> m.timestamp = at[0].minusSeconds(5).toString());
        assertThatThrownBy(() -> later.verify("Notification", afterItsEnd.body(pki)))
                .isInstanceOfSatisfying(SnsRejected.class, e -> assertThat(e.reason())
                        .isEqualTo("sns-certificate-invalid"));
    }

    @Test
    void aCertificateNotIssuedToSnsIsRefusedForEveryMessage() {
        for (int i = 0; i < 2; i++) {
            refused("Notification", message().with(m -> m.signingCertUrl = server.url("/wrong-name.pem")).body(pki),
                    403, "sns-certificate-invalid");
        }
        assertThat(server.requests).as("fetched once, refused each time").containsExactly("GET /wrong-name.pem");
    }

    @Test
    void redirectsAreNotFollowed() {
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/moved.pem")).body(pki), 403,
                "sns-certificate-invalid");
        assertThat(server.requests).containsExactly("GET /moved.pem");
    }

    @Test
    void anUnreachableCertificateHostIs503SoSnsRetriesAndTheFailureIsRemembered() throws Exception {
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/down.pem")).body(pki), 503,
                "sns-certificate-unavailable");
        refused("Notification", message().with(m -> m.signingCertUrl = server.url("/down.pem")).body(pki), 503,
                "sns-certificate-unavailable");
        assertThat(server.count("GET /down.pem")).as("one fetch for both").isEqualTo(1);

        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        SnsSettings elsewhere = new SnsSettings(Set.of(SignedMessage.TOPIC), Optional.empty(), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(2), 8, Optional.of(new SnsSettings.TestTrust(
                "127.0.0.1:" + closed, pki.trustStore, TestPki.PASSWORD)));
        assertThatThrownBy(() -> verifier(elsewhere).verify("Notification", message()
                .with(m -> m.signingCertUrl = "https://127.0.0.1:" + closed + "/cert.pem").body(pki)))
                .isInstanceOfSatisfying(SnsRejected.class, e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void withoutTheTestTrustTheLocalServerIsNotTrusted() {
        SnsSettings production = new SnsSettings(Set.of(SignedMessage.TOPIC), Optional.empty(), Duration.ofHours(1),
                Duration.ofMinutes(5), Duration.ofSeconds(3), 8, Optional.empty());
        assertThatThrownBy(() -> verifier(production).verify("Notification", message().body(pki)))
                .isInstanceOfSatisfying(SnsRejected.class, e -> assertThat(e.reason())
                        .isEqualTo("sns-certificate-url"));
        assertThat(server.requests).isEmpty();
    }

    @Test
    void theCacheIsBoundedByUrl() {
        server.serve("/a.pem", 200, pki.pem("signer.pem"));
        server.serve("/b.pem", 200, pki.pem("signer.pem"));
        server.serve("/c.pem", 200, pki.pem("signer.pem"));
        SnsVerifier small = verifier(settings(2));
        for (String path : List.of("/a.pem", "/b.pem", "/a.pem", "/c.pem", "/a.pem", "/b.pem")) {
            small.verify("Notification", message().with(m -> m.signingCertUrl = server.url(path)).body(pki));
        }
        // a, b; a is used again; c pushes out b (least recently used); a is cached; b is fetched again
        assertThat(server.requests).containsExactly("GET /a.pem", "GET /b.pem", "GET /c.pem", "GET /b.pem");
    }

    @Test
    void concurrentMessagesShareOneFetch() throws Exception {
        server.serve("/shared.pem", 200, pki.pem("signer.pem"));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<SnsMessage>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                String body = message().with(m -> m.signingCertUrl = server.url("/shared.pem")).body(pki);
                results.add(pool.submit((Callable<SnsMessage>) () -> verifier.verify("Notification", body)));
            }
            for (Future<SnsMessage> f : results) {
                assertThat(f.get()).isNotNull();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(server.count("GET /shared.pem")).isEqualTo(1);
    }
}
