package dev.senders.host.campaigns;

import java.time.Instant;
import java.util.Map;

/**
 * A campaign as the host's pages see it, with its items counted per status and per provider.
 *
 * @param counts    items per status (queued, sending, sent, failed, suppressed; every key present)
 * @param providers items per provider that handled them ("ses", "resend"), only the providers used
 * @param warned    items that carry a warning from the Senders module (e.g. sent from the platform's domain)
 */
public record Campaign(long id, String organizationId, String name, String status, String senderEmail,
                       String senderName, String subject, String warning, Instant createdAt, Instant startedAt,
                       Instant completedAt, int total, Map<String, Integer> counts, Map<String, Integer> providers,
                       int warned) {
}
