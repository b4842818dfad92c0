package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The module's record of every send: provider, message id, organization and campaign. A message whose idempotency
 * key already went out is answered from here instead of being sent again (a resumed campaign, a retried call; read by
 * {@link SendChecks}).
 *
 * <p>On the send path, so plain JDBC: one statement that commits by itself (durably: it is what stops a resumed
 * campaign from sending twice), outside any transaction of the caller's, like the old {@code REQUIRES_NEW} one but
 * without a JTA transaction and its extra round trip for the commit.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class SendLog {

    /** A new key is inserted; an unsuccessful earlier outcome is replaced; a 'sent' one is kept. */
    private static final String UPSERT = "insert into senders_sends (idempotency_key, organization_id, campaign_id,"
            + " recipient, from_address, provider, message_id, status, error, warning)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (organization_id, idempotency_key) where idempotency_key is not null"
            + " do update set provider = excluded.provider, message_id = excluded.message_id,"
            + " status = excluded.status, error = excluded.error, warning = excluded.warning,"
            + " from_address = excluded.from_address, updated_at = now()"
            + " where senders_sends.status <> 'sent'";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    /** Records the outcome; a second outcome for the same idempotency key replaces an unsuccessful one. */
    public void record(EmailMessage message, String fromAddress, SendResult result) {
        try (Connection connection = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            upsert.setString(1, message.idempotencyKey()); // null: a plain insert (the index skips null keys)
            upsert.setString(2, message.organizationId());
            upsert.setString(3, message.campaignId());
            upsert.setString(4, message.to());
            upsert.setString(5, fromAddress);
            upsert.setString(6, result.provider().wire());
            upsert.setString(7, result.messageId());
            upsert.setString(8, result.status().name().toLowerCase(Locale.ROOT));
            upsert.setString(9, result.error());
            upsert.setString(10, result.warning());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record the send to " + message.to() + ": " + e.getMessage(), e);
        }
    }
}
