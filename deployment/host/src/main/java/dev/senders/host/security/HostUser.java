package dev.senders.host.security;

import dev.senders.api.tenancy.OrganizationPrincipal;
import jakarta.security.enterprise.CallerPrincipal;

/** A signed-in user of the host platform; the Senders module reads the organization from it. */
public class HostUser extends CallerPrincipal implements OrganizationPrincipal {

    private final String organizationId;

    public HostUser(String name, String organizationId) {
        super(name);
        this.organizationId = organizationId;
    }

    @Override
    public String getOrganizationId() {
        return organizationId;
    }
}
