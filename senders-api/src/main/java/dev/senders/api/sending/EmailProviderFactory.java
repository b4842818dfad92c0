package dev.senders.api.sending;

/**
 * Picks the provider for an organization and From address. Inject it with {@code @Inject EmailProviderFactory}.
 * <ol>
 *     <li>SES when the organization has a fully verified default sender and the From domain is one of the
 *     organization's own fully verified domains (a subdomain counts only if the organization verified the parent).</li>
 *     <li>Otherwise Resend from the platform's default address, with the original address as Reply-To and a warning
 *     in the {@link SendResult} (never as an unverified domain).</li>
 * </ol>
 */
public interface EmailProviderFactory {

    /*
     * A provider obtained here is bound to its organization: it refuses a message whose organizationId is another
     * organization (FAILED, not retryable, no provider), rather than routing it by the message.
     */

    /** The provider for the organization's default sender. */
    EmailProvider providerFor(String organizationId);

    /**
     * The provider for this From address. The returned provider applies the fallback itself: sending a message
     * from an address the organization has not verified goes out through Resend from the platform address.
     */
    EmailProvider providerFor(String organizationId, String fromAddress);

    /** Whether the organization has at least one fully verified domain. */
    boolean hasVerifiedDomain(String organizationId);
}
