package dev.senders.application.reputation;

import dev.senders.api.events.OrganizationSendingPaused;
import dev.senders.api.events.OrganizationSendingResumed;
import dev.senders.api.tenancy.Tenant;
import dev.senders.application.error.SendersProblem;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.metrics.SendersMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reputation guard: evaluates an organization's rates against the thresholds when a permanent bounce or a
 * complaint arrives ({@link ReputationTriggers}) and periodically ({@link ReputationJobs}), and records its state.
 * <ul>
 *     <li><b>ok / warning</b> follow the rates (a warning clears when the rates fall back);</li>
 *     <li><b>paused</b> when a provider's bounce or complaint rate reaches its pause threshold above the minimum
 *     volume: from the next send, on every instance, the organization's messages come back {@code PAUSED} (the send
 *     path's claim statement reads {@code senders_reputation}); it holds until a platform admin resumes it
 *     ({@link #resume}, audited with the reason), after which the figures count afresh.</li>
 * </ul>
 * The host hears {@link OrganizationSendingPaused} and {@link OrganizationSendingResumed} once the change is committed.
 * Every change of state is audited and logged ({@code event=organization.paused organization=acme ...}).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class ReputationGuard {

    private static final StructuredLog EVENTS = StructuredLog.of(ReputationGuard.class);
    /** The longest reason a resume takes. */
    public static final int MAX_REASON = 1000;

    @Inject
    ReputationRecords records;

    @Inject
    SendersMetrics metrics;

    @Inject
    Event<OrganizationSendingPaused> paused;

    @Inject
    Event<OrganizationSendingResumed> resumed;

    @Inject
    OrganizationStates states;

    /**
     * Registered on first use, on an application thread: a registration at deployment (a startup bean's) did not reach
     * /metrics on Payara.
     */
    private final AtomicBoolean gauges = new AtomicBoolean();

    /** Evaluates the organization now (committed when it returns) and tells the host of a pause. */
    public Reputation evaluate(String organizationId) {
        registerGauges();
        ReputationRecords.Outcome outcome = records.evaluate(organizationId);
        Reputation after = outcome.after();
        if (outcome.changed()) {
            states.refresh();
            metrics.reputationTransition(after.state().wire());
            (after.state() == ReputationState.OK ? EVENTS.info("reputation.changed")
                    : EVENTS.warning("reputation.changed")).organization(organizationId)
                    .field("from", outcome.before().wire()).field("to", after.state().wire())
                    .field("provider", after.cause() == null ? null : after.cause().provider().wire())
                    .field("rate", after.cause() == null ? null : after.cause().rate().wire())
                    .field("value", after.cause() == null ? null : after.cause().value()).log();
            if (after.state() == ReputationState.PAUSED && after.cause() != null) {
                Reputation.Cause cause = after.cause();
                paused.fire(new OrganizationSendingPaused(organizationId, cause.provider(), cause.rate().wire(),
                        cause.value(), cause.threshold(), after.of(cause.provider()).sends(),
                        after.stateSince()));
            }
        }
        return after;
    }

    /** The gauge {@code senders_organizations{state}} of each state. */
    void registerGauges() {
        if (gauges.compareAndSet(false, true)) {
            states.refresh();
            for (ReputationState state : ReputationState.values()) {
                metrics.organizationsGauge(state.wire(), () -> states.count(state));
            }
        }
    }

    /**
     * A platform admin resumes the organization's sending, with a reason (audited).
     *
     * @throws SendersProblem 400 without a reason, 403 for a caller who is not a platform admin, 409 when the
     *                        organization's sending is not paused
     */
    public Reputation resume(Tenant admin, String organizationId, String reason) {
        if (!admin.platformAdmin()) {
            throw SendersProblem.forbidden("Only a platform administrator can resume an organization's sending");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty()) {
            throw SendersProblem.invalid("reason", "required", "A reason is required to resume sending");
        }
        if (why.length() > MAX_REASON) {
            throw SendersProblem.invalid("reason", "too-long", "The reason must be at most " + MAX_REASON
                    + " characters");
        }
        if (why.chars().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n' && ch != '\t')) {
            throw SendersProblem.invalid("reason", "control-character",
                    "The reason must not contain control characters");
        }
        registerGauges();
        ReputationRecords.Outcome outcome = records.resume(admin, organizationId, why);
        metrics.reputationTransition(outcome.after().state().wire());
        states.refresh();
        EVENTS.info("reputation.changed").organization(organizationId).field("from", outcome.before().wire())
                .field("to", outcome.after().state().wire()).field("actor", admin.userName()).log();
        resumed.fire(new OrganizationSendingResumed(organizationId, admin.userName(), why,
                outcome.after().stateSince()));
        return outcome.after();
    }
}
