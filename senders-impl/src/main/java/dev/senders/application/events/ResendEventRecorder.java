package dev.senders.application.events;

import dev.senders.application.events.SesNotification.Kind;
import dev.senders.application.events.SesNotification.SesEvent;
import dev.senders.domain.model.suppression.SuppressedAddress;
import dev.senders.domain.model.suppression.Suppression;
import dev.senders.domain.model.suppression.SuppressionRepository;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.persistence.SendersDatabase;
import dev.senders.infrastructure.resend.ResendWebhookSignatures.Verified;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Records a verified Resend webhook message, once, and what its event means, in one transaction:
 * <ul>
 *     <li>the svix-id is inserted with {@code on conflict do nothing}: when it was there already (a redelivery, or
 *     the same message arriving twice at once) nothing else happens, so a duplicate changes nothing;</li>
 *     <li>the organization and campaign are the module's own record of the Resend email id ({@code senders_sends},
 *     provider resend), never the payload's tags; an id that is not the module's is recorded without organization,
 *     and tells the host nothing;</li>
 *     <li>one row per event and recipient in {@code senders_email_events} (provider resend);</li>
 *     <li>a permanent bounce suppresses the recipient platform-wide, a complaint for the organization that sent; a
 *     transient or undetermined bounce is recorded only (as for SES).</li>
 * </ul>
 */
@ApplicationScoped
public class ResendEventRecorder {

    private static final StructuredLog EVENTS = StructuredLog.of(ResendEventRecorder.class);

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SuppressionRepository suppressions;

    /**
     * What was stored: {@code fresh} false when the svix-id had been recorded before (nothing changed); the
     * organization and campaign of the module's send record (null when the email is not the module's); the events
     * with their recipients.
     */
    public record Stored(boolean fresh, String emailId, String organizationId, String campaignId,
                         List<SesEvent> events) {
    }

    private record Send(String organizationId, String campaignId, String recipient) {
    }

    @Transactional
    public Stored record(Verified message, ResendEvent event) {
        // in this transaction: the same connection as the suppression list's statements
        try (Connection c = dataSource.getConnection()) {
            if (!claim(c, message, event)) {
                return new Stored(false, event.emailId(), null, null, List.of());
            }
            Send send = event.emailId() == null ? null : send(c, event.emailId());
            if (send == null && !event.events().isEmpty()) {
                EVENTS.info("resend-event.unknown-email").field("type", event.type())
                        .field("emailId", event.emailId())
                        .field("note", "no record of sending it; recorded without organization").log();
            }
            List<SesEvent> events = new ArrayList<>();
            for (SesEvent e : event.events()) {
                SesEvent resolved = e.recipient() != null || send == null ? e
                        : e.withRecipient(SuppressedAddress.normalize(send.recipient()).orElse(null));
                insert(c, message, event, resolved, send);
                events.add(resolved);
            }
            String org = send == null ? null : send.organizationId();
            String campaign = send == null ? null : send.campaignId();
            for (SesEvent e : events) {
                if (e.recipient() != null) {
                    suppress(event.emailId(), e, org, campaign);
                }
            }
            return new Stored(true, event.emailId(), org, campaign, List.copyOf(events));
        } catch (SQLException e) {
            throw new IllegalStateException("The Resend event could not be stored", e);
        }
    }

    private static boolean claim(Connection c, Verified message, ResendEvent event) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into senders_resend_messages (svix_id, type, email_id,"
                + " svix_timestamp) values (?, ?, ?, ?) on conflict (svix_id) do nothing")) {
            s.setString(1, message.id());
            s.setString(2, event.type().length() > 40 ? event.type().substring(0, 40) : event.type());
            s.setString(3, event.emailId());
            s.setObject(4, utc(message.timestamp()));
            return s.executeUpdate() == 1;
        }
    }

    private static Send send(Connection c, String emailId) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select organization_id, campaign_id, recipient"
                + " from senders_sends where message_id = ? and provider = 'resend' order by id limit 1")) {
            s.setString(1, emailId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Send(rs.getString(1), rs.getString(2), rs.getString(3)) : null;
            }
        }
    }

    private static void insert(Connection c, Verified message, ResendEvent event, SesEvent e, Send send)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into senders_email_events (provider,"
                + " resend_message_id, event_type, ses_message_id, organization_id, campaign_id, recipient,"
                + " bounce_type, bounce_sub_type, detail, occurred_at)"
                + " values ('resend', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setString(1, message.id());
            s.setString(2, e.kind().wire());
            s.setString(3, event.emailId());
            s.setString(4, send == null ? null : send.organizationId());
            s.setString(5, send == null ? null : send.campaignId());
            s.setString(6, e.recipient());
            s.setString(7, e.bounceType());
            s.setString(8, e.bounceSubType());
            s.setString(9, e.detail());
            s.setObject(10, utc(e.occurredAt()));
            s.executeUpdate();
        }
    }

    private void suppress(String emailId, SesEvent e, String org, String campaign) {
        if (e.permanentBounce()) {
            String reason = "Permanent bounce" + (e.bounceSubType() == null ? "" : " (" + e.bounceSubType() + ")")
                    + (e.detail() == null ? "" : ": " + e.detail());
            if (suppressions.add(Suppression.bounce(e.recipient(), cut(reason), campaign, org, emailId))) {
                EVENTS.info("suppression.added").organization(org).field("campaign", campaign)
                        .field("scope", "platform").field("reason", "permanent-bounce").field("provider", "resend")
                        .field("recipient", e.recipient()).log();
            }
        } else if (e.kind() == Kind.COMPLAINT && org != null) {
            String reason = "Complaint" + (e.detail() == null ? "" : " (" + e.detail() + ")");
            if (suppressions.add(Suppression.complaint(org, e.recipient(), cut(reason), campaign, emailId))) {
                EVENTS.info("suppression.added").organization(org).field("campaign", campaign)
                        .field("scope", "organization").field("reason", "complaint").field("provider", "resend")
                        .field("recipient", e.recipient()).log();
            }
        }
    }

    private static String cut(String s) {
        return s.length() <= 1000 ? s : s.substring(0, 1000);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
