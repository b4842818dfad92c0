package dev.senders.application.events;

import dev.senders.application.events.SesNotification.SesEvent;
import dev.senders.domain.model.suppression.Suppression;
import dev.senders.domain.model.suppression.SuppressionRepository;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.persistence.SendersDatabase;
import dev.senders.infrastructure.sns.SnsMessage;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A notification whose events suppress recipients, stored in one transaction with its suppressions: a permanent
 * bounce suppresses the recipient platform-wide, a complaint for the organization that sent (when the message is
 * ours); a transient or undetermined bounce is recorded only. A duplicate suppresses nothing.
 */
@ApplicationScoped
public class BounceAndComplaintRecorder {

    private static final StructuredLog EVENTS = StructuredLog.of(BounceAndComplaintRecorder.class);

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    SuppressionRepository suppressions;

    @Transactional
    public StoredNotification record(SnsMessage message, SesNotification notification) {
        StoredNotification stored;
        // in this transaction: the connection is the one the suppression list's statements use too
        try (Connection c = dataSource.getConnection()) {
            stored = SesEventRecorder.store(c, List.of(new SesEventRecorder.Notification(message, notification)))
                    .get(0);
        } catch (SQLException e) {
            throw new IllegalStateException("The SNS notification could not be stored", e);
        }
        if (stored.fresh()) {
            for (SesEvent e : stored.events()) {
                if (e.recipient() != null) {
                    suppress(stored, e);
                }
            }
        }
        return stored;
    }

    private void suppress(StoredNotification n, SesEvent e) {
        String org = n.organizationId();
        String campaign = n.campaignId();
        if (e.permanentBounce()) {
            String reason = "Permanent bounce" + (e.bounceSubType() == null ? "" : " (" + e.bounceSubType() + ")")
                    + (e.detail() == null ? "" : ": " + e.detail());
            if (suppressions.add(Suppression.bounce(e.recipient(), SesEventRows.cut(reason, 1000), campaign, org,
                    n.sesMessageId()))) {
                EVENTS.info("suppression.added").organization(org).field("campaign", campaign)
                        .field("scope", "platform").field("reason", "permanent-bounce")
                        .field("recipient", e.recipient()).log();
            }
        } else if (e.kind() == SesNotification.Kind.COMPLAINT && org != null) {
            String reason = "Complaint" + (e.detail() == null ? "" : " (" + e.detail() + ")");
            if (suppressions.add(Suppression.complaint(org, e.recipient(), SesEventRows.cut(reason, 1000), campaign,
                    n.sesMessageId()))) {
                EVENTS.info("suppression.added").organization(org).field("campaign", campaign)
                        .field("scope", "organization").field("reason", "complaint")
                        .field("recipient", e.recipient()).log();
            }
        }
    }
}
