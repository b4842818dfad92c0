package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.SendResult;
import dev.senders.api.sending.SuppressionList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;

/**
 * What is read before a send, in one transaction (one connection, one commit): the idempotency record (a message
 * already sent is answered from it) and the suppression list.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class SendChecks {

    @Inject
    SendLog log;

    @Inject
    SuppressionList suppressions;

    /** Before a send: the earlier result of the same message, or whether its recipient is suppressed. */
    public record Before(Optional<SendResult> earlier, boolean suppressed) {
    }

    public Before before(EmailMessage message) {
        Optional<SendResult> earlier = log.alreadySent(message);
        if (earlier.isPresent()) {
            return new Before(earlier, false);
        }
        return new Before(Optional.empty(), suppressions.isSuppressed(message.organizationId(), message.to()));
    }
}
