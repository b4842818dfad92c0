package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What one organization sent: its messages that went out (status {@code sent} in the module's record of sends,
 * {@code senders_sends}) in a recent window, per provider. An organization's own figure, never another's.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class OrganizationUsage {

    /** A row's {@code updated_at} is when it was last written: when it went out, for a message sent on a retry too. */
    private static final String SENT = "select provider, count(*) from senders_sends where organization_id = ?"
            + " and status = 'sent' and updated_at > now() - make_interval(secs => ?) group by provider";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    /** Messages of the organization sent within {@code window}, per provider (every provider present, 0 or more). */
    public Map<ProviderName, Long> sent(String organizationId, Duration window) {
        Map<ProviderName, Long> sent = new EnumMap<>(ProviderName.class);
        for (ProviderName provider : ProviderName.values()) {
            sent.put(provider, 0L);
        }
        try (Connection connection = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement query = connection.prepareStatement(SENT)) {
            query.setString(1, organizationId);
            query.setDouble(2, window.toMillis() / 1000.0);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sent.put(ProviderName.valueOf(rows.getString(1).toUpperCase(Locale.ROOT)), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not count the organization's sends: " + e.getMessage(), e);
        }
        return sent;
    }
}
