package dev.senders.application.reputation;

import dev.senders.api.events.EmailBounced;
import dev.senders.api.events.EmailComplained;
import dev.senders.infrastructure.logging.StructuredLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates an organization when a permanent bounce or a complaint of its mail has been recorded (the module's own
 * {@link EmailBounced} and {@link EmailComplained}, from either provider's webhook, once committed), in the background
 * so the webhook answers at once. Per instance, an organization waits for at most one evaluation: events that arrive
 * before it starts are counted by it, events that arrive while it runs get one more.
 */
@ApplicationScoped
public class ReputationTriggers {

    private static final StructuredLog EVENTS = StructuredLog.of(ReputationTriggers.class);

    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    @Inject
    ReputationJobs jobs;

    void bounced(@Observes(during = TransactionPhase.AFTER_SUCCESS) EmailBounced event) {
        if (event.permanent()) {
            soon(event.organizationId());
        }
    }

    void complained(@Observes(during = TransactionPhase.AFTER_SUCCESS) EmailComplained event) {
        soon(event.organizationId());
    }

    /** Asks for an evaluation of the organization, unless one is waiting already. */
    public void soon(String organizationId) {
        if (organizationId == null || !waiting.add(organizationId)) {
            return;
        }
        try {
            jobs.evaluateLater(organizationId);
        } catch (RuntimeException e) {
            waiting.remove(organizationId);
            EVENTS.warning("reputation.evaluation-not-queued").organization(organizationId)
                    .field("error", e.getClass().getName()).log();
        }
    }

    /** The evaluation of the organization starts: later events ask for another one. */
    void starting(String organizationId) {
        waiting.remove(organizationId);
    }
}
