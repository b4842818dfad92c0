package dev.senders.infrastructure.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The module's database: the data source (every attribute from MicroProfile Config, so environment variables such as
 * {@code SENDERS_DB_URL} override it) and the Flyway migrations, applied when the application deploys.
 *
 * <p>A migration or connection failure must never leave a "ready" server answering 404: the failure is logged and,
 * unless {@code senders.startup.exit-on-failure=false} (for shared application servers), the JVM exits.
 */
@DataSourceDefinition(
        name = SendersDatabase.JNDI_NAME,
        className = "${MPCONFIG=senders.db.datasource-class}",
        url = "${MPCONFIG=senders.db.url}",
        user = "${MPCONFIG=senders.db.user}",
        password = "${MPCONFIG=senders.db.password}",
        initialPoolSize = 2,
        minPoolSize = 2,
        maxPoolSize = 32,
        properties = {"stringType=unspecified"})
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SendersDatabase {

    public static final String JNDI_NAME = "java:app/jdbc/senders";
    public static final String HISTORY_TABLE = "senders_schema_history";
    public static final String LOCATION = "classpath:db/senders/migration";

    private static final Logger LOG = Logger.getLogger(SendersDatabase.class.getName());

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "senders.startup.exit-on-failure", defaultValue = "true")
    boolean exitOnFailure;

    @PostConstruct
    void migrate() {
        try {
            MigrateResult result = flyway(dataSource).migrate();
            LOG.info(() -> "Senders database schema is at version " + result.targetSchemaVersion
                    + " (" + result.migrationsExecuted + " migration(s) applied now)");
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "Senders: the database could not be migrated; the module cannot start", e);
            if (exitOnFailure) {
                // Exit from another thread: the deployment thread holds container locks that shutdown hooks need.
                Thread exit = new Thread(() -> System.exit(78), "senders-startup-failure");
                exit.setDaemon(false);
                exit.start();
            }
            throw new IllegalStateException("Senders database migration failed: " + e.getMessage(), e);
        }
    }

    /** The one Flyway configuration of the module; readiness checks compare against it too. */
    public static Flyway flyway(DataSource dataSource) {
        return Flyway.configure(SendersDatabase.class.getClassLoader())
                .dataSource(dataSource)
                .locations(LOCATION)
                .table(HISTORY_TABLE)
                // a host's own tables may already live in the schema: start our history at 0 beside them
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }
}
