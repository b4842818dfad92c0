package dev.senders.domain.model.suppression;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The suppression list in {@code senders_suppressions} (plain SQL: entries are added with
 * {@code insert ... on conflict do nothing}, which JPA cannot express). Writes need the caller's transaction.
 *
 * <p><b>What an organization may read</b> ({@link Reader}): its own entries, and a platform-wide entry only for an
 * address it asks about exactly or has sent to (a row of its own in {@code senders_sends}), so that listing the
 * platform-wide entries never discloses the recipients of other organizations. A platform admin reads everything.
 */
@ApplicationScoped
public class SuppressionRepository {

    private static final String COLUMNS = "id, organization_id, email, type, reason, campaign_id,"
            + " source_organization_id, ses_message_id, created_at";

    /**
     * Who reads the list: an organization (and the one address it asks about exactly, if any), or a platform admin.
     *
     * @param organizationId the reader's organization
     * @param exactAddress   the normalized address asked about exactly, or null
     * @param admin          a platform admin reads every entry
     */
    public record Reader(String organizationId, String exactAddress, boolean admin) {
    }

    /** Entries reader ?1 (organization) may see; ?5 is the address it asks about exactly (or null). */
    private static final String VISIBLE_TO_ORGANIZATION = "(organization_id = ?1 or (organization_id is null and"
            + " (email = ?5 or exists (select 1 from senders_sends x where x.organization_id = ?1"
            + " and lower(x.recipient) = senders_suppressions.email))))";

    private static String visible(Reader reader) {
        return reader.admin() ? "true" : VISIBLE_TO_ORGANIZATION;
    }

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    /**
     * SQL that is true when an address is suppressed for an organization (its own entry or a platform-wide one); JDBC
     * parameters: the normalized address, then the organization.
     */
    public static final String SUPPRESSED = "exists (select 1 from senders_suppressions where email = ?"
            + " and (organization_id is null or organization_id = ?))";

    /** Whether the (normalized) address is suppressed for the organization, its own entry or a platform-wide one. */
    public boolean isSuppressed(String organizationId, String email) {
        Object found = em.createNativeQuery("select " + SUPPRESSED)
                .setParameter(1, email)
                .setParameter(2, organizationId)
                .getSingleResult();
        return Boolean.TRUE.equals(found);
    }

    /** Whether the organization has an entry of its own for the (normalized) address (platform-wide ones aside). */
    public boolean hasOrganizationEntry(String organizationId, String email) {
        Object found = em.createNativeQuery("select exists (select 1 from senders_suppressions"
                        + " where organization_id = ?1 and email = ?2)")
                .setParameter(1, organizationId)
                .setParameter(2, email)
                .getSingleResult();
        return Boolean.TRUE.equals(found);
    }

    /**
     * Adds the entry unless its scope already has the address (then nothing changes).
     *
     * @return whether it was added
     */
    public boolean add(Suppression s) {
        Number id = (Number) em.createNativeQuery("insert into senders_suppressions (organization_id, email, type,"
                        + " reason, campaign_id, source_organization_id, ses_message_id)"
                        + " values (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
                        + " on conflict (coalesce(organization_id, ''), email) do nothing returning id")
                .setParameter(1, s.organizationId())
                .setParameter(2, s.email())
                .setParameter(3, s.type().wire())
                .setParameter(4, s.reason())
                .setParameter(5, s.campaignId())
                .setParameter(6, s.sourceOrganizationId())
                .setParameter(7, s.sesMessageId())
                .getResultStream().findFirst().orElse(null);
        return id != null;
    }

    /** One page of the entries the reader may see, newest first, optionally whose address contains q. */
    public List<Suppression> page(Reader reader, String search, int offset, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = filtered("select " + COLUMNS + " from senders_suppressions where " + visible(reader)
                + searchClause(search) + " order by created_at desc, id desc offset ?3 limit ?4", reader, search)
                .setParameter(3, offset)
                .setParameter(4, limit)
                .getResultList();
        return rows.stream().map(SuppressionRepository::row).toList();
    }

    public long count(Reader reader, String search) {
        return ((Number) filtered("select count(*) from senders_suppressions where " + visible(reader)
                + searchClause(search), reader, search).getSingleResult()).longValue();
    }

    /** The entry if the reader may see it; otherwise (another organization's, or unknown) not found. */
    public Optional<Suppression> findVisible(Reader reader, long id) {
        Query query = em.createNativeQuery("select " + COLUMNS + " from senders_suppressions where id = ?2"
                + " and " + visible(reader)).setParameter(2, id);
        if (!reader.admin()) {
            query.setParameter(1, reader.organizationId()).setParameter(5, reader.exactAddress());
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = query.getResultList();
        return rows.stream().findFirst().map(SuppressionRepository::row);
    }

    /**
     * Removes the entry (the caller audits it in the same transaction).
     *
     * @return whether it was still there
     */
    public boolean remove(long id) {
        return em.createNativeQuery("delete from senders_suppressions where id = ?1")
                .setParameter(1, id)
                .executeUpdate() == 1;
    }

    private Query filtered(String sql, Reader reader, String search) {
        Query query = em.createNativeQuery(sql);
        if (!reader.admin()) {
            query.setParameter(1, reader.organizationId()).setParameter(5, reader.exactAddress());
        }
        if (search != null) {
            query.setParameter(2, "%" + likeEscaped(search) + "%");
        }
        return query;
    }

    private static String searchClause(String search) {
        return search == null ? "" : " and email like ?2 escape '\\'";
    }

    /** The text with LIKE's wildcards and its escape character taken literally. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Suppression row(Object[] r) {
        return new Suppression(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                SuppressionType.fromWire((String) r[3]), (String) r[4], (String) r[5], (String) r[6], (String) r[7],
                instant(r[8]));
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
