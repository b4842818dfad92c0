package dev.senders.host.it;

import dev.senders.host.security.Passwords;

import java.sql.SQLException;
import java.util.UUID;

/** Users of fresh organizations, added to the host's user table, so that tests never share data by accident. */
public final class TestUsers {

    public static final String PASSWORD = "test-password-1";

    private TestUsers() {
    }

    public record User(String name, String organizationId, String password) {
    }

    public static String newOrganization() {
        return "org-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static User create(String organizationId, String... roles) {
        String name = "u-" + UUID.randomUUID().toString().substring(0, 12);
        try (var c = TestEnvironment.db().getConnection();
             var insert = c.prepareStatement(
                     "insert into host_users (username, password_hash, organization_id, roles) values (?,?,?,?)")) {
            insert.setString(1, name);
            insert.setString(2, Passwords.hash(PASSWORD));
            insert.setString(3, organizationId);
            insert.setString(4, String.join(",", roles));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new User(name, organizationId, PASSWORD);
    }

    public static User inNewOrganization() {
        return create(newOrganization(), "user");
    }
}
