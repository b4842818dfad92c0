package dev.senders.application.events;

import dev.senders.api.events.EmailBounced;
import dev.senders.api.events.EmailClicked;
import dev.senders.api.events.EmailComplained;
import dev.senders.api.events.EmailDelivered;
import dev.senders.api.events.EmailOpened;
import dev.senders.application.events.SesNotification.SesEvent;
import dev.senders.domain.model.suppression.Suppression;
import dev.senders.domain.model.suppression.SuppressionRepository;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.sns.SnsMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;

/**
 * Records verified SNS messages, each once, and what their SES events mean, in one transaction per message:
 * <ul>
 *     <li>the SNS MessageId is inserted with {@code on conflict do nothing}: when it was there already (a redelivery,
 *     or the same message arriving twice at once) nothing else happens, so a duplicate changes nothing;</li>
 *     <li>the organization and campaign are our own record of the SES message id ({@code senders_sends}), never the
 *     payload's tags; an id that is not ours is recorded without organization, and tells the host nothing;</li>
 *     <li>one row per event and recipient in {@code senders_email_events};</li>
 *     <li>a permanent bounce suppresses the recipient platform-wide, a complaint for the organization that sent; a
 *     transient or undetermined bounce is recorded only;</li>
 *     <li>the host hears {@link EmailBounced}, {@link EmailComplained}, {@link EmailDelivered}, {@link EmailOpened}
 *     and {@link EmailClicked}, fired within the transaction (observe them {@code AFTER_SUCCESS}).</li>
 * </ul>
 */
@ApplicationScoped
public class SesEventRecorder {

    private static final StructuredLog EVENTS = StructuredLog.of(SesEventRecorder.class);


    @PersistenceContext(unitName = "senders")
    EntityManager em;

    @Inject
    SuppressionRepository suppressions;

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

    /** The module's own record of an SES message: who sent it, for which campaign, to whom. */
    record Send(String organizationId, String campaignId, String recipient) {
    }

    /** @return false when the message had been recorded before (nothing changed) */
    @Transactional
    public boolean recordNotification(SnsMessage message, SesNotification notification) {
        if (!claim(message, notification.sesType())) {
            return false;
        }
        if (notification.events().isEmpty()) {
            return true;
        }
        Optional<Send> send = send(notification.sesMessageId());
        if (send.isEmpty()) {
            EVENTS.info("ses-event.unknown-message").field("type", notification.sesType())
                    .field("sesMessageId", notification.sesMessageId())
                    .field("note", "no record of sending it; recorded without organization").log();
        }
        for (SesEvent event : notification.events()) {
            record(message, notification, resolveRecipient(event, send, notification.destination()), send);
        }
        return true;
    }

    /** A confirmation message: stored once. @return false when it had been recorded before */
    @Transactional
    public boolean record(SnsMessage message) {
        return claim(message, null);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean seen(String snsMessageId) {
        return Boolean.TRUE.equals(em.createNativeQuery("select exists (select 1 from senders_sns_messages"
                + " where message_id = ?1)").setParameter(1, snsMessageId).getSingleResult());
    }

    private boolean claim(SnsMessage message, String sesType) {
        return em.createNativeQuery("insert into senders_sns_messages (message_id, type, topic_arn, ses_type,"
                        + " sns_timestamp) values (?1, ?2, ?3, ?4, ?5) on conflict (message_id) do nothing")
                .setParameter(1, message.messageId())
                .setParameter(2, message.type())
                .setParameter(3, message.topicArn())
                .setParameter(4, sesType == null ? null : sesType.length() > 40 ? sesType.substring(0, 40) : sesType)
                .setParameter(5, Timestamp.from(message.publishedAt()))
                .executeUpdate() == 1;
    }

    private Optional<Send> send(String sesMessageId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select organization_id, campaign_id, recipient from senders_sends"
                        + " where message_id = ?1 and provider = 'ses' order by id limit 1")
                .setParameter(1, sesMessageId)
                .getResultList();
        return rows.stream().findFirst().map(r -> new Send((String) r[0], (String) r[1], (String) r[2]));
    }

    /** Opens and clicks name no recipient: it is the one the message was sent to. */
    private static SesEvent resolveRecipient(SesEvent event, Optional<Send> send, List<String> destination) {
        if (event.recipient() != null) {
            return event;
        }
        Optional<String> recipient = send.flatMap(s ->
                dev.senders.domain.model.suppression.SuppressedAddress.normalize(s.recipient()));
        if (recipient.isEmpty() && destination.size() == 1) {
            recipient = Optional.of(destination.get(0));
        }
        return event.withRecipient(recipient.orElse(null));
    }

    private void record(SnsMessage message, SesNotification n, SesEvent e, Optional<Send> send) {
        String org = send.map(Send::organizationId).orElse(null);
        String campaign = send.map(Send::campaignId).orElse(null);
        em.createNativeQuery("insert into senders_email_events (sns_message_id, event_type, ses_message_id,"
                        + " organization_id, campaign_id, recipient, bounce_type, bounce_sub_type, detail, occurred_at)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")
                .setParameter(1, message.messageId())
                .setParameter(2, e.kind().wire())
                .setParameter(3, n.sesMessageId())
                .setParameter(4, org)
                .setParameter(5, campaign)
                .setParameter(6, e.recipient())
                .setParameter(7, cut(e.bounceType(), 40))
                .setParameter(8, cut(e.bounceSubType(), 40))
                .setParameter(9, e.detail())
                .setParameter(10, Timestamp.from(e.occurredAt()))
                .executeUpdate();
        if (e.recipient() != null) {
            suppress(n, e, org, campaign);
        }
        if (org != null && e.recipient() != null) {
            fire(n.sesMessageId(), e, org, campaign);
        }
    }

    private void suppress(SesNotification n, SesEvent e, String org, String campaign) {
        if (e.permanentBounce()) {
            String reason = "Permanent bounce" + (e.bounceSubType() == null ? "" : " (" + e.bounceSubType() + ")")
                    + (e.detail() == null ? "" : ": " + e.detail());
            if (suppressions.add(Suppression.bounce(e.recipient(), cut(reason, 1000), campaign, org,
                    n.sesMessageId()))) {
                EVENTS.info("suppression.added").organization(org).field("campaign", campaign)
                        .field("scope", "platform").field("reason", "permanent-bounce")
                        .field("recipient", e.recipient()).log();
            }
        } else if (e.kind() == SesNotification.Kind.COMPLAINT && org != null) {
            String reason = "Complaint" + (e.detail() == null ? "" : " (" + e.detail() + ")");
            if (suppressions.add(Suppression.complaint(org, e.recipient(), cut(reason, 1000), campaign,
                    n.sesMessageId()))) {
                EVENTS.info("suppression.added").organization(org).field("campaign", campaign)
                        .field("scope", "organization").field("reason", "complaint")
                        .field("recipient", e.recipient()).log();
            }
        }
    }

    private void fire(String messageId, SesEvent e, String org, String campaign) {
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

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
