package dev.senders.application.reputation;

import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many organizations are in each reputation state, cluster-wide, for the gauge {@code senders_organizations{state}}
 * (an organization counts once it had a bounce or complaint evaluated; "ok" counts those). Read from the database
 * after every change of state on this instance and by the periodic evaluation on every instance (every 15 minutes);
 * a metrics scrape reads the last figures only (no database call on the scrape's thread).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class OrganizationStates {

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    private final Map<ReputationState, AtomicLong> counts = new EnumMap<>(ReputationState.class);

    public OrganizationStates() {
        for (ReputationState state : ReputationState.values()) {
            counts.put(state, new AtomicLong());
        }
    }

    /** The last figure read. */
    public long count(ReputationState state) {
        return counts.get(state).get();
    }

    /** Reads the figures again (a failure keeps the last ones). */
    public void refresh() {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection())) {
            ReputationCounts.states(c).forEach((state, n) -> counts.get(state).set(n));
        } catch (SQLException e) {
            // keep the last reading
        }
    }
}
