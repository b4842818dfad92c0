package dev.senders.host.it.security;

import dev.senders.host.it.TestEnvironment;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The content of the module's tables (and the host's campaign tables), each as its row count and an MD5 of its rows
 * in order: two snapshots are equal exactly when no row was added, changed or removed. Left out: the tables of
 * background machinery that changes without any request (the rate-limit slots, the verification job's runs and
 * leases) and Flyway's history, and the two columns of {@code senders} that the configuration-set provisioning
 * writes on its own clock ({@code configuration_set_name} and with it {@code updated_at}: its retries come 10 s, 1 and
 * 5 minutes after a failure, and its repair at minute 23 of every hour; one CI run failed when the repair named the
 * set of an earlier test's organization during a hostile request).
 */
public record DbSnapshot(Map<String, String> tables) {

    private static final List<String> LEFT_OUT = List.of("senders_rate_slots", "senders_rate_activity", "senders_job_runs",
            "senders_job_leases", "senders_schema_history");
    private static final Map<String, String> ROW_OF = Map.of("senders",
            "(to_jsonb(t) - 'configuration_set_name' - 'updated_at')::text");
    private static final List<String> HOST_TABLES = List.of("campaigns", "campaign_items", "email_events",
            "host_sender_events");

    public static DbSnapshot take() {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (var rs = s.executeQuery("select table_name from information_schema.tables"
                    + " where table_schema = 'public' and table_type = 'BASE TABLE'")) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    if ((name.startsWith("senders") || HOST_TABLES.contains(name)) && !LEFT_OUT.contains(name)) {
                        names.add(name);
                    }
                }
            }
            Map<String, String> tables = new TreeMap<>();
            for (String name : names) {
                String row = ROW_OF.getOrDefault(name, "t::text");
                try (var rs = s.executeQuery("select count(*), coalesce(md5(string_agg(" + row + ", '|' order by "
                        + row + ")), '') from " + name + " t")) {
                    rs.next();
                    tables.put(name, rs.getLong(1) + ":" + rs.getString(2));
                }
            }
            return new DbSnapshot(tables);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until the tables stop changing (two snapshots 500 ms apart are equal), so that asynchronous work a setup
     * started (an organization's SES configuration set after its first verified domain, say) is not taken for the
     * effect of the next request.
     */
    public static DbSnapshot awaitQuiet() {
        DbSnapshot[] last = {take()};
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
                .pollInterval(java.time.Duration.ofMillis(500)).until(() -> {
                    DbSnapshot now = take();
                    boolean quiet = now.equals(last[0]);
                    last[0] = now;
                    return quiet;
                });
        return last[0];
    }

    /** The tables whose content differs from {@code other}'s. */
    public List<String> changedSince(DbSnapshot other) {
        List<String> changed = new ArrayList<>();
        tables.forEach((name, value) -> {
            if (!value.equals(other.tables.get(name))) {
                changed.add(name);
            }
        });
        return changed;
    }
}
