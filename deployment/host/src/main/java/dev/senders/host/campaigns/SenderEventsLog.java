package dev.senders.host.campaigns;

import dev.senders.api.events.SenderVerificationFailed;
import dev.senders.api.events.SenderVerified;
import dev.senders.host.persistence.HostDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** The host records the module's verification events once they are committed, as a real host would notify users. */
@ApplicationScoped
public class SenderEventsLog {

    @Resource(lookup = HostDatabase.JNDI_NAME)
    DataSource dataSource;

    void verified(@Observes(during = TransactionPhase.AFTER_SUCCESS) SenderVerified event) {
        record("verified", event.organizationId(), event.senderId(), event.emailAddress(), null, event.verifiedAt());
    }

    void failed(@Observes(during = TransactionPhase.AFTER_SUCCESS) SenderVerificationFailed event) {
        record("failed", event.organizationId(), event.senderId(), event.emailAddress(), event.reason(),
                event.failedAt());
    }

    private void record(String kind, String org, long senderId, String email, String reason, Instant at) {
        try (var c = dataSource.getConnection(); var insert = c.prepareStatement("insert into host_sender_events"
                + " (kind, organization_id, sender_id, email_address, reason, occurred_at) values (?,?,?,?,?,?)")) {
            insert.setString(1, kind);
            insert.setString(2, org);
            insert.setLong(3, senderId);
            insert.setString(4, email);
            insert.setString(5, reason);
            insert.setTimestamp(6, Timestamp.from(at));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the sender event", e);
        }
    }
}
