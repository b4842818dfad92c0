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
 * @param binder sets its parameters on the combined statement (after those of the statements before it)
 */
public record WithReservation(String sql, Binder binder) {

    /**
     * Both statements, {@code first} then {@code second}, in one round trip and transaction; either may be null (the
     * other alone, or null when both are).
     */
    public static WithReservation both(WithReservation first, WithReservation second) {
        if (first == null) {
            return second;
        }
        if (second == null) {
            return first;
        }
        return new WithReservation(first.sql() + ";\n" + second.sql(), (c, s, after) -> {
            int set = first.binder().bind(c, s, after);
            return set + second.binder().bind(c, s, after + set);
        });
    }

    /** Sets the statement's parameters, the first at index {@code after} + 1; returns how many it set. */
    @FunctionalInterface
    public interface Binder {
        int bind(Connection c, PreparedStatement s, int after) throws SQLException;
    }
}
