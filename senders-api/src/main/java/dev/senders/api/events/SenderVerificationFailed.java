package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: verification of a sender failed (for example SES gave up after 72 hours without the DNS records); the
 * organization must restart verification. {@code reason} is the human explanation shown to the user.
 */
public record SenderVerificationFailed(String organizationId, long senderId, String emailAddress, String domain,
                                       String reason, Instant failedAt) {
}
