package dev.senders.application.events;

import dev.senders.infrastructure.sns.SnsSettings;
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

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The background side of {@link ConfigurationSetProvisioning}: a provisioning requested when a sender is verified
 * runs here asynchronously (an EJB asynchronous call runs in an invocation of its own, unlike a managed executor
 * task submitted from the request, which shares the request's and may close its resources under it); a failure is
 * retried after 10 s, 1 and 5 minutes (non-persistent timers); and every hour (minute 23) the sets that still could
 * not be created are created. The timers are not persistent, so they fire on every instance of a cluster, which is
 * harmless: the creation is idempotent. Only when {@code senders.sns.event-topic-arn} is configured.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class ConfigurationSetJobs {

    private static final Logger LOG = Logger.getLogger(ConfigurationSetJobs.class.getName());
    static final List<Duration> RETRIES = List.of(Duration.ofSeconds(10), Duration.ofMinutes(1),
            Duration.ofMinutes(5));
    private static final String REPAIR = "senders-configuration-set-repair";

    /** A retry's timer info. */
    record Retry(String organizationId, int attempt) implements Serializable {
    }

    @Resource
    TimerService timers;

    @Inject
    ConfigurationSetProvisioning provisioning;

    @Inject
    SnsSettings settings;

    @PostConstruct
    void schedule() {
        if (settings.eventTopicArn().isPresent()) {
            timers.createCalendarTimer(new ScheduleExpression().hour("*").minute("23").second("0"),
                    new TimerConfig(REPAIR, false));
        }
    }

    /** Provisions the organization's configuration set in the background, retrying a failure. */
    @Asynchronous
    public void provision(String organizationId) {
        attempt(organizationId, 0);
    }

    private void attempt(String organizationId, int attempt) {
        try {
            provisioning.ensure(organizationId);
            provisioning.done(organizationId);
        } catch (RuntimeException e) {
            if (attempt < RETRIES.size()) {
                LOG.log(Level.WARNING, "Senders: configuration set of " + organizationId + " not created yet ("
                        + e.getMessage() + "); trying again in " + RETRIES.get(attempt));
                timers.createSingleActionTimer(RETRIES.get(attempt).toMillis(),
                        new TimerConfig(new Retry(organizationId, attempt + 1), false));
            } else {
                provisioning.done(organizationId);
                LOG.log(Level.WARNING, "Senders: configuration set of " + organizationId + " could not be created;"
                        + " the hourly repair will try again", e);
            }
        }
    }

    @Timeout
    void timeout(Timer timer) {
        if (timer.getInfo() instanceof Retry retry) {
            attempt(retry.organizationId(), retry.attempt());
            return;
        }
        try {
            int repaired = provisioning.repair();
            if (repaired > 0) {
                LOG.info("Senders: " + repaired + " configuration set(s) created by the repair run");
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Senders: configuration set repair failed; the next hour tries again", e);
        }
    }
}
