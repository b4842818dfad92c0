package dev.senders.application.events;

import dev.senders.application.events.SesNotification.SesEvent;
import dev.senders.infrastructure.sns.SnsMessage;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of notifications' records, on a connection the caller holds (auto-committing, or in the caller's
 * transaction). Any number of notifications are one statement: their MessageIds, the module's own send records of
 * their SES messages and their event rows; so an auto-committing connection stores them in one round trip and one
 * commit. The statement's text is the same whatever their number (arrays), so its plan is made once.
 */
final class SesEventRows {

    /**
     * Each MessageId is claimed with {@code on conflict do nothing}: a duplicate (a redelivery, or the same message
     * arriving twice at once, which waits for the first to commit) claims nothing, and event rows are inserted only
     * for claimed ones, so a duplicate changes nothing. The claims are made in MessageId order, so two statements
     * claiming some of the same ids at once (two instances) wait for each other rather than deadlock. The
     * organization and campaign are the send record's. One MessageId must not appear twice in one statement.
     */
    private static final String RECORD = """
            with n as (
                select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::text[])
                       with ordinality as n(message_id, type, topic_arn, ses_type, sns_micros, ses_message_id, item)
            ), claim as (
                insert into senders_sns_messages (message_id, type, topic_arn, ses_type, sns_timestamp)
                select message_id, type, topic_arn, ses_type, timestamptz 'epoch' + sns_micros * interval '1 microsecond'
                  from n order by message_id
                on conflict (message_id) do nothing
                returning message_id
            ), send as (
                select distinct on (message_id) message_id, organization_id, campaign_id, recipient from senders_sends
                 where message_id in (select ses_message_id from n) and provider = 'ses'
                 order by message_id, id
            ), event as (
                insert into senders_email_events (sns_message_id, event_type, ses_message_id, organization_id,
                                                  campaign_id, recipient, bounce_type, bounce_sub_type, detail,
                                                  occurred_at)
                select n.message_id, e.kind, n.ses_message_id, send.organization_id, send.campaign_id, e.recipient,
                       e.bounce_type, e.bounce_sub_type, e.detail, timestamptz 'epoch' + e.micros * interval '1 microsecond'
                  from unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[])
                       as e(item, kind, recipient, bounce_type, bounce_sub_type, detail, micros)
                  join n on n.item = e.item
                  join claim on claim.message_id = n.message_id
                  left join send on send.message_id = n.ses_message_id
            )
            select n.item, claim.message_id is not null, send.organization_id, send.campaign_id, send.recipient
              from n
              left join claim on claim.message_id = n.message_id
              left join send on send.message_id = n.ses_message_id
             order by n.item""";

    private static final String SENDS = """
            select distinct on (message_id) message_id, organization_id, campaign_id, recipient from senders_sends
             where message_id = any (?::text[]) and provider = 'ses'
             order by message_id, id""";

    private SesEventRows() {
    }

    /** The module's own record of an SES message: who sent it, for which campaign, to whom. */
    record Send(String organizationId, String campaignId, String recipient) {
    }

    /**
     * One notification to record.
     *
     * @param sesType      its SES type, or null for a message that is not an SES event
     * @param sesMessageId the SES message id it reports on, or null
     * @param events       its events, recipients resolved
     */
    record Row(SnsMessage message, String sesType, String sesMessageId, List<SesEvent> events) {
    }

    /** What the statement did for a notification: whether its MessageId was new (else nothing changed), its send. */
    record Recorded(boolean fresh, Optional<Send> send) {
    }

    /** The module's send records of these SES message ids, by id (an id without one is absent). */
    static Map<String, Send> sends(Connection c, Collection<String> sesMessageIds) throws SQLException {
        Map<String, Send> found = new HashMap<>();
        if (sesMessageIds.isEmpty()) {
            return found;
        }
        try (PreparedStatement s = c.prepareStatement(SENDS)) {
            s.setArray(1, c.createArrayOf("text", sesMessageIds.toArray(String[]::new)));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), new Send(rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return found;
    }

    /**
     * Claims the rows' MessageIds and inserts the event rows of those that were new, in one statement.
     *
     * @return what happened to each row, in order
     */
    static List<Recorded> record(Connection c, List<Row> rows) throws SQLException {
        int n = rows.size();
        String[] messageIds = new String[n];
        String[] types = new String[n];
        String[] topics = new String[n];
        String[] sesTypes = new String[n];
        Long[] published = new Long[n];
        String[] sesMessageIds = new String[n];
        List<Long> items = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        List<String> recipients = new ArrayList<>();
        List<String> bounceTypes = new ArrayList<>();
        List<String> bounceSubTypes = new ArrayList<>();
        List<String> details = new ArrayList<>();
        List<Long> occurred = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            messageIds[i] = row.message().messageId();
            types[i] = row.message().type();
            topics[i] = row.message().topicArn();
            sesTypes[i] = cut(row.sesType(), 40);
            published[i] = micros(row.message().publishedAt());
            sesMessageIds[i] = row.sesMessageId();
            for (SesEvent e : row.events()) {
                items.add(i + 1L);   // "with ordinality" counts from 1
                kinds.add(e.kind().wire());
                recipients.add(e.recipient());
                bounceTypes.add(cut(e.bounceType(), 40));
                bounceSubTypes.add(cut(e.bounceSubType(), 40));
                details.add(e.detail());
                occurred.add(micros(e.occurredAt()));
            }
        }
        try (PreparedStatement s = c.prepareStatement(RECORD)) {
            int p = 0;
            s.setArray(++p, text(c, messageIds));
            s.setArray(++p, text(c, types));
            s.setArray(++p, text(c, topics));
            s.setArray(++p, text(c, sesTypes));
            s.setArray(++p, c.createArrayOf("bigint", published));
            s.setArray(++p, text(c, sesMessageIds));
            s.setArray(++p, c.createArrayOf("bigint", items.toArray(Long[]::new)));
            s.setArray(++p, text(c, kinds.toArray(String[]::new)));
            s.setArray(++p, text(c, recipients.toArray(String[]::new)));
            s.setArray(++p, text(c, bounceTypes.toArray(String[]::new)));
            s.setArray(++p, text(c, bounceSubTypes.toArray(String[]::new)));
            s.setArray(++p, text(c, details.toArray(String[]::new)));
            s.setArray(++p, c.createArrayOf("bigint", occurred.toArray(Long[]::new)));
            List<Recorded> recorded = new ArrayList<>(n);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String organization = rs.getString(3);
                    recorded.add(new Recorded(rs.getBoolean(2), organization == null ? Optional.empty()
                            : Optional.of(new Send(organization, rs.getString(4), rs.getString(5)))));
                }
            }
            if (recorded.size() != n) {
                throw new SQLException("recorded " + recorded.size() + " of " + n + " notifications");
            }
            return recorded;
        }
    }

    private static Array text(Connection c, String[] values) throws SQLException {
        return c.createArrayOf("text", values);
    }

    /** Microseconds since the epoch, as PostgreSQL keeps a timestamp. */
    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
