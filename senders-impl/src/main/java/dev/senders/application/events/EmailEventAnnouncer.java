package dev.senders.application.events;

import dev.senders.api.events.EmailBounced;
import dev.senders.api.events.EmailClicked;
import dev.senders.api.events.EmailComplained;
import dev.senders.api.events.EmailDelivered;
import dev.senders.api.events.EmailOpened;
import dev.senders.application.events.SesNotification.SesEvent;
import dev.senders.infrastructure.logging.StructuredLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Tells the host what a stored notification's events were: {@link EmailBounced}, {@link EmailComplained},
 * {@link EmailDelivered}, {@link EmailOpened} and {@link EmailClicked}, for each event of a message the module sent
 * (a message that is not ours tells the host nothing) with a known recipient. They are fired once the notification is
 * committed, outside any transaction, so observers declared {@code during = AFTER_SUCCESS} (as the SPI asks) are
 * called at once, and never for a duplicate or a notification that was not stored. An observer's failure is logged
 * and does not undo the record (the notification is stored; SNS must not be asked to send it again).
 */
@ApplicationScoped
public class EmailEventAnnouncer {

    private static final StructuredLog EVENTS = StructuredLog.of(EmailEventAnnouncer.class);

    @Inject
    Event<EmailBounced> bounced;

    @Inject
    Event<EmailComplained> complained;

    @Inject
    Event<EmailDelivered> delivered;

    @Inject
    Event<EmailOpened> opened;

    @Inject
    Event<EmailClicked> clicked;

    /** The events of a stored SES notification ({@code ses-event.observer-failed} logged for a failed observer). */
    public void announce(StoredNotification stored) {
        announce("ses-event", stored.fresh(), stored.organizationId(), stored.campaignId(), stored.sesMessageId(),
                stored.events());
    }

    /**
     * The events of one stored provider notification: nothing unless it is {@code fresh} (not a duplicate) and of a
     * message the module sent ({@code organizationId} known); {@code messageId} is the provider's (SES's message id,
     * Resend's email id). A failed observer is logged as {@code <source>.observer-failed}.
     */
    public void announce(String source, boolean fresh, String organizationId, String campaignId, String messageId,
                         List<SesEvent> events) {
        if (!fresh || organizationId == null) {
            return;
        }
        for (SesEvent e : events) {
            if (e.recipient() == null) {
                continue;
            }
            try {
                fire(organizationId, campaignId, messageId, e);
            } catch (RuntimeException failed) {
                EVENTS.warning(source + ".observer-failed").organization(organizationId)
                        .field("type", e.kind().wire()).field("messageId", messageId)
                        .field("error", failed.getClass().getName()).log();
            }
        }
    }

    private void fire(String org, String campaign, String messageId, SesEvent e) {
        switch (e.kind()) {
            case BOUNCE -> bounced.fire(new EmailBounced(org, campaign, messageId, e.recipient(), e.bounceType(),
                    e.bounceSubType(), e.detail(), e.permanentBounce(), e.occurredAt()));
            case COMPLAINT -> complained.fire(new EmailComplained(org, campaign, messageId, e.recipient(), e.detail(),
                    e.occurredAt()));
            case DELIVERY -> delivered.fire(new EmailDelivered(org, campaign, messageId, e.recipient(),
                    e.occurredAt()));
            case OPEN -> opened.fire(new EmailOpened(org, campaign, messageId, e.recipient(), e.occurredAt()));
            case CLICK -> clicked.fire(new EmailClicked(org, campaign, messageId, e.recipient(), e.detail(),
                    e.occurredAt()));
        }
    }
}
