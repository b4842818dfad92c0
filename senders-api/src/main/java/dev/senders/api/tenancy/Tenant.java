package dev.senders.api.tenancy;

import java.util.Objects;

/**
 * The caller as the module sees it: the organization whose data it may touch, who it is, and whether it is a
 * platform administrator. Always derived from the authenticated principal, never from request content.
 *
 * @param organizationId the caller's organization; never blank
 * @param userName       the authenticated caller's name, for audit
 * @param platformAdmin  whether the caller may use the platform-wide admin endpoints
 */
public record Tenant(String organizationId, String userName, boolean platformAdmin) {

    public Tenant {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(userName, "userName");
        if (organizationId.isBlank()) {
            throw new IllegalArgumentException("organizationId must not be blank");
        }
    }
}
