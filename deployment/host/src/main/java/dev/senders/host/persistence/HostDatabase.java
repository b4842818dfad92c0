package dev.senders.host.persistence;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;

/**
 * The reference host's own tables (users, campaigns), migrated by its own Flyway history beside the module's.
 * A real host has its own database setup; this one reuses the module's connection settings.
 */
@DataSourceDefinition(
        name = HostDatabase.JNDI_NAME,
        // the default is here, not in microprofile-config.properties: Payara resolves these expressions while it
        // processes the annotations, before the application's own config file is visible (only system properties and
        // environment variables are)
        className = "${MPCONFIG=senders.db.datasource-class:org.postgresql.ds.PGSimpleDataSource}",
        url = "${MPCONFIG=senders.db.url}",
        user = "${MPCONFIG=senders.db.user}",
        password = "${MPCONFIG=senders.db.password}",
        minPoolSize = 1,
        maxPoolSize = 16,
        // as the module's (SendersDatabase): validated connections (each at most once every 2 s), so a database restart
        // is survived
        properties = {"fish.payara.is-connection-validation-required=true",
                "fish.payara.validate-atmost-once-period-in-seconds=2",
                "fish.payara.connection-validation-method=custom-validation",
                "fish.payara.validation-classname=org.glassfish.api.jdbc.validation.JDBC40ConnectionValidation",
                "fish.payara.fail-all-connections=true"})
// No @DependsOn("SendersDatabase"): both histories baseline an existing schema at version 0 (the host's tables and the
// module's are disjoint), so either may migrate first; and an unqualified @DependsOn names a bean of the same module
// only, which the module's singleton is not in an EAR (there it is "senders-impl.jar#SendersDatabase"; the EAR's
// application.xml starts its EJB module first anyway: docs/application-server.md).
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class HostDatabase {

    public static final String JNDI_NAME = "java:app/jdbc/host";

    @Resource(lookup = JNDI_NAME)
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        Flyway.configure(HostDatabase.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/host/migration")
                .table("host_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
    }
}
