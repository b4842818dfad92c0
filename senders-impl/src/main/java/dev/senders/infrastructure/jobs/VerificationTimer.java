package dev.senders.infrastructure.jobs;

import dev.senders.application.VerificationSweep;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Re-checks domains waiting for verification on a schedule: every 4 hours by default
 * ({@code senders.verification.schedule.hour=*&#47;4}, {@code .minute=0}). A non-persistent EJB calendar timer fires on
 * every instance; the period record in the database lets exactly one of them do the work.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class VerificationTimer {

    private static final Logger LOG = Logger.getLogger(VerificationTimer.class.getName());

    @Resource
    TimerService timers;

    @Inject
    VerificationSweep sweep;

    @Inject
    @ConfigProperty(name = "senders.verification.schedule.hour", defaultValue = "*/4")
    String hour;

    @Inject
    @ConfigProperty(name = "senders.verification.schedule.minute", defaultValue = "0")
    String minute;

    @Inject
    @ConfigProperty(name = "senders.verification.enabled", defaultValue = "true")
    boolean enabled;

    @PostConstruct
    void schedule() {
        if (!enabled) {
            LOG.info("Senders background verification is disabled (senders.verification.enabled=false)");
            return;
        }
        ScheduleExpression every = new ScheduleExpression().hour(hour).minute(minute).second("0");
        timers.createCalendarTimer(every, new TimerConfig("senders-verification-sweep", false));
    }

    @Timeout
    void run(Timer timer) {
        // Every instance fires at the same wall-clock time: the minute is the period's name.
        Instant period = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try {
            sweep.runForPeriod(period);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Senders verification sweep failed; the next period will try again", e);
        }
    }
}
