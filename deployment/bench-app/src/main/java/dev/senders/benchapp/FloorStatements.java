package dev.senders.benchapp;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The floors' database work ({@link FloorSends}, {@link WebhookFloorStore}): one autocommitted statement on the module's
 * own data source and pool, and their tables made once.
 *
 * <p>Benchmark-only: this WAR is built only in the {@code bench} profile.
 */
final class FloorStatements {

    /** Binds a statement's parameters. */
    interface Binding {
        void bind(PreparedStatement s) throws SQLException;
    }

    private FloorStatements() {
    }

    /** Runs one autocommitted statement. */
    static void update(DataSource dataSource, String sql, Binding binding) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            binding.bind(s);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("floor statement failed", e);
        }
    }

    /** Makes a floor's table and its indexes, when they are not there yet. */
    static void create(DataSource dataSource, String... ddl) {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            for (String statement : ddl) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create the floor's table", e);
        }
    }
}
