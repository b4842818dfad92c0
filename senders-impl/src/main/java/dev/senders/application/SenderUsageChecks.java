package dev.senders.application;

import dev.senders.api.spi.SenderUsageCheck;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Asks the host's {@link SenderUsageCheck}s whether a sender is in use. They run outside the module's transaction,
 * so a host may use its own (non-XA) data source.
 *
 * <p>The checks are looked up in the caller's container ({@link CDI#current()}) as well as through this bean's own
 * injection: in an EAR the module is an EJB module (and lib/), whose beans cannot see the web module's, so a host's
 * check in its WAR is found only through the calling (web) module (docs/application-server.md).
 */
@ApplicationScoped
public class SenderUsageChecks {

    @Inject
    Instance<SenderUsageCheck> checks;

    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    public Optional<String> activeUse(String organizationId, String emailAddress) {
        Set<Class<?>> asked = new HashSet<>();
        for (Instance<SenderUsageCheck> source : sources()) {
            for (Instance.Handle<SenderUsageCheck> handle : source.handles()) {
                try {
                    if (!asked.add(handle.getBean().getBeanClass())) {
                        continue;
                    }
                    Optional<String> use = handle.get().activeUse(organizationId, emailAddress);
                    if (use.isPresent()) {
                        return use;
                    }
                } finally {
                    if (handle.getBean().getScope() == Dependent.class) {
                        handle.destroy(); // only what this lookup created: never a shared (normal-scoped) instance
                    }
                }
            }
        }
        return Optional.empty();
    }

    private java.util.List<Instance<SenderUsageCheck>> sources() {
        try {
            return java.util.List.of(CDI.current().select(SenderUsageCheck.class), checks);
        } catch (IllegalStateException noContainerForTheCaller) {
            return java.util.List.of(checks);
        }
    }
}
