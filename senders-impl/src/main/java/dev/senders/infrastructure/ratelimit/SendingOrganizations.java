package dev.senders.infrastructure.ratelimit;

import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Which organizations are sending through a rate bucket, across the cluster: each instance writes a heartbeat for an
 * organization it sends for (table {@code senders_rate_activity}) and, in the same statement, counts the other
 * organizations seen within {@code senders.rate.activity-window} (PT5S). The answer is kept for
 * {@code senders.rate.activity-refresh} (PT1S) per bucket and organization, so a busy instance touches the table about
 * once a second per organization, not once a send.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.NOT_SUPPORTED)
public class SendingOrganizations {

    private static final Logger LOG = Logger.getLogger(SendingOrganizations.class.getName());

    private static final String BEAT_AND_COUNT = """
            with beat as (
                insert into senders_rate_activity (bucket, organization_id, seen_at) values (?, ?, now())
                on conflict (bucket, organization_id) do update set seen_at = excluded.seen_at
            )
            select count(*) from senders_rate_activity
             where bucket = ? and organization_id <> ? and seen_at > now() - make_interval(secs => ?)""";

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "senders.rate.activity-window", defaultValue = "PT5S")
    Duration window;

    @Inject
    @ConfigProperty(name = "senders.rate.activity-refresh", defaultValue = "PT1S")
    Duration refresh;

    private record Seen(boolean others, long at) {
    }

    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    /**
     * Whether another organization has sent through this bucket within the activity window, recording that this one
     * is sending. When the database cannot answer, the organization is treated as sharing (its cap applies).
     */
    public boolean othersSending(String bucket, String organizationId) {
        String key = bucket + '\n' + organizationId;
        long now = System.nanoTime();
        Seen last = seen.get(key);
        if (last != null && now - last.at() < refresh.toNanos()) {
            return last.others();
        }
        boolean others = beatAndCount(bucket, organizationId);
        seen.put(key, new Seen(others, now));
        return others;
    }

    private boolean beatAndCount(String bucket, String organizationId) {
        try (Connection c = SendersDatabase.autoCommitting(dataSource.getConnection());
             PreparedStatement s = c.prepareStatement(BEAT_AND_COUNT)) {
            s.setString(1, bucket);
            s.setString(2, organizationId);
            s.setString(3, bucket);
            s.setString(4, organizationId);
            s.setDouble(5, window.toMillis() / 1000.0);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        } catch (SQLException e) {
            LOG.log(Level.FINE, "Could not read which organizations are sending; applying the share", e);
            return true;
        }
    }
}
