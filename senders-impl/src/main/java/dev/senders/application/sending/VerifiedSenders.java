package dev.senders.application.sending;

import dev.senders.domain.model.Sender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads what provider resolution needs: an organization's fully verified senders (one indexed query). */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRED)
public class VerifiedSenders {

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    /** The organization's fully verified domains (with their configuration set) and its verified default, if any. */
    public record Snapshot(Map<String, String> verifiedDomains, String defaultAddress) {
        public boolean hasVerifiedDefault() {
            return defaultAddress != null;
        }
    }

    public Snapshot load(String organizationId) {
        List<Sender> verified = em.createQuery("select s from Sender s where s.organizationId = :org"
                        + " and s.verificationStatus = dev.senders.domain.model.VerificationStatus.VERIFIED"
                        + " and s.dkimStatus = dev.senders.domain.model.DkimStatus.SUCCESS"
                        + " and s.deletedAt is null", Sender.class)
                .setParameter("org", organizationId)
                .getResultList();
        Map<String, String> domains = new HashMap<>();
        String defaultAddress = null;
        for (Sender s : verified) {
            if (!s.isFullyVerified()) {
                continue;
            }
            domains.putIfAbsent(s.getDomain(), s.getConfigurationSetName());
            if (s.getConfigurationSetName() != null) {
                domains.put(s.getDomain(), s.getConfigurationSetName());
            }
            if (s.isDefaultSender()) {
                defaultAddress = s.getEmailAddress();
            }
        }
        return new Snapshot(Collections.unmodifiableMap(domains), defaultAddress);
    }
}
