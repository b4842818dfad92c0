package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;

import java.time.Instant;

/**
 * A permanent bounce or complaint behind an organization's rates, as the organization may see it: its own message's
 * recipient and campaign, never another organization's.
 *
 * @param rate       {@code bounce} or {@code complaint}
 * @param provider   the provider that reported it
 * @param recipient  the recipient of the organization's message
 * @param campaignId the host's campaign of the message, or null
 * @param detail     the bounce's diagnostic (or sub-type), or the complaint's feedback type, or null
 * @param occurredAt when it happened, as the provider reported it
 * @param receivedAt when the module received it
 */
public record ReputationEvent(RateKind rate, ProviderName provider, String recipient, String campaignId,
                              String detail, Instant occurredAt, Instant receivedAt) {
}
