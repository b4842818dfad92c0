package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.domain.model.suppression.SuppressedAddress;
import dev.senders.domain.model.suppression.SuppressionRepository;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * What is read before a send, in one statement (one round trip, no transaction): the idempotency record (a message
 * already sent is answered from it, see {@link SendLog}) and the suppression list (the same rule as
 * {@link dev.senders.api.sending.SuppressionList}: the organization's own entries and the platform-wide ones).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class SendChecks {

    private static final String BEFORE = "select sent.provider, sent.message_id, sent.warning, "
            + SuppressionRepository.SUPPRESSED
            + " from (values (1)) as one (x) left join senders_sends sent on sent.organization_id = ?"
            + " and sent.idempotency_key = ? and sent.status = 'sent'";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    /** Before a send: the earlier result of the same message, or whether its recipient is suppressed. */
    public record Before(Optional<SendResult> earlier, boolean suppressed) {
    }

    public Before before(EmailMessage message) {
        try (Connection connection = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement query = connection.prepareStatement(BEFORE)) {
            // an address that is not one cannot be on the list (null matches nothing); nor can a null key have a row
            query.setString(1, SuppressedAddress.normalize(message.to()).orElse(null));
            query.setString(2, message.organizationId());
            query.setString(3, message.organizationId());
            query.setString(4, message.idempotencyKey());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                String provider = row.getString(1);
                if (provider != null) {
                    return new Before(Optional.of(SendResult.sent(
                            ProviderName.valueOf(provider.toUpperCase(Locale.ROOT)), row.getString(2),
                            row.getString(3))), false);
                }
                return new Before(Optional.empty(), row.getBoolean(4));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the send record and suppression list before sending to "
                    + message.to() + ": " + e.getMessage(), e);
        }
    }
}
