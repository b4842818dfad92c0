package dev.senders.host.security;

import dev.senders.host.persistence.HostDatabase;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** The host's users, in its host_users table: name, password hash, organization and roles. */
@ApplicationScoped
public class HostIdentityStore implements IdentityStore {

    @Resource(lookup = HostDatabase.JNDI_NAME)
    DataSource dataSource;

    @Override
    public CredentialValidationResult validate(Credential credential) {
        if (!(credential instanceof UsernamePasswordCredential login)) {
            return CredentialValidationResult.NOT_VALIDATED_RESULT;
        }
        try (var c = dataSource.getConnection();
             var q = c.prepareStatement(
                     "select password_hash, organization_id, roles from host_users where username = ?")) {
            q.setString(1, login.getCaller());
            try (var rs = q.executeQuery()) {
                if (!rs.next() || !Passwords.matches(login.getPasswordAsString(), rs.getString(1))) {
                    return CredentialValidationResult.INVALID_RESULT;
                }
                Set<String> groups = new HashSet<>(Arrays.asList(rs.getString(3).split(",")));
                groups.removeIf(String::isBlank);
                return new CredentialValidationResult(new HostUser(login.getCaller(), rs.getString(2)), groups);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user lookup failed", e);
        }
    }
}
