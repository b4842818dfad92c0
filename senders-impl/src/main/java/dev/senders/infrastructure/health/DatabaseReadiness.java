package dev.senders.infrastructure.health;

import dev.senders.infrastructure.persistence.SchemaMigration;
import dev.senders.infrastructure.persistence.SendersDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.api.MigrationInfo;

import javax.sql.DataSource;

/** Ready when the database answers and every migration of the module is applied. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

    @Resource(lookup = SendersDatabase.JNDI_NAME)
    DataSource dataSource;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder check = HealthCheckResponse.named("senders-database");
        try (var connection = dataSource.getConnection()) {
            if (!connection.isValid(2)) {
                return check.down().withData("database", "not answering").build();
            }
        } catch (Exception e) {
            return check.down().withData("database", "unreachable").build();
        }
        try {
            var info = SchemaMigration.flyway(dataSource).info();
            MigrationInfo current = info.current();
            int pending = info.pending().length;
            check.withData("schemaVersion", current == null ? "none" : current.getVersion().getVersion())
                    .withData("pendingMigrations", pending);
            return (pending == 0 ? check.up() : check.down()).build();
        } catch (RuntimeException e) {
            return check.down().withData("migrations", "unreadable").build();
        }
    }
}
