package dev.senders.domain.model.suppression;

import dev.senders.api.sending.SuppressionList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * The module's {@link SuppressionList}: the {@code senders_suppressions} table, fed by SES bounce and complaint
 * events and by the one-click unsubscribe links. An address is suppressed for an organization when it bounced
 * permanently (platform-wide), or complained about that organization or used the unsubscribe link of its mail. The providers ask it before every send and answer {@code SUPPRESSED}, so a host cannot
 * forget to. One indexed query per send, uncached: an entry (or its removal) applies to the very next send on every
 * instance.
 */
@ApplicationScoped
// a transaction of its own when the caller has none: a container EntityManager used outside one, on a managed
// executor's thread, can be closed under the query (seen in the campaign tests)
@Transactional(Transactional.TxType.REQUIRED)
public class DatabaseSuppressionList implements SuppressionList {

    @Inject
    SuppressionRepository repository;

    @Override
    public boolean isSuppressed(String organizationId, String email) {
        return SuppressedAddress.normalize(email)
                .map(address -> repository.isSuppressed(organizationId, address))
                .orElse(false);
    }
}
