package dev.senders.api.tenancy;

import java.util.Optional;

/**
 * How the module learns who is calling. The module ships a default implementation that reads the authenticated
 * principal through Jakarta Security: an MP-JWT {@code org_id} claim, or a principal implementing
 * {@link OrganizationPrincipal}. A host with another scheme provides its own implementation as a CDI
 * {@code @Alternative} with a {@code @Priority}.
 *
 * <p>Implementations must never read the organization from the request body, a query parameter or a header.
 */
public interface TenantResolver {

    /**
     * @return the current caller's tenant, or empty when the caller is not authenticated or belongs to no
     *         organization (the module then answers 401 or 403)
     */
    Optional<Tenant> currentTenant();
}
