package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Optional;

/**
 * The module's record of every send: provider, message id, organization and campaign. A message whose idempotency
 * key already went out is answered from here instead of being sent again (a resumed campaign, a retried call).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class SendLog {

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    /** The earlier successful result for this message's idempotency key, if any (in the caller's transaction). */
    @Transactional(Transactional.TxType.REQUIRED)
    public Optional<SendResult> alreadySent(EmailMessage message) {
        if (message.idempotencyKey() == null) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select provider, message_id, warning from senders_sends"
                        + " where organization_id = ?1 and idempotency_key = ?2 and status = 'sent'")
                .setParameter(1, message.organizationId())
                .setParameter(2, message.idempotencyKey())
                .getResultList();
        return rows.stream().findFirst().map(r -> SendResult.sent(
                ProviderName.valueOf(((String) r[0]).toUpperCase(java.util.Locale.ROOT)), (String) r[1],
                (String) r[2]));
    }

    /** Records the outcome; a second outcome for the same idempotency key replaces an unsuccessful one. */
    public void record(EmailMessage message, String fromAddress, SendResult result) {
        String status = result.status().name().toLowerCase(java.util.Locale.ROOT);
        if (message.idempotencyKey() == null) {
            insert(message, fromAddress, result, status);
            return;
        }
        // one statement: a new key is inserted; an unsuccessful earlier outcome is replaced; a 'sent' one is kept
        em.createNativeQuery("insert into senders_sends (idempotency_key, organization_id, campaign_id, recipient,"
                        + " from_address, provider, message_id, status, error, warning)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                        + " on conflict (organization_id, idempotency_key) where idempotency_key is not null"
                        + " do update set provider = excluded.provider, message_id = excluded.message_id,"
                        + " status = excluded.status, error = excluded.error, warning = excluded.warning,"
                        + " from_address = excluded.from_address, updated_at = now()"
                        + " where senders_sends.status <> 'sent'")
                .setParameter(1, message.idempotencyKey())
                .setParameter(2, message.organizationId())
                .setParameter(3, message.campaignId())
                .setParameter(4, message.to())
                .setParameter(5, fromAddress)
                .setParameter(6, result.provider().wire())
                .setParameter(7, result.messageId())
                .setParameter(8, status)
                .setParameter(9, result.error())
                .setParameter(10, result.warning())
                .executeUpdate();
    }

    private void insert(EmailMessage message, String fromAddress, SendResult result, String status) {
        em.createNativeQuery("insert into senders_sends (organization_id, campaign_id, recipient, from_address,"
                        + " provider, message_id, status, error, warning) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                .setParameter(1, message.organizationId())
                .setParameter(2, message.campaignId())
                .setParameter(3, message.to())
                .setParameter(4, fromAddress)
                .setParameter(5, result.provider().wire())
                .setParameter(6, result.messageId())
                .setParameter(7, status)
                .setParameter(8, result.error())
                .setParameter(9, result.warning())
                .executeUpdate();
    }
}
