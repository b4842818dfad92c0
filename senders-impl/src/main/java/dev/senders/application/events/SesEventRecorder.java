package dev.senders.application.events;

import dev.senders.application.events.SesEventRows.Recorded;
import dev.senders.application.events.SesEventRows.Send;
import dev.senders.application.events.SesNotification.SesEvent;
import dev.senders.domain.model.suppression.SuppressedAddress;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.persistence.SendersDatabase;
import dev.senders.infrastructure.sns.SnsMessage;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Records verified SNS messages, each once, and the SES events they carry:
 * <ul>
 *     <li>the SNS MessageId is inserted with {@code on conflict do nothing}: when it was there already (a redelivery,
 *     or the same message arriving twice at once) nothing else happens, so a duplicate changes nothing;</li>
 *     <li>the organization and campaign are our own record of the SES message id ({@code senders_sends}), never the
 *     payload's tags; an id that is not ours is recorded without organization, and tells the host nothing;</li>
 *     <li>one row per event and recipient in {@code senders_email_events};</li>
 *     <li>a permanent bounce suppresses the recipient platform-wide, a complaint for the organization that sent; a
 *     transient or undetermined bounce is recorded only ({@link BounceAndComplaintRecorder}).</li>
 * </ul>
 * Notifications that suppress no one (deliveries, opens, clicks, other bounces: nearly all of them) are written
 * together with those arriving at the same time ({@link GroupCommit}): one statement on an auto-committing connection
 * for all of them ({@link SesEventRows}), so a burst costs a round trip and a commit per batch, not per
 * notification. One that suppresses is one transaction with its suppressions. Either way a notification is committed
 * when {@link #recordNotification} returns, and the host hears of it after that ({@link EmailEventAnnouncer}).
 */
@ApplicationScoped
public class SesEventRecorder {

    private static final StructuredLog EVENTS = StructuredLog.of(SesEventRecorder.class);

    /** A batch's events at most (a notification carries up to 50: SES lists at most 50 recipients). */
    static final int MAX_BATCH_EVENTS = 200;

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    @Inject
    BounceAndComplaintRecorder withSuppressions;

    /** A notification to store. */
    record Notification(SnsMessage message, SesNotification ses) {
    }

    private final GroupCommit<Notification, StoredNotification> batches = new GroupCommit<>(this::write,
            n -> n.message().messageId(), n -> Math.max(1, n.ses().events().size()), MAX_BATCH_EVENTS,
            e -> new IllegalStateException("The SNS notification could not be stored", e));

    /**
     * Stores the notification, committed. Called outside any transaction.
     *
     * @return what was stored; {@link StoredNotification#fresh()} false when it had been recorded before (nothing
     * changed)
     */
    public StoredNotification recordNotification(SnsMessage message, SesNotification notification) {
        if (notification.suppresses()) {
            return withSuppressions.record(message, notification);
        }
        return batches.submit(new Notification(message, notification));
    }

    private List<StoredNotification> write(List<Notification> batch) throws SQLException {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection())) {
            return store(c, batch);
        }
    }

    /**
     * The statements of notifications on {@code c}: their send records first only when an event names no recipient
     * (opens and clicks: it is the one the message was sent to), then their claims and event rows in one. No
     * MessageId twice.
     */
    static List<StoredNotification> store(Connection c, List<Notification> notifications) throws SQLException {
        Set<String> lookUp = new HashSet<>();
        for (Notification n : notifications) {
            if (n.ses().sesMessageId() != null && n.ses().events().stream().anyMatch(e -> e.recipient() == null)) {
                lookUp.add(n.ses().sesMessageId());
            }
        }
        Map<String, Send> sends = SesEventRows.sends(c, lookUp);
        List<SesEventRows.Row> rows = new ArrayList<>(notifications.size());
        for (Notification n : notifications) {
            SesNotification ses = n.ses();
            List<SesEvent> events = ses.events();
            if (lookUp.contains(ses.sesMessageId())) {
                Optional<Send> send = Optional.ofNullable(sends.get(ses.sesMessageId()));
                events = events.stream().map(e -> resolveRecipient(e, send, ses.destination())).toList();
            }
            rows.add(new SesEventRows.Row(n.message(), ses.sesType(), ses.sesMessageId(), events));
        }
        List<Recorded> recorded = SesEventRows.record(c, rows);
        List<StoredNotification> stored = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            SesEventRows.Row row = rows.get(i);
            Recorded r = recorded.get(i);
            if (r.fresh() && !row.events().isEmpty() && r.send().isEmpty()) {
                EVENTS.info("ses-event.unknown-message").field("type", row.sesType())
                        .field("sesMessageId", row.sesMessageId())
                        .field("note", "no record of sending it; recorded without organization").log();
            }
            stored.add(new StoredNotification(r.fresh(), row.sesMessageId(),
                    r.send().map(Send::organizationId).orElse(null), r.send().map(Send::campaignId).orElse(null),
                    row.events()));
        }
        return stored;
    }

    /** A confirmation message: stored once. @return false when it had been recorded before */
    @Transactional
    public boolean record(SnsMessage message) {
        return em.createNativeQuery("insert into senders_sns_messages (message_id, type, topic_arn, ses_type,"
                        + " sns_timestamp) values (?1, ?2, ?3, null, ?4) on conflict (message_id) do nothing")
                .setParameter(1, message.messageId())
                .setParameter(2, message.type())
                .setParameter(3, message.topicArn())
                .setParameter(4, Timestamp.from(message.publishedAt()))
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean seen(String snsMessageId) {
        return Boolean.TRUE.equals(em.createNativeQuery("select exists (select 1 from senders_sns_messages"
                + " where message_id = ?1)").setParameter(1, snsMessageId).getSingleResult());
    }

    /** Opens and clicks name no recipient: it is the one the message was sent to. */
    private static SesEvent resolveRecipient(SesEvent event, Optional<Send> send, List<String> destination) {
        if (event.recipient() != null) {
            return event;
        }
        Optional<String> recipient = send.flatMap(s -> SuppressedAddress.normalize(s.recipient()));
        if (recipient.isEmpty() && destination.size() == 1) {
            recipient = Optional.of(destination.get(0));
        }
        return event.withRecipient(recipient.orElse(null));
    }
}
