package dev.senders.host.it;

import dev.senders.sandbox.sns.SnsCertificateHost;
import dev.senders.sandbox.sns.SnsMessage;
import dev.senders.sandbox.sns.SnsPki;

import java.nio.charset.StandardCharsets;

/**
 * SNS played by the end-to-end tests, with the sandbox's SNS PKI, certificate host and message signer
 * ({@code dev.senders.sandbox.sns}): one PKI and one https certificate host per test run, started on first use, on
 * the port the deployed module trusts through its test-only setting ({@code senders.sns.test.trusted-cert-host} and
 * the trust store holding the test CA, see {@link TestEnvironment#sns()}); the port is fixed for the whole run, and
 * the trust store the module reads is written once. Shared by EventsIT and the security suite.
 */
public final class SnsFixtures {

    public static final String CERT_PATH = "/SimpleNotificationService-test.pem";

    private static SnsPki pki;
    private static SnsCertificateHost host;

    private SnsFixtures() {
    }

    /** The run's PKI (its trust store is the one the module is pointed at). */
    public static synchronized SnsPki pki() {
        if (pki == null) {
            pki = SnsPki.create(TestEnvironment.sns().trustStore());
        }
        return pki;
    }

    /** The run's SNS-like https host: the signing certificate at {@link #CERT_PATH}, and 200 for a confirmation. */
    public static synchronized SnsCertificateHost host() {
        if (host == null) {
            host = new SnsCertificateHost(pki(), TestEnvironment.sns().certificatePort());
            host.serve(CERT_PATH, 200, pki.signerPem());
            host.serve("/", 200, "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8));
            Runtime.getRuntime().addShutdownHook(new Thread(host::close));
        }
        return host;
    }

    /** A notification of the module's topic, its certificate on the run's host. */
    public static SnsMessage notification(String message) {
        return SnsMessage.notification(TestEnvironment.sns().topicArn(), host().url(CERT_PATH), message);
    }

    /** A subscription confirmation of the module's topic, its certificate on the run's host. */
    public static SnsMessage confirmation(String subscribeUrl, String token) {
        return SnsMessage.confirmation(TestEnvironment.sns().topicArn(), host().url(CERT_PATH), subscribeUrl, token);
    }
}
