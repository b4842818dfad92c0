package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.domain.model.Sender;
import dev.senders.domain.model.address.SenderAddressPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.net.IDN;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which provider a message goes through, and as whom.
 * <ol>
 *     <li><b>SES</b> when the organization has a fully verified default sender and the From domain is one of its own
 *     fully verified domains (a subdomain counts only if the organization itself verified the parent).</li>
 *     <li><b>Resend fallback, with a warning</b>, when the From domain is not verified for this organization: the
 *     message goes out from the platform's address, and the original address becomes Reply-To.</li>
 *     <li><b>Resend</b> when the organization has no verified domain at all (same addresses, no warning).</li>
 * </ol>
 * The organization's verified senders are read at every send (one indexed query), so a change on any instance of a
 * cluster (a default removed or set, a domain verified) applies to the very next send everywhere: a per-instance cache
 * let another instance send through SES as a removed domain for as long as its entry lived (measured in ClusterIT).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class ProviderRouting {

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    /** Where a message goes. */
    public record Route(ProviderName provider, String verifiedDomain, String configurationSet, String warning) {
        public boolean fallback() {
            return warning != null;
        }
    }

    /** The organization's fully verified domains (with their configuration set) and whether a default exists. */
    record Snapshot(Map<String, String> verifiedDomains, boolean hasVerifiedDefault) {
    }

    public Route route(String organizationId, String fromAddress) {
        Snapshot snapshot = load(organizationId);
        String fromDomain = domainOf(fromAddress);
        if (snapshot.hasVerifiedDefault() && fromDomain != null) {
            Optional<String> match = snapshot.verifiedDomains().keySet().stream()
                    .filter(d -> SenderAddressPolicy.isSameOrSubdomain(fromDomain, d))
                    .max((a, b) -> Integer.compare(a.length(), b.length()));
            if (match.isPresent()) {
                return new Route(ProviderName.SES, match.get(), snapshot.verifiedDomains().get(match.get()), null);
            }
        }
        if (snapshot.verifiedDomains().isEmpty()) {
            return new Route(ProviderName.RESEND, null, null, null);
        }
        return new Route(ProviderName.RESEND, null, null, "The domain of " + fromAddress + " is not verified for"
                + " this organization" + (snapshot.hasVerifiedDefault() ? "" : " (or it has no verified default"
                + " sender)") + ": sent through the platform's address with " + fromAddress + " as Reply-To");
    }

    public boolean hasVerifiedDomain(String organizationId) {
        return !load(organizationId).verifiedDomains().isEmpty();
    }

    /** The organization's verified default sender address, if any. */
    public Optional<String> defaultSender(String organizationId) {
        return em.createQuery("select s from Sender s where s.organizationId = :org and s.defaultSender = true",
                        Sender.class)
                .setParameter("org", organizationId)
                .getResultStream()
                .filter(Sender::isFullyVerified)
                .map(Sender::getEmailAddress)
                .findFirst();
    }

    private Snapshot load(String organizationId) {
        List<Sender> verified = em.createQuery("select s from Sender s where s.organizationId = :org"
                        + " and s.verificationStatus = dev.senders.domain.model.VerificationStatus.VERIFIED"
                        + " and s.dkimStatus = dev.senders.domain.model.DkimStatus.SUCCESS", Sender.class)
                .setParameter("org", organizationId)
                .getResultList();
        Map<String, String> domains = new java.util.HashMap<>();
        boolean hasDefault = false;
        for (Sender s : verified) {
            domains.putIfAbsent(s.getDomain(), s.getConfigurationSetName() == null ? "" : s.getConfigurationSetName());
            hasDefault |= s.isDefaultSender();
        }
        Map<String, String> withNulls = new java.util.HashMap<>();
        domains.forEach((d, c) -> withNulls.put(d, c.isEmpty() ? null : c));
        return new Snapshot(java.util.Collections.unmodifiableMap(withNulls), hasDefault);
    }

    static String domainOf(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            return null;
        }
        try {
            return IDN.toASCII(address.substring(at + 1).trim(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
