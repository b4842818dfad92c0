package dev.senders.api.tenancy;

import java.security.Principal;

/**
 * A caller principal that knows its organization. A host's identity store can return one in its
 * {@code CredentialValidationResult}; the default {@link TenantResolver} then reads the organization from it.
 */
public interface OrganizationPrincipal extends Principal {

    /** @return the organization the caller belongs to */
    String getOrganizationId();
}
