package dev.senders.application.reputation;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.audit.AuditLog;
import dev.senders.application.error.SendersProblem;
import dev.senders.application.reputation.ReputationCounts.Row;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The transactions of the reputation guard, each under the organization's advisory lock (one at a time across the
 * cluster): an evaluation (fill the settled buckets, count, compare with the thresholds, record the state) and an
 * admin's resume. A change of state is audited in the same transaction ({@link AuditLog}: the guard itself is the
 * actor of an automatic change, {@value #GUARD}).
 */
@ApplicationScoped
public class ReputationRecords {

    /** The actor of automatic changes in the audit trail. */
    public static final String GUARD = "senders-reputation-guard";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    ReputationSettings settings;

    @Inject
    AuditLog audit;

    /** What a transaction did: the state before, and the reputation after. */
    record Outcome(ReputationState before, Reputation after) {
        boolean changed() {
            return before != after.state();
        }
    }

    @Transactional
    public Outcome evaluate(String organizationId) {
        // in this transaction: the same connection as the audit trail's statements
        try (Connection c = dataSource.getConnection()) {
            Instant now = ReputationCounts.now(c);
            ReputationCounts.lock(c, organizationId);
            Instant windowStart = OrganizationReputation.windowStart(now, settings);
            Row row = ReputationCounts.ensure(c, organizationId, windowStart);
            Instant countedUntil = ReputationCounts.fill(c, organizationId, row, now, windowStart);
            Assessment assessment = Assessment.of(ReputationCounts.figures(c, organizationId, windowStart,
                    row.countingSince(), countedUntil), settings.minSends(), settings.thresholds());

            ReputationState next;
            Reputation.Cause cause;
            if (row.state() == ReputationState.PAUSED || !settings.enabled()) {
                // a pause holds until an admin resumes; with the guard switched off nothing changes
                next = row.state();
                cause = OrganizationReputation.cause(row, settings.thresholds());
            } else {
                next = assessment.level();
                cause = assessment.cause();
            }
            boolean changed = next != row.state();
            ReputationCounts.write(c, organizationId, next, cause, changed, now);
            if (changed) {
                audit.record(new Tenant(organizationId, GUARD, false), "organization." + action(next),
                        "organization", organizationId, describe(cause, assessment));
            }
            return new Outcome(row.state(), OrganizationReputation.read(c, organizationId,
                    ReputationCounts.row(c, organizationId, false), now, settings));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not evaluate the reputation of " + organizationId, e);
        }
    }

    /**
     * A platform admin resumes the organization's sending: ok again, its figures counted afresh from now.
     *
     * @throws SendersProblem 409 {@code not-paused} when its sending is not paused
     */
    @Transactional
    public Outcome resume(Tenant admin, String organizationId, String reason) {
        try (Connection c = dataSource.getConnection()) {
            Instant now = ReputationCounts.now(c);
            ReputationCounts.lock(c, organizationId);
            Optional<Row> row = ReputationCounts.row(c, organizationId, true);
            if (row.isEmpty() || row.get().state() != ReputationState.PAUSED) {
                throw SendersProblem.conflict("not-paused", "The organization's sending is not paused");
            }
            ReputationCounts.resume(c, organizationId, now);
            audit.record(new Tenant(organizationId, admin.userName(), admin.platformAdmin()), "organization.resumed",
                    "organization", organizationId, reason);
            return new Outcome(row.get().state(), OrganizationReputation.read(c, organizationId,
                    ReputationCounts.row(c, organizationId, false), now, settings));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not resume " + organizationId, e);
        }
    }

    private static String action(ReputationState state) {
        return switch (state) {
            case OK -> "reputation-ok";
            case WARNING -> "reputation-warning";
            case PAUSED -> "paused";
        };
    }

    /** For people: "ses bounce rate 4.20% (pause at 4.00%) over 1000 sends". */
    static String describe(Reputation.Cause cause, Assessment assessment) {
        if (cause == null) {
            return "every rate under its warning threshold";
        }
        long sends = assessment.providers().stream().filter(p -> p.provider() == cause.provider())
                .mapToLong(ProviderRates::sends).sum();
        return String.format(Locale.ROOT, "%s %s rate %.2f%% (threshold %.2f%%) over %d sends",
                cause.provider().wire(), cause.rate().wire(), cause.value() * 100, cause.threshold() * 100, sends);
    }
}
