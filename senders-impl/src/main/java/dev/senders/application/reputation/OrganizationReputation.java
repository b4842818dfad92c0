package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;
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
import java.util.List;
import java.util.Optional;

/**
 * An organization's reputation, read: its state (ok, warning, paused), the rate that caused it, and each provider's
 * sends, permanent bounces, complaints and rates over the rolling window ({@code senders.reputation.window}), with
 * whether the minimum volume ({@code senders.reputation.min-sends}) is met. Reading changes nothing; the state is the
 * one the last evaluation recorded ({@link ReputationGuard}). One organization's figures only, never another's.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class OrganizationReputation {

    /** The most events {@link #latestEvents} returns. */
    public static final int MAX_EVENTS = 50;

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    ReputationSettings settings;

    /** The organization's reputation now. */
    public Reputation of(String organizationId) {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection())) {
            Instant now = ReputationCounts.now(c);
            return read(c, organizationId, ReputationCounts.row(c, organizationId, false), now, settings);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the reputation of " + organizationId, e);
        }
    }

    /**
     * The latest permanent bounces and complaints behind the organization's figures (its own messages' only), newest
     * first.
     */
    public List<ReputationEvent> latestEvents(String organizationId, int limit) {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection())) {
            Instant now = ReputationCounts.now(c);
            Optional<Row> row = ReputationCounts.row(c, organizationId, false);
            Instant start = later(windowStart(now, settings), row.map(Row::countingSince).orElse(null));
            return ReputationCounts.latest(c, organizationId, start, Math.max(1, Math.min(limit, MAX_EVENTS)));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the reputation events of " + organizationId, e);
        }
    }

    /** The reputation from the organization's row (if any) and its figures, on {@code c}. */
    static Reputation read(Connection c, String organizationId, Optional<Row> row, Instant now,
                           ReputationSettings settings) throws SQLException {
        Instant windowStart = windowStart(now, settings);
        Instant countingSince = row.map(Row::countingSince).orElse(null);
        Assessment assessment = Assessment.of(ReputationCounts.figures(c, organizationId, windowStart, countingSince,
                row.map(Row::countedUntil).orElse(null)), settings.minSends(), settings.thresholds());
        ReputationState state = row.map(Row::state).orElse(ReputationState.OK);
        return new Reputation(organizationId, state, row.map(Row::stateSince).orElse(null),
                row.map(r -> cause(r, settings.thresholds())).orElse(null), later(windowStart, countingSince), now,
                countingSince, settings.minSends(), settings.thresholds(), assessment.providers(),
                row.map(Row::evaluatedAt).orElse(null));
    }

    /** The window's start: the bucket the window's length ago falls in. */
    static Instant windowStart(Instant now, ReputationSettings settings) {
        return ReputationCounts.bucketOf(now.minus(settings.window()));
    }

    static Reputation.Cause cause(Row row, Thresholds thresholds) {
        if (row.state() == ReputationState.OK || row.causeProvider() == null || row.causeRate() == null
                || row.causeValue() == null) {
            return null;
        }
        ProviderName provider = row.causeProvider();
        return new Reputation.Cause(provider, row.causeRate(), row.causeValue(),
                thresholds.threshold(row.causeRate(), row.state()));
    }

    static Instant later(Instant a, Instant b) {
        return b == null || a.isAfter(b) ? a : b;
    }
}
