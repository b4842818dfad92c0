package dev.senders.application.reputation;

import dev.senders.infrastructure.jobs.JobCoordination;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Asynchronous;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.ScheduleExpression;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The reputation guard's background work: an evaluation asked for by an event ({@link ReputationTriggers}), run
 * asynchronously (an EJB asynchronous call: an invocation of its own), and the periodic evaluation (every 15 minutes
 * by default, {@code senders.reputation.schedule.minute}) of the organizations that are not ok: a warning clears when
 * the window has moved past the bounces or complaints behind it (an ok organization's rates only rise with a new
 * bounce or complaint, which evaluates it). The timer fires on every instance; the period record in the database
 * lets one of them do the work ({@link JobCoordination#claimPeriod}), and each organization's evaluation takes its
 * advisory lock. With every organization ok it writes nothing.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ReputationJobs {

    private static final StructuredLog EVENTS = StructuredLog.of(ReputationJobs.class);
    static final String JOB = "senders-reputation";

    @Resource
    TimerService timers;

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    ReputationGuard guard;

    @Inject
    ReputationTriggers triggers;

    @Inject
    ReputationSettings settings;

    @Inject
    JobCoordination coordination;

    @Inject
    OrganizationStates states;

    @PostConstruct
    void schedule() {
        timers.createCalendarTimer(new ScheduleExpression().hour("*").minute(settings.scheduleMinute()).second("0"),
                new TimerConfig(JOB, false));
    }

    /** Evaluates the organization in the background. */
    @Asynchronous
    public void evaluateLater(String organizationId) {
        triggers.starting(organizationId);
        evaluate(organizationId);
    }

    @Timeout
    void periodically(Timer timer) {
        Instant period = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try {
            guard.registerGauges();
            states.refresh();
            List<String> organizations;
            try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection())) {
                organizations = ReputationCounts.notOk(c);
            }
            // nothing to do writes nothing (not even the period's record)
            if (organizations.isEmpty() || !coordination.claimPeriod(JOB, period)) {
                return;
            }
            int failed = 0;
            for (String organizationId : organizations) {
                failed += evaluate(organizationId) ? 0 : 1;
            }
            coordination.recordPeriod(JOB, period, organizations.size(), 0, failed, 0);
        } catch (SQLException | RuntimeException e) {
            EVENTS.warning("reputation.periodic-failed").field("error", e.getMessage()).log();
        }
    }

    private boolean evaluate(String organizationId) {
        try {
            guard.evaluate(organizationId);
            return true;
        } catch (RuntimeException e) {
            EVENTS.warning("reputation.evaluation-failed").organization(organizationId)
                    .field("error", e.getMessage()).cause(e).log();
            return false;
        }
    }
}
