package dev.senders.host.it;

import dev.senders.infrastructure.persistence.SchemaMigration;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The module's own Flyway configuration, on an empty database and again on a migrated one. */
class MigrationIT {

    private String database;
    private PGSimpleDataSource fresh;

    @BeforeEach
    void createEmptyDatabase() throws SQLException {
        database = "senders_mig_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            s.execute("create database " + database);
        }
        fresh = TestEnvironment.dataSource(TestEnvironment.jdbcUrl().replaceFirst("/[^/?]+(\\?|$)", "/" + database + "$1"));
        fresh.setStringType("unspecified");
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            s.execute("drop database if exists " + database + " with (force)");
        }
    }

    @Test
    void migrationsApplyOnAnEmptyDatabaseAndAgainOnAMigratedOne() throws SQLException {
        MigrateResult first = SchemaMigration.flyway(fresh).migrate();
        assertThat(first.success).isTrue();
        assertThat(first.migrationsExecuted).isGreaterThanOrEqualTo(1);

        MigrateResult second = SchemaMigration.flyway(fresh).migrate();
        assertThat(second.success).isTrue();
        assertThat(second.migrationsExecuted).isZero();
        assertThat(second.targetSchemaVersion).isNull();

        try (Connection c = fresh.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select column_name from information_schema.columns"
                     + " where table_name = 'senders' order by column_name")) {
            var columns = new java.util.ArrayList<String>();
            while (rs.next()) {
                columns.add(rs.getString(1));
            }
            assertThat(columns).contains("id", "organization_id", "email_address", "domain", "verification_status",
                    "verification_token", "dkim_tokens", "dkim_status", "is_default", "last_verified_at",
                    "verification_error", "configuration_set_name", "created_at", "updated_at");
        }
        // rate-limit state is ephemeral: its table skips the WAL, so a send does not wait for a WAL flush for it
        try (Connection c = fresh.getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select relname, relpersistence from pg_class"
                     + " where relname in ('senders_rate_buckets', 'senders_rate_slots', 'senders_rate_activity',"
                     + " 'senders_sends') order by relname")) {
            var persistence = new java.util.LinkedHashMap<String, String>();
            while (rs.next()) {
                persistence.put(rs.getString(1), rs.getString(2));
            }
            // (V15: Bucket4j's buckets gave way to the rate slots)
            assertThat(persistence).containsOnlyKeys("senders_rate_slots", "senders_rate_activity", "senders_sends")
                    .containsEntry("senders_rate_slots", "u").containsEntry("senders_rate_activity", "u")
                    .containsEntry("senders_sends", "p");
        }
    }

    @Test
    void theDatabaseEnforcesOneDefaultPerOrganizationAndUniqueAddresses() throws SQLException {
        SchemaMigration.flyway(fresh).migrate();
        try (Connection c = fresh.getConnection(); var s = c.createStatement()) {
            s.execute("insert into senders (organization_id, email_address, domain, verification_status, is_default)"
                    + " values ('o1', 'a@x.com', 'x.com', 'verified', true)");
            assertThatThrownBy(() -> s.execute("insert into senders (organization_id, email_address, domain,"
                    + " verification_status, is_default) values ('o1', 'b@x.com', 'x.com', 'verified', true)"))
                    .hasMessageContaining("senders_one_default_per_org");
            // another organization has its own default
            s.execute("insert into senders (organization_id, email_address, domain, verification_status, is_default)"
                    + " values ('o2', 'a@x.com', 'x.com', 'verified', true)");
            assertThatThrownBy(() -> s.execute("insert into senders (organization_id, email_address, domain)"
                    + " values ('o1', 'a@x.com', 'x.com')"))
                    .hasMessageContaining("senders_org_email_unique");
            assertThatThrownBy(() -> s.execute("insert into senders (organization_id, email_address, domain,"
                    + " is_default) values ('o3', 'c@x.com', 'x.com', true)"))
                    .hasMessageContaining("senders_default_verified_check");
            assertThatThrownBy(() -> s.execute("insert into senders (organization_id, email_address, domain,"
                    + " dkim_tokens) values ('o3', 'd@x.com', 'x.com', '[\"a\",\"b\"]')"))
                    .hasMessageContaining("senders_dkim_tokens_check");
        }
    }

    /**
     * Issue 16's V11 on senders verified before the ownership rule: one verified while no other organization proved
     * the domain keeps its status (and now has its proof); one verified beside an organization that proved it (the
     * squatting the rule closes) goes back to verifying, loses its default and must publish its own record.
     */
    @Test
    void sendersVerifiedBeforeTheOwnershipRuleKeepOrLoseTheirStatus() throws SQLException {
        org.flywaydb.core.Flyway all = SchemaMigration.flyway(fresh);
        org.flywaydb.core.Flyway.configure(SchemaMigration.class.getClassLoader())
                .configuration(all.getConfiguration()).target("10").load().migrate();
        try (Connection c = fresh.getConnection(); var s = c.createStatement()) {
            s.execute("insert into senders (organization_id, email_address, domain, verification_status, dkim_status,"
                    + " is_default, last_verified_at) values"
                    + " ('alone', 'a@alone.com', 'alone.com', 'verified', 'success', true, now()),"
                    + " ('squatter', 's@victim.com', 'victim.com', 'verified', 'success', true, now()),"
                    + " ('squatter', 's@shop.owned.com', 'shop.owned.com', 'verified', 'success', false, now()),"
                    + " ('first', 'f@shared.com', 'shared.com', 'verified', 'success', false, now())");
            s.execute("insert into senders (organization_id, email_address, domain, verification_status, dkim_status,"
                    + " ownership_required, ownership_verified_at) values"
                    + " ('owner', 'o@victim.com', 'victim.com', 'verified', 'success', true, now()),"
                    + " ('owner', 'o@owned.com', 'owned.com', 'verified', 'success', true, now())");
            // a latecomer that proved nothing yet does not cost the first one its status
            s.execute("insert into senders (organization_id, email_address, domain, ownership_required)"
                    + " values ('late', 'l@shared.com', 'shared.com', true)");
        }
        assertThat(all.migrate().success).isTrue();
        try (Connection c = fresh.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(
                "select email_address, verification_status, is_default, ownership_required,"
                        + " ownership_verified_at is not null from senders order by email_address")) {
            var rows = new java.util.ArrayList<String>();
            while (rs.next()) {
                rows.add(rs.getString(1) + " " + rs.getString(2) + (rs.getBoolean(3) ? " default" : "")
                        + (rs.getBoolean(4) ? " required" : "") + (rs.getBoolean(5) ? " proven" : ""));
            }
            assertThat(rows).containsExactly(
                    "a@alone.com verified default proven",
                    "f@shared.com verified proven",
                    "l@shared.com pending required",
                    "o@owned.com verified required proven",
                    "o@victim.com verified required proven",
                    "s@shop.owned.com verifying required",
                    "s@victim.com verifying required");
        }
    }

    @Test
    void anAddressInAnotherCaseIsTheSameSender() throws SQLException {
        SchemaMigration.flyway(fresh).migrate();
        try (Connection c = fresh.getConnection(); var s = c.createStatement()) {
            s.execute("insert into senders (organization_id, email_address, domain) values ('o1', 'NEWS@acme.io',"
                    + " 'acme.io')");
            assertThatThrownBy(() -> s.execute("insert into senders (organization_id, email_address, domain)"
                    + " values ('o1', 'news@acme.io', 'acme.io')"))
                    .hasMessageContaining("senders_org_email_ci_unique");
            // another organization has its own
            s.execute("insert into senders (organization_id, email_address, domain) values ('o2', 'news@acme.io',"
                    + " 'acme.io')");
            try (var rs = s.executeQuery("select email_address from senders where organization_id = 'o1'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).as("kept as first typed").isEqualTo("NEWS@acme.io");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    /** Senders an earlier version let in twice with different case survive the migration that makes case not count. */
    @Test
    void senderAddressesDifferingInCaseFromBeforeAreKept() throws SQLException {
        org.flywaydb.core.api.MigrationInfo caseMigration = java.util.Arrays.stream(
                        SchemaMigration.flyway(fresh).info().all())
                .filter(m -> m.getScript().contains("sender_address_case_insensitive")).findFirst().orElseThrow();
        org.flywaydb.core.api.MigrationInfo before = java.util.Arrays.stream(SchemaMigration.flyway(fresh).info().all())
                .filter(m -> m.getVersion() != null && m.getVersion().compareTo(caseMigration.getVersion()) < 0)
                .reduce((a, b) -> b).orElseThrow();
        org.flywaydb.core.Flyway.configure(SchemaMigration.class.getClassLoader())
                .configuration(SchemaMigration.flyway(fresh).getConfiguration())
                .target(before.getVersion()).load().migrate();
        try (Connection c = fresh.getConnection(); var s = c.createStatement()) {
            s.execute("insert into senders (organization_id, email_address, domain) values"
                    + " ('o1', 'news@acme.io', 'acme.io'), ('o1', 'NEWS@acme.io', 'acme.io'),"
                    + " ('o1', 'News@acme.io', 'acme.io'), ('o2', 'NEWS@acme.io', 'acme.io')");
        }

        MigrateResult result = SchemaMigration.flyway(fresh).migrate();
        assertThat(result.success).isTrue();

        try (Connection c = fresh.getConnection(); var s = c.createStatement()) {
            try (var rs = s.executeQuery("select organization_id, email_address, case_duplicate from senders"
                    + " order by id")) {
                var rows = new java.util.ArrayList<String>();
                while (rs.next()) {
                    rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getBoolean(3));
                }
                assertThat(rows).containsExactly("o1 news@acme.io false", "o1 NEWS@acme.io true",
                        "o1 News@acme.io true", "o2 NEWS@acme.io false");
            }
            assertThatThrownBy(() -> s.execute("insert into senders (organization_id, email_address, domain)"
                    + " values ('o1', 'nEWS@acme.io', 'acme.io')"))
                    .hasMessageContaining("senders_org_email_ci_unique");
        }
    }
}
