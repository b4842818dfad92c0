package dev.senders.infrastructure.jobs;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Once-per-cluster coordination of background jobs through the database every instance shares: a record per period
 * (a period runs once, whichever instance's timer fires first) and a lease (one run at a time; it expires if its
 * holder dies). Each statement is atomic, so no read-then-write race.
 */
@ApplicationScoped
public class JobCoordination {

    /** This instance, as a lease holder. */
    public static final String INSTANCE = UUID.randomUUID().toString();

    @PersistenceContext(unitName = "senders")
    EntityManager em;

    /** Records that {@code job} runs for the period starting at {@code periodStart}; false if one already did. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean claimPeriod(String job, Instant periodStart) {
        return em.createNativeQuery("insert into senders_job_runs (job, period_start, instance)"
                        + " values (?1, ?2, ?3) on conflict do nothing")
                .setParameter(1, job)
                .setParameter(2, java.sql.Timestamp.from(periodStart))
                .setParameter(3, INSTANCE)
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordPeriod(String job, Instant periodStart, int checked, int changed, int failed, int sesCalls) {
        em.createNativeQuery("update senders_job_runs set finished_at = now(), checked = ?3, changed = ?4,"
                        + " failed = ?5, ses_calls = ?6 where job = ?1 and period_start = ?2")
                .setParameter(1, job)
                .setParameter(2, java.sql.Timestamp.from(periodStart))
                .setParameter(3, checked)
                .setParameter(4, changed)
                .setParameter(5, failed)
                .setParameter(6, sesCalls)
                .executeUpdate();
    }

    /** A holder name unique to one run on this instance. */
    public static String newHolder() {
        return INSTANCE + "/" + UUID.randomUUID();
    }

    /** Takes (or, for the same holder, renews) the job's lease; false while another live holder has it. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean acquireLease(String job, String holder, Duration length) {
        return em.createNativeQuery("insert into senders_job_leases (job, holder, expires_at)"
                        + " values (?1, ?2, now() + make_interval(secs => ?3))"
                        + " on conflict (job) do update set holder = excluded.holder, expires_at = excluded.expires_at"
                        + " where senders_job_leases.expires_at < now() or senders_job_leases.holder = excluded.holder")
                .setParameter(1, job)
                .setParameter(2, holder)
                .setParameter(3, (double) length.toSeconds())
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void releaseLease(String job, String holder) {
        em.createNativeQuery("delete from senders_job_leases where job = ?1 and holder = ?2")
                .setParameter(1, job)
                .setParameter(2, holder)
                .executeUpdate();
    }
}
