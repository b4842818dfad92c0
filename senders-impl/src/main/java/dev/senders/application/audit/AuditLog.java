package dev.senders.application.audit;

import dev.senders.api.tenancy.Tenant;
import dev.senders.infrastructure.logging.StructuredLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * The audit trail: every change to a sender, a default or a suppression, with who, when, what and the organization.
 * Written in the transaction of the change itself, so a change and its record stand or fall together; once the
 * change is committed the same facts go to the server log as a structured line
 * ({@code event=sender.added organization=acme sender=42 actor=alice detail=news@acme.com}).
 */
@ApplicationScoped
public class AuditLog {

    private static final StructuredLog LOG = StructuredLog.of(AuditLog.class);

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    @Inject
    Event<Recorded> recorded;

    /** One audited change, as fired within its transaction. */
    public record Recorded(String organizationId, String actor, String action, String targetType, String targetId,
                           String detail) {
    }

    @JsonbNillable
    public record Entry(long id, String organizationId, String actor, String action, String targetType,
                        String targetId, String detail, OffsetDateTime occurredAt) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(Tenant actor, String action, String targetType, Object targetId, String detail) {
        em.createNativeQuery("insert into senders_audit (organization_id, actor, action, target_type, target_id,"
                        + " detail) values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, actor.organizationId())
                .setParameter(2, actor.userName())
                .setParameter(3, action)
                .setParameter(4, targetType)
                .setParameter(5, targetId == null ? null : targetId.toString())
                .setParameter(6, detail)
                .executeUpdate();
        recorded.fire(new Recorded(actor.organizationId(), actor.userName(), action, targetType,
                targetId == null ? null : targetId.toString(), detail));
    }

    /** The log line of a committed change (a rolled-back one never happened). */
    void log(@Observes(during = TransactionPhase.AFTER_SUCCESS) Recorded change) {
        LOG.info(change.action()).organization(change.organizationId()).field(change.targetType(), change.targetId())
                .field("actor", change.actor()).field("detail", change.detail()).log();
    }

    /** Newest first; every organization when {@code organizationId} is null (platform admins only). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Entry> list(String organizationId, int offset, int limit) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, organization_id, actor, action, target_type, target_id,"
                        + " detail, occurred_at from senders_audit where (cast(?1 as varchar) is null or organization_id = cast(?1 as varchar))"
                        + " order by occurred_at desc, id desc offset ?2 limit ?3")
                .setParameter(1, organizationId)
                .setParameter(2, offset)
                .setParameter(3, limit)
                .getResultList();
        return rows.stream().map(r -> new Entry(((Number) r[0]).longValue(), (String) r[1], (String) r[2],
                (String) r[3], (String) r[4], (String) r[5], (String) r[6], toOffset(r[7]))).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(String organizationId) {
        return ((Number) em.createNativeQuery("select count(*) from senders_audit where (cast(?1 as varchar) is null or"
                + " organization_id = cast(?1 as varchar))").setParameter(1, organizationId).getSingleResult()).longValue();
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(java.time.ZoneOffset.UTC);
        }
        return value == null ? null : OffsetDateTime.parse(value.toString());
    }
}
