package dev.senders.host.campaigns;

import dev.senders.api.events.EmailBounced;
import dev.senders.api.events.EmailClicked;
import dev.senders.api.events.EmailComplained;
import dev.senders.api.events.EmailDelivered;
import dev.senders.api.events.EmailOpened;
import dev.senders.host.persistence.HostDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The host records what the Senders module learns from SES about the emails it sent (bounces, complaints,
 * deliveries, opens, clicks) in its own {@code email_events} table, for its Analytics page. The events are observed
 * once the module's transaction is committed, so a duplicate SNS delivery (which the module ignores) or a rolled-back
 * one never reaches it.
 */
@ApplicationScoped
public class EmailEventsLog {

    @Resource(lookup = HostDatabase.JNDI_NAME)
    DataSource dataSource;

    void bounced(@Observes(during = TransactionPhase.AFTER_SUCCESS) EmailBounced e) {
        record("bounced", e.organizationId(), e.campaignId(), e.messageId(), e.recipient(),
                e.bounceType() + (e.bounceSubType() == null ? "" : "/" + e.bounceSubType())
                        + (e.diagnosticCode() == null ? "" : ": " + e.diagnosticCode()), e.occurredAt());
    }

    void complained(@Observes(during = TransactionPhase.AFTER_SUCCESS) EmailComplained e) {
        record("complained", e.organizationId(), e.campaignId(), e.messageId(), e.recipient(), e.feedbackType(),
                e.occurredAt());
    }

    void delivered(@Observes(during = TransactionPhase.AFTER_SUCCESS) EmailDelivered e) {
        record("delivered", e.organizationId(), e.campaignId(), e.messageId(), e.recipient(), null, e.occurredAt());
    }

    void opened(@Observes(during = TransactionPhase.AFTER_SUCCESS) EmailOpened e) {
        record("opened", e.organizationId(), e.campaignId(), e.messageId(), e.recipient(), null, e.occurredAt());
    }

    void clicked(@Observes(during = TransactionPhase.AFTER_SUCCESS) EmailClicked e) {
        record("clicked", e.organizationId(), e.campaignId(), e.messageId(), e.recipient(), e.link(), e.occurredAt());
    }

    private void record(String kind, String org, String campaign, String messageId, String recipient, String detail,
                        Instant at) {
        try (var c = dataSource.getConnection(); var insert = c.prepareStatement("insert into email_events"
                + " (kind, organization_id, campaign_id, message_id, recipient, detail, occurred_at)"
                + " values (?,?,?,?,?,?,?)")) {
            insert.setString(1, kind);
            insert.setString(2, org);
            insert.setString(3, campaign);
            insert.setString(4, messageId);
            insert.setString(5, recipient);
            insert.setString(6, detail);
            insert.setTimestamp(7, Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the email event", e);
        }
    }
}
