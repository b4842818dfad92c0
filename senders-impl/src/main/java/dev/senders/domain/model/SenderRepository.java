package dev.senders.domain.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

import java.util.List;
import java.util.Optional;

/** Senders, always read within one organization. */
@ApplicationScoped
public class SenderRepository {

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    public List<Sender> page(String organizationId, int offset, int limit) {
        return em.createNamedQuery(Sender.BY_ORGANIZATION, Sender.class)
                .setParameter("org", organizationId)
                .setFirstResult(offset)
                .setMaxResults(limit)
                .getResultList();
    }

    public long count(String organizationId) {
        return em.createNamedQuery(Sender.COUNT_BY_ORGANIZATION, Long.class)
                .setParameter("org", organizationId)
                .getSingleResult();
    }

    /** Another organization's id is simply not found. */
    public Optional<Sender> find(String organizationId, long id) {
        return em.createNamedQuery(Sender.BY_ID_AND_ORGANIZATION, Sender.class)
                .setParameter("id", id)
                .setParameter("org", organizationId)
                .getResultStream()
                .findFirst();
    }

    public Sender add(Sender sender) {
        em.persist(sender);
        em.flush();
        return sender;
    }

    public void remove(Sender sender) {
        em.remove(em.contains(sender) ? sender : em.merge(sender));
        em.flush();
    }

    public EntityManager entityManager() {
        return em;
    }
}
