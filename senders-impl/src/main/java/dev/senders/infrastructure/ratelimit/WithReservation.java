package dev.senders.infrastructure.ratelimit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A statement of the caller's that goes out with a reservation, in its round trip and its transaction: it runs just
 * before the slots are taken, and when it fails no slot is taken. PostgreSQL runs the statements of one round trip
 * (one Sync) outside an explicit transaction as one implicit transaction, so the pair costs one commit, and the
 * bucket's row is still held for that one round trip only.
 *
 * @param sql    one statement, without a terminating semicolon
 * @param binder sets its parameters, from 1, on the combined statement
 */
public record WithReservation(String sql, Binder binder) {

    /** Sets the statement's parameters from index 1; returns how many it set. */
    @FunctionalInterface
    public interface Binder {
        int bind(Connection c, PreparedStatement s) throws SQLException;
    }
}
