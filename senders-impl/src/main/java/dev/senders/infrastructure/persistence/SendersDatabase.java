package dev.senders.infrastructure.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * The module's database: the data source (every attribute from MicroProfile Config, so environment variables such as
 * {@code SENDERS_DB_URL} override it) and the Flyway migrations ({@link SchemaMigration}), applied at deployment.
 * On Payara, pooled connections are validated ({@code Connection.isValid}) before use (each at most once every
 * 2 s), so the module recovers by itself once a restarted database accepts connections again.
 */
@DataSourceDefinition(
        name = SendersDatabase.JNDI_NAME,
        // the default is here, not in microprofile-config.properties: Payara resolves these expressions while it
        // processes the annotations, before the application's own config file is visible (only system properties and
        // environment variables are)
        className = "${MPCONFIG=senders.db.datasource-class:org.postgresql.ds.PGSimpleDataSource}",
        url = "${MPCONFIG=senders.db.url}",
        user = "${MPCONFIG=senders.db.user}",
        password = "${MPCONFIG=senders.db.password}",
        initialPoolSize = 2,
        minPoolSize = 2,
        maxPoolSize = 32,
        // Payara's pool validates a connection before handing it out and, when one is dead (the database restarted),
        // drops them all and reconnects: without this it hands out the closed connections forever (issue 9). At most
        // once every 2 s per connection: each validation is a round trip that PostgreSQL counts as a transaction, and
        // at a bulk send's rate checking every checkout was a fifth of the database's transactions (bench figure 15.5)
        properties = {"stringType=unspecified",
                "fish.payara.is-connection-validation-required=true",
                "fish.payara.validate-atmost-once-period-in-seconds=2",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.fail-all-connections=true"})
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SendersDatabase {

    public static final String JNDI_NAME = "java:app/jdbc/senders";

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    /**
     * The pooled connection in auto-commit mode, for a statement outside any transaction (a pooled connection may come
     * back from a user that turned auto-commit off and did not turn it back on).
     */
    public static Connection autoCommitting(Connection connection) throws SQLException {
        if (!connection.getAutoCommit()) {
            connection.setAutoCommit(true);
        }
        return connection;
    }

    /** Also for JPA providers other than EclipseLink, where {@link MigrateBeforeLogin} does not run. */
    @PostConstruct
    void migrate() {
        SchemaMigration.migrateOnce(dataSource);
    }
}
