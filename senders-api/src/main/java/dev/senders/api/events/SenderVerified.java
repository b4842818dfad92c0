package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: a sender became fully verified (domain verified, DKIM succeeded, ownership proven where required), so
 * the organization may now send from it through SES. Observe it with {@code @Observes SenderVerified}.
 */
public record SenderVerified(String organizationId, long senderId, String emailAddress, String domain,
                             Instant verifiedAt) {
}
