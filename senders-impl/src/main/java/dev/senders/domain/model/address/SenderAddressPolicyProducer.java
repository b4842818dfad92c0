package dev.senders.domain.model.address;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Produces the {@link SenderAddressPolicy} from MicroProfile Config:
 * <ul>
 *   <li>{@code senders.address.reserved-domains}: comma separated, default
 *       {@value SenderAddressPolicy#DEFAULT_RESERVED_DOMAINS}</li>
 *   <li>{@code senders.address.reserved-tlds}: comma separated, default
 *       {@value SenderAddressPolicy#DEFAULT_RESERVED_TLDS}</li>
 * </ul>
 */
@ApplicationScoped
public class SenderAddressPolicyProducer {

    @Inject
    @ConfigProperty(name = "senders.address.reserved-domains",
            defaultValue = SenderAddressPolicy.DEFAULT_RESERVED_DOMAINS)
    List<String> reservedDomains;

    @Inject
    @ConfigProperty(name = "senders.address.reserved-tlds",
            defaultValue = SenderAddressPolicy.DEFAULT_RESERVED_TLDS)
    List<String> reservedTlds;

    /**
     * One shared instance. {@code @Singleton} (a pseudo-scope) rather than {@code @ApplicationScoped}: the policy is a
     * final, immutable class, which CDI cannot proxy for a normal scope (that would be a deployment error), and being
     * immutable it needs no proxy.
     */
    @Produces
    @Singleton
    SenderAddressPolicy senderAddressPolicy() {
        return new SenderAddressPolicy(reservedDomains, reservedTlds);
    }
}
