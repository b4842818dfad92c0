package dev.senders.application.events;

import dev.senders.api.events.EmailBounced;
import dev.senders.api.events.EmailClicked;
import dev.senders.api.events.EmailComplained;
import dev.senders.api.events.EmailDelivered;
import dev.senders.api.events.EmailOpened;
import dev.senders.application.error.SendersProblem;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.metrics.SendersMetrics;
import dev.senders.infrastructure.resend.ResendWebhookRejected;
import dev.senders.infrastructure.resend.ResendWebhookSignatures;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Locale;

/**
 * Resend's webhook ({@code POST /api/webhooks/resend-events}): nothing is parsed or stored before the message's
 * signature and timestamp are proven ({@link ResendWebhookSignatures}); then its event is recorded once
 * ({@link ResendEventRecorder}: the svix-id), and, once committed, the host hears {@link EmailBounced},
 * {@link EmailComplained}, {@link EmailDelivered}, {@link EmailOpened} and {@link EmailClicked} for the module's own
 * emails (the message id is Resend's email id), as for SES. A duplicate answers {@link Outcome#DUPLICATE} and changes
 * nothing.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class ResendEventsWebhook {

    private static final StructuredLog EVENTS = StructuredLog.of(ResendEventsWebhook.class);

    @Inject
    ResendWebhookSignatures signatures;

    @Inject
    ResendEventRecorder recorder;

    @Inject
    SendersMetrics metrics;

    @Inject
    EmailEventAnnouncer announcer;

    public enum Outcome {
        ACCEPTED, DUPLICATE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param id        the svix-id header
     * @param timestamp the svix-timestamp header
     * @param signature the svix-signature header
     * @param body      the request body (UTF-8), exactly as received
     * @throws SendersProblem 400 or 403 when the message is refused (see {@link ResendWebhookRejected.Reason})
     */
    public Outcome receive(String id, String timestamp, String signature, String body) {
        ResendEventRecorder.Stored stored;
        try {
            ResendWebhookSignatures.Verified message = signatures.verify(id, timestamp, signature, body);
            ResendEvent event = ResendEvent.parse(body);
            stored = recorder.record(message, event);
            if (stored.fresh()) {
                metrics.webhookEvent("resend:" + event.type());
            }
        } catch (ResendWebhookRejected e) {
            ResendWebhookRejected.Reason reason = e.reason();
            metrics.webhookRejected(reason.wire());
            EVENTS.info("webhook.refused").field("status", reason.status()).field("reason", reason.wire())
                    .field("detail", e.getMessage()).log();
            throw new SendersProblem(reason.status(), reason.wire(), reason.status() == 403 ? "Forbidden"
                    : "Bad Request", e.getMessage());
        }
        // the host's events, once the record is committed; an observer's failure does not undo it
        announcer.announce("resend-event", stored.fresh(), stored.organizationId(), stored.campaignId(),
                stored.emailId(), stored.events());
        return stored.fresh() ? Outcome.ACCEPTED : Outcome.DUPLICATE;
    }
}
