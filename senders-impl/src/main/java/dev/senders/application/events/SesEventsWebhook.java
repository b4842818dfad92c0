package dev.senders.application.events;

import dev.senders.application.error.SendersProblem;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.metrics.SendersMetrics;
import dev.senders.infrastructure.sns.SnsMessage;
import dev.senders.infrastructure.sns.SnsRejected;
import dev.senders.infrastructure.sns.SnsVerifier;
import dev.senders.infrastructure.sns.SubscriptionConfirmer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * The SES events webhook ({@code POST /api/webhooks/ses-events}): what Amazon SNS posts for the module's SES events
 * topic. Nothing is stored, confirmed or fetched before the message is proven genuine, current and of an allowed
 * topic ({@link SnsVerifier}).
 * <ul>
 *     <li><b>Notification:</b> its SES event is recorded once ({@link SesEventRecorder}), committed, and then the host
 *     hears of it ({@link EmailEventAnnouncer}).</li>
 *     <li><b>SubscriptionConfirmation:</b> the subscription is confirmed by a GET of its SubscribeURL, only on the SNS
 *     host of the topic's region ({@link SubscriptionConfirmer}), then the message is recorded; a failed confirmation
 *     records nothing and answers 502, so SNS sends it again.</li>
 *     <li><b>UnsubscribeConfirmation:</b> recorded and logged as a warning (the topic stops delivering events); no
 *     URL is fetched.</li>
 * </ul>
 * A message whose MessageId was recorded before answers {@link Outcome#DUPLICATE} and changes nothing. Where a
 * notification's time goes is timed by stage ({@link SendersMetrics#webhookStage}: parse, verify, store, events).
 */
@ApplicationScoped
public class SesEventsWebhook {

    private static final StructuredLog EVENTS = StructuredLog.of(SesEventsWebhook.class);

    private static final Logger LOG = Logger.getLogger(SesEventsWebhook.class.getName());

    @Inject
    SnsVerifier verifier;

    @Inject
    SubscriptionConfirmer confirmer;

    @Inject
    SesEventRecorder recorder;

    @Inject
    EmailEventAnnouncer announcer;

    @Inject
    SendersMetrics metrics;

    public enum Outcome {
        ACCEPTED, DUPLICATE, CONFIRMED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param messageTypeHeader the request's {@code x-amz-sns-message-type}
     * @param body              the request body (UTF-8)
     * @throws SendersProblem 400, 403, 502 or 503 when the message is refused (see {@link SnsRejected})
     */
    public Outcome receive(String messageTypeHeader, String body) {
        try {
            long start = System.nanoTime();
            SnsMessage parsed = SnsMessage.parse(body);
            long parsedAt = System.nanoTime();
            SnsMessage message = verifier.verify(messageTypeHeader, parsed);
            long verifiedAt = System.nanoTime();
            metrics.webhookStage("verify", verifiedAt - parsedAt);
            return switch (message.type()) {
                case SnsMessage.NOTIFICATION -> {
                    SesNotification notification = SesNotification.parse(message.message(), message.publishedAt());
                    long storing = System.nanoTime();
                    metrics.webhookStage("parse", parsedAt - start + storing - verifiedAt);
                    StoredNotification stored = recorder.recordNotification(message, notification);
                    long storedAt = System.nanoTime();
                    metrics.webhookStage("store", storedAt - storing);
                    if (!stored.fresh()) {
                        yield Outcome.DUPLICATE;
                    }
                    announcer.announce(stored);
                    metrics.webhookStage("events", System.nanoTime() - storedAt);
                    yield Outcome.ACCEPTED;
                }
                case SnsMessage.SUBSCRIPTION_CONFIRMATION -> confirm(message);
                default -> {
                    boolean fresh = recorder.record(message);
                    if (fresh) {
                        LOG.warning("Senders SNS webhook: unsubscribed from " + message.topicArn()
                                + "; SES events stop arriving until the endpoint is subscribed again");
                    }
                    yield fresh ? Outcome.ACCEPTED : Outcome.DUPLICATE;
                }
            };
        } catch (SnsRejected e) {
            (e.status() >= 500 ? EVENTS.warning("webhook.refused") : EVENTS.info("webhook.refused"))
                    .field("status", e.status()).field("reason", e.reason()).field("detail", e.getMessage()).log();
            throw new SendersProblem(e.status(), e.reason(), title(e.status()), e.getMessage());
        }
    }

    private Outcome confirm(SnsMessage message) {
        if (recorder.seen(message.messageId())) {
            return Outcome.DUPLICATE;
        }
        confirmer.confirm(message);
        recorder.record(message);
        return Outcome.CONFIRMED;
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 403 -> "Forbidden";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
