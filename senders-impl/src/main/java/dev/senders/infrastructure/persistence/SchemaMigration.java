package dev.senders.infrastructure.persistence;

import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Applies the module's Flyway migrations once per JVM, before anything uses the schema.
 *
 * <p>A migration or connection failure must never leave a "ready" server answering 404 (Payara Micro logs a failed
 * deployment and carries on). So the failure is logged and, unless {@code senders.startup.exit-on-failure=false}
 * (for shared application servers, where the failed deployment is enough), the JVM exits with status 78.
 */
public final class SchemaMigration {

    public static final String HISTORY_TABLE = "senders_schema_history";
    public static final String LOCATION = "classpath:db/senders/migration";
    public static final int EXIT_STATUS = 78;

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
            LOG.log(Level.SEVERE, "Senders: the database could not be migrated; the module cannot start: "
                    + e.getMessage(), e);
            if (exitOnFailure()) {
                LOG.severe("Senders: stopping the server (senders.startup.exit-on-failure=true)");
                // Exit from another thread: the deploying thread holds locks that shutdown hooks need.
                Thread exit = new Thread(() -> System.exit(EXIT_STATUS), "senders-startup-failure");
                exit.start();
            }
            throw new IllegalStateException("Senders database migration failed: " + e.getMessage(), e);
        }
    }

    private static boolean exitOnFailure() {
        try {
            return ConfigProvider.getConfig(SchemaMigration.class.getClassLoader())
                    .getOptionalValue("senders.startup.exit-on-failure", Boolean.class).orElse(true);
        } catch (RuntimeException e) {
            return true;
        }
    }
}
