package dev.senders.domain.model;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.PersistenceException;

import java.sql.SQLException;
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

    /** The organization's deleted senders that may still be restored (newest deletion first). */
    public List<Sender> deleted(String organizationId) {
        return em.createNamedQuery(Sender.DELETED_BY_ORGANIZATION, Sender.class)
                .setParameter("org", organizationId)
                .getResultList();
    }

    /** Deleted senders of any organization, deleted before {@code cutoff}: due for deletion for good. */
    public List<Sender> deletedBefore(java.time.OffsetDateTime cutoff) {
        return em.createQuery("select s from Sender s where s.deletedAt is not null and s.deletedAt < :cutoff"
                        + " order by s.id", Sender.class)
                .setParameter("cutoff", cutoff)
                .getResultList();
    }

    /** Another organization's id is simply not found. */
    public Optional<Sender> find(String organizationId, long id) {
        return em.createNamedQuery(Sender.BY_ID_AND_ORGANIZATION, Sender.class)
                .setParameter("id", id)
                .setParameter("org", organizationId)
                .getResultStream()
                .findFirst();
    }

    /**
     * The organization's sender with this address, ignoring case ({@code NEWS@acme.io} is {@code news@acme.io}: the
     * same sender, which the database enforces with its unique index on {@code (organization_id,
     * lower(email_address))}).
     */
    public Optional<Sender> findByEmail(String organizationId, String emailAddress) {
        return em.createQuery("select s from Sender s where s.organizationId = :org"
                                + " and lower(s.emailAddress) = lower(:email) order by s.id",
                        Sender.class)
                .setParameter("org", organizationId)
                .setParameter("email", emailAddress)
                .getResultStream()
                .findFirst();
    }

    /** The organization's senders on exactly this domain, oldest first. */
    public List<Sender> findByDomain(String organizationId, String domain) {
        return em.createQuery("select s from Sender s where s.organizationId = :org and s.domain = :domain"
                        + " order by s.createdAt, s.id", Sender.class)
                .setParameter("org", organizationId)
                .setParameter("domain", domain)
                .getResultList();
    }

    /** Senders still waiting for verification (pending or verifying). */
    public long countPending(String organizationId) {
        return em.createQuery("select count(s) from Sender s where s.organizationId = :org"
                        + " and s.deletedAt is null and s.verificationStatus in :statuses", Long.class)
                .setParameter("org", organizationId)
                .setParameter("statuses", List.of(VerificationStatus.PENDING, VerificationStatus.VERIFYING))
                .getSingleResult();
    }

    /**
     * Whether another organization holds a sender on this domain, a parent of it or a subdomain of it. Parents are
     * matched by equality with each suffix of the domain, subdomains through the index on the reversed domain, so
     * the query reads a few index entries whatever the size of the table.
     */
    public boolean heldByAnotherOrganization(String organizationId, String domain) {
        Object found = em.createNativeQuery("select exists (select 1 from senders where organization_id <> ?1 and ("
                        + " domain = any(string_to_array(?2, ','))"
                        + " or (reverse(domain) ~>=~ ?3 and reverse(domain) ~<~ ?4)))")
                .setParameter(1, organizationId)
                .setParameter(2, String.join(",", selfAndParents(domain)))
                .setParameter(3, reversedSubdomainPrefix(domain))
                .setParameter(4, reversedSubdomainEnd(domain))
                .getSingleResult();
        return Boolean.TRUE.equals(found);
    }

    /** Every subdomain of {@code acme.com}, reversed, starts with {@code moc.emca.}. */
    static String reversedSubdomainPrefix(String domain) {
        return new StringBuilder("." + domain).reverse().toString();
    }

    /** The first string after every one that starts with the prefix (its final '.' becomes '/'). */
    static String reversedSubdomainEnd(String domain) {
        String prefix = reversedSubdomainPrefix(domain);
        return prefix.substring(0, prefix.length() - 1) + '/';
    }

    /** {@code mail.acme.com} → {@code mail.acme.com, acme.com, com}. */
    static List<String> selfAndParents(String domain) {
        List<String> names = new java.util.ArrayList<>();
        for (String d = domain; !d.isEmpty(); d = d.indexOf('.') < 0 ? "" : d.substring(d.indexOf('.') + 1)) {
            names.add(d);
        }
        return names;
    }

    /** Senders of any organization on exactly this domain. */
    public long countOnDomain(String domain) {
        return em.createQuery("select count(s) from Sender s where s.domain = :domain", Long.class)
                .setParameter("domain", domain)
                .getSingleResult();
    }

    /**
     * Serializes changes within one organization (adds, removals, defaults) until the transaction ends, so that
     * limits such as "at most N pending" hold under parallel requests and across instances.
     */
    public void lockOrganization(String organizationId) {
        advisoryLock("senders:org:" + organizationId);
    }

    /** Serializes the creation and deletion of one domain's SES identity across organizations and instances. */
    public void lockDomain(String domain) {
        advisoryLock("senders:domain:" + domain);
    }

    private void advisoryLock(String key) {
        em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtextextended(?1, 0))) as locked")
                .setParameter(1, key)
                .getSingleResult();
    }

    /**
     * Claims the sender's verification cooldown in one atomic statement (so parallel requests on any instance
     * cannot both pass): true when claimed, false when the sender is missing or still cooling down.
     */
    public boolean claimVerification(String organizationId, long id, java.time.Duration cooldown) {
        int updated = em.createNativeQuery("update senders set verify_requested_at = now()"
                        + " where id = ?1 and organization_id = ?2 and (verify_requested_at is null"
                        + " or verify_requested_at <= now() - make_interval(secs => ?3))")
                .setParameter(1, id)
                .setParameter(2, organizationId)
                .setParameter(3, (double) cooldown.toMillis() / 1000.0)
                .executeUpdate();
        return updated == 1;
    }

    /** Seconds until the sender's cooldown ends (at least 1). */
    public long cooldownRemainingSeconds(String organizationId, long id, java.time.Duration cooldown) {
        Number remaining = (Number) em.createNativeQuery("select ceil(extract(epoch from (verify_requested_at"
                        + " + make_interval(secs => ?3) - now()))) from senders where id = ?1 and organization_id = ?2")
                .setParameter(1, id)
                .setParameter(2, organizationId)
                .setParameter(3, (double) cooldown.toMillis() / 1000.0)
                .getResultStream().findFirst().orElse(null);
        return remaining == null ? 1 : Math.max(1, remaining.longValue());
    }

    /** Every sender, in any organization, on exactly this domain. */
    public List<Sender> findAllOnDomain(String domain) {
        return em.createQuery("select s from Sender s where s.domain = :domain order by s.id", Sender.class)
                .setParameter("domain", domain)
                .getResultList();
    }

    /** Distinct domains with a sender still waiting for verification. */
    public List<String> domainsAwaitingVerification() {
        return em.createQuery("select distinct s.domain from Sender s where s.verificationStatus in :statuses"
                        + " and s.deletedAt is null order by s.domain", String.class)
                .setParameter("statuses", List.of(VerificationStatus.PENDING, VerificationStatus.VERIFYING))
                .getResultList();
    }

    /** Distinct domains whose custom MAIL FROM SES has not confirmed yet. */
    public List<String> domainsAwaitingMailFrom() {
        return em.createQuery("select distinct s.domain from Sender s where s.mailFromDomain is not null"
                        + " and (s.mailFromStatus is null or s.mailFromStatus <> 'Success') order by s.domain",
                        String.class)
                .getResultList();
    }

    public Optional<Sender> findDefault(String organizationId) {
        return em.createQuery("select s from Sender s where s.organizationId = :org and s.defaultSender = true",
                        Sender.class)
                .setParameter("org", organizationId)
                .getResultStream()
                .findFirst();
    }

    /** The organization already has a sender with this address (in any case): the database's unique index said so. */
    public static final class DuplicateAddress extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DuplicateAddress(Throwable cause) {
            super("the organization already has a sender with this address", cause);
        }
    }

    /**
     * Inserts a new sender.
     *
     * @throws DuplicateAddress when the database refuses it as a second sender with the same address (the only unique
     *                          rule a new, non-default sender can break); the transaction is then rolled back
     */
    public Sender add(Sender sender) {
        try {
            em.persist(sender);
            em.flush();
        } catch (PersistenceException e) {
            if (isUniqueViolation(e)) {
                throw new DuplicateAddress(e);
            }
            throw e;
        }
        return sender;
    }

    /** SQLSTATE 23505 (unique_violation) anywhere in the cause chain. */
    private static boolean isUniqueViolation(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public void remove(Sender sender) {
        em.remove(em.contains(sender) ? sender : em.merge(sender));
        em.flush();
    }

    public EntityManager entityManager() {
        return em;
    }
}
