package dev.senders.application.unsubscribe;

import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether an organization uses one-click unsubscribe: of its messages sent in the last days, how many carried the
 * module's {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} fields (recorded per send in
 * {@code senders_sends.list_unsubscribe} by the send path). An organization's own figure, never another's.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class UnsubscribeUsage {

    /** A row's {@code updated_at} is when it was last written: when it went out (as OrganizationUsage reads it). */
    private static final String COUNT = "select count(*), count(*) filter (where list_unsubscribe)"
            + " from senders_sends where organization_id = ? and status = 'sent'"
            + " and updated_at > now() - make_interval(days => ?)";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    /**
     * @param sent            the organization's messages sent in the window
     * @param withUnsubscribe those of them that carried the one-click unsubscribe fields
     */
    public record Usage(long sent, long withUnsubscribe) {
        /** Whether any message of the window carried them. */
        public boolean inUse() {
            return withUnsubscribe > 0;
        }
    }

    /** The organization's sends of the last {@code days} days (at least 1), and those that carried the link. */
    public Usage lastDays(String organizationId, int days) {
        if (days < 1) {
            throw new IllegalArgumentException("days must be 1 or more");
        }
        try (Connection connection = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement query = connection.prepareStatement(COUNT)) {
            query.setString(1, organizationId);
            query.setInt(2, days);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return new Usage(row.getLong(1), row.getLong(2));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the organization's sends: " + e.getMessage(), e);
        }
    }
}
