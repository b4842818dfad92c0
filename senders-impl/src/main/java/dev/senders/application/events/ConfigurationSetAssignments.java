package dev.senders.application.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.util.List;

/** Which configuration set an organization's senders send with ({@code senders.configuration_set_name}). */
@ApplicationScoped
@Transactional
public class ConfigurationSetAssignments {

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    /** Whether a sender of the organization carries the name already (so the set was created before). */
    public boolean anyCarries(String organizationId, String name) {
        return Boolean.TRUE.equals(em.createNativeQuery("select exists (select 1 from senders where organization_id = ?1"
                        + " and configuration_set_name = ?2)")
                .setParameter(1, organizationId)
                .setParameter(2, name)
                .getSingleResult());
    }

    /**
     * Gives the name to the organization's senders that have none (a name set otherwise, by an operator, is kept).
     *
     * @return the senders changed
     */
    public int assign(String organizationId, String name) {
        return em.createNativeQuery("update senders set configuration_set_name = ?2, updated_at = now()"
                        + " where organization_id = ?1 and configuration_set_name is null")
                .setParameter(1, organizationId)
                .setParameter(2, name)
                .executeUpdate();
    }

    /** Organizations with a verified sender but no configuration set on it (a creation that failed, say). */
    @SuppressWarnings("unchecked")
    public List<String> organizationsMissingOne(int limit) {
        return em.createNativeQuery("select distinct organization_id from senders where verification_status = 'verified'"
                        + " and configuration_set_name is null order by organization_id limit ?1")
                .setParameter(1, limit)
                .getResultList();
    }
}
