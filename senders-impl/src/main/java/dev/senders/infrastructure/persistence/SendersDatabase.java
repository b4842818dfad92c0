package dev.senders.infrastructure.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;

import javax.sql.DataSource;

/**
 * The module's database: the data source (every attribute from MicroProfile Config, so environment variables such as
 * {@code SENDERS_DB_URL} override it) and the Flyway migrations ({@link SchemaMigration}), applied at deployment.
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

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    /** Also for JPA providers other than EclipseLink, where {@link MigrateBeforeLogin} does not run. */
    @PostConstruct
    void migrate() {
        SchemaMigration.migrateOnce(dataSource);
    }
}
