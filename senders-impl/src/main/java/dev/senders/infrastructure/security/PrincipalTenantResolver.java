package dev.senders.infrastructure.security;

import dev.senders.api.tenancy.OrganizationPrincipal;
import dev.senders.api.tenancy.Tenant;
import dev.senders.api.tenancy.TenantResolver;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.SecurityContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.Principal;
import java.util.Optional;

/**
 * The default tenant resolver: the organization comes from the authenticated principal only, either a principal
 * implementing {@link OrganizationPrincipal} or an MP-JWT carrying the organization claim
 * ({@code senders.security.organization-claim}, default {@code org_id}). The platform admin is the caller in the
 * role {@code senders.security.admin-role} (default {@code senders-admin}).
 */
@ApplicationScoped
public class PrincipalTenantResolver implements TenantResolver {

    @Inject
    SecurityContext securityContext;

    @Inject
    @ConfigProperty(name = "senders.security.organization-claim", defaultValue = "org_id")
    String organizationClaim;

    @Inject
    @ConfigProperty(name = "senders.security.admin-role", defaultValue = "senders-admin")
    String adminRole;

    @Override
    public Optional<Tenant> currentTenant() {
        Principal caller = securityContext.getCallerPrincipal();
        if (caller == null) {
            return Optional.empty();
        }
        return organizationOf(caller)
                .filter(org -> !org.isBlank())
                .map(org -> new Tenant(org, caller.getName(), securityContext.isCallerInRole(adminRole)));
    }

    private Optional<String> organizationOf(Principal caller) {
        if (caller instanceof OrganizationPrincipal member) {
            return Optional.ofNullable(member.getOrganizationId());
        }
        if (caller instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(organizationClaim);
            return Optional.ofNullable(claim).map(c -> c instanceof jakarta.json.JsonString s ? s.getString() : c.toString());
        }
        return securityContext.getPrincipalsByType(OrganizationPrincipal.class).stream()
                .map(OrganizationPrincipal::getOrganizationId)
                .findFirst();
    }
}
