package dev.senders.infrastructure.sns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Proves that a webhook request is a genuine, current SNS message of an allowed topic, in this order (each step
 * only once the ones before passed, so a refused message never makes the server fetch anything):
 * <ol>
 *     <li>the body is an SNS message and its Type matches the {@code x-amz-sns-message-type} header (400);</li>
 *     <li>its TopicArn is allowed ({@code senders.sns.allowed-topic-arns}) (403);</li>
 *     <li>its Timestamp is at most {@code senders.sns.max-age} old and not in the future beyond
 *     {@code senders.sns.clock-skew} (400);</li>
 *     <li>its SigningCertURL is an https {@code .pem} on the SNS host of the topic's region (403);</li>
 *     <li>the certificate there (fetched once, cached) is valid and issued to SNS (403), and</li>
 *     <li>the signature over the documented string to sign verifies with it (403).</li>
 * </ol>
 * See {@link SnsSignatures} for the rules. A duplicate of an accepted message passes too: replays are stopped by the
 * MessageId being stored once, and by the age limit.
 */
@ApplicationScoped
public class SnsVerifier {

    @Inject
    SnsSettings settings;

    @Inject
    SnsCertificates certificates;

    private Clock clock = Clock.systemUTC();

    /**
     * Certificates found issued to SNS for signing ({@link SnsSignatures#checkIssuedToSns}), which a certificate
     * always is or never is: checked once each (the certificate cache hands out one instance per URL). Their time of
     * validity is checked for every message.
     */
    private final Map<X509Certificate, Boolean> issuedToSns = new ConcurrentHashMap<>();
    private static final int MAX_CHECKED = 64;

    SnsVerifier() {
    }

    /** For tests. */
    public SnsVerifier(SnsSettings settings, SnsCertificates certificates, Clock clock) {
        this.settings = settings;
        this.certificates = certificates;
        this.clock = clock;
    }

    /**
     * @param messageTypeHeader the request's {@code x-amz-sns-message-type}
     * @param body              the request body, as UTF-8 text
     * @return the verified message
     * @throws SnsRejected when it is not proven genuine, current and allowed
     */
    public SnsMessage verify(String messageTypeHeader, String body) {
        return verify(messageTypeHeader, SnsMessage.parse(body));
    }

    /**
     * @param messageTypeHeader the request's {@code x-amz-sns-message-type}
     * @param message           the request body, as {@link SnsMessage#parse} read it
     * @return the message, verified
     * @throws SnsRejected when it is not proven genuine, current and allowed
     */
    public SnsMessage verify(String messageTypeHeader, SnsMessage message) {
        if (messageTypeHeader == null || !messageTypeHeader.strip().equals(message.type())) {
            throw SnsRejected.malformed("The x-amz-sns-message-type header must be present and match Type");
        }
        if (!settings.allowedTopicArns().contains(message.topicArn())) {
            throw SnsRejected.forbidden("sns-topic-not-allowed", "Messages of this topic are not accepted");
        }
        Instant now = clock.instant();
        Instant published = message.publishedAt();
        if (published.isBefore(now.minus(settings.maxAge()))) {
            throw new SnsRejected(400, "sns-message-too-old", "The message is older than " + settings.maxAge());
        }
        if (published.isAfter(now.plus(settings.clockSkew()))) {
            throw new SnsRejected(400, "sns-message-in-future", "The message's Timestamp is in the future");
        }
        URI certificateUrl = SnsSignatures.checkCertificateUrl(message, settings.testHost());
        X509Certificate certificate = certificates.get(certificateUrl, now);
        SnsSignatures.checkValidity(certificate, now);
        if (!issuedToSns.containsKey(certificate)) {
            SnsSignatures.checkIssuedToSns(certificate);
            if (issuedToSns.size() >= MAX_CHECKED) {
                issuedToSns.clear();
            }
            issuedToSns.put(certificate, Boolean.TRUE);
        }
        SnsSignatures.verifySignature(message, certificate);
        return message;
    }
}
