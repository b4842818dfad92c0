package dev.senders.application;

import dev.senders.api.spi.SenderUsageCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Optional;

/**
 * Asks the host's {@link SenderUsageCheck}s whether a sender is in use. They run outside the module's transaction,
 * so a host may use its own (non-XA) data source.
 */
@ApplicationScoped
public class SenderUsageChecks {

    @Inject
    Instance<SenderUsageCheck> checks;

    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Optional<String> activeUse(String organizationId, String emailAddress) {
        for (SenderUsageCheck check : checks) {
            Optional<String> use = check.activeUse(organizationId, emailAddress);
            if (use.isPresent()) {
                return use;
            }
        }
        return Optional.empty();
    }
}
