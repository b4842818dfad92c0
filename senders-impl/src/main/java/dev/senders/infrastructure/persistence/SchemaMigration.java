package dev.senders.infrastructure.persistence;

import dev.senders.infrastructure.startup.StartupFailure;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.logging.Logger;

/**
 * Applies the module's Flyway migrations once per JVM, before anything uses the schema.
 *
 * <p>A migration or connection failure must never leave a "ready" server answering 404 (Payara Micro logs a failed
 * deployment and carries on). So the failure goes to {@link StartupFailure}: logged and, unless
 * {@code senders.startup.exit-on-failure=false}, the JVM exits with status 78.
 */
public final class SchemaMigration {

    public static final String HISTORY_TABLE = "senders_schema_history";
    public static final String LOCATION = "classpath:db/senders/migration";
    public static final int EXIT_STATUS = StartupFailure.EXIT_STATUS;

    private static final Logger LOG = Logger.getLogger(SchemaMigration.class.getName());
    private static volatile boolean migrated;

    private SchemaMigration() {
    }

    /** The one Flyway configuration of the module. */
    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // a host's own tables may already live in the schema: start our history at 0 beside them
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    public static synchronized void migrateOnce(DataSource dataSource) {
        if (migrated) {
            return;
        }
        try {
            MigrateResult result = flyway(dataSource).migrate();
            migrated = true;
            LOG.info(() -> "Senders database schema is current (" + result.migrationsExecuted
                    + " migration(s) applied now)");
        } catch (RuntimeException e) {
            throw StartupFailure.stop("Senders: the database could not be migrated; the module cannot start: "
                    + e.getMessage(), e);
        }
    }
}
