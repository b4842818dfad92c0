package dev.senders.interfaces.rest;

import dev.senders.api.tenancy.Tenant;
import dev.senders.api.tenancy.TenantResolver;
import dev.senders.application.error.SendersProblem;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

/** The caller's tenant for this request, from the authenticated principal (never from the request content). */
@RequestScoped
public class CurrentTenant {

    @Inject
    TenantResolver resolver;

    @Inject
    jakarta.security.enterprise.SecurityContext security;

    public Tenant require() {
        if (security.getCallerPrincipal() == null) {
            throw SendersProblem.unauthenticated();
        }
        return resolver.currentTenant().orElseThrow(SendersProblem::noOrganization);
    }

    public Tenant requireAdmin() {
        Tenant tenant = require();
        if (!tenant.platformAdmin()) {
            throw SendersProblem.forbidden("This endpoint is for platform administrators");
        }
        return tenant;
    }
}
