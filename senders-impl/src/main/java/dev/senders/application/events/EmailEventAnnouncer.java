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

    public void announce(StoredNotification stored) {
        if (!stored.fresh() || stored.organizationId() == null) {
            return;
        }
        for (SesEvent e : stored.events()) {
            if (e.recipient() == null) {
                continue;
            }
            try {
                fire(stored, e);
            } catch (RuntimeException failed) {
                EVENTS.warning("ses-event.observer-failed").organization(stored.organizationId())
                        .field("type", e.kind().wire()).field("sesMessageId", stored.sesMessageId())
                        .field("error", failed.getClass().getName()).log();
            }
        }
    }

    private void fire(StoredNotification n, SesEvent e) {
        String org = n.organizationId();
        String campaign = n.campaignId();
        String messageId = n.sesMessageId();
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
