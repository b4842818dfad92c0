package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: Amazon SES delivered an email the module sent to the recipient's mail server. Fired inside the recording
 * transaction: observe it with {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}.
 *
 * @param organizationId the organization that sent the message
 * @param campaignId     the host's campaign of the message, or null
 * @param messageId      the SES message id
 * @param recipient      the recipient, lower-cased
 * @param occurredAt     when it was delivered, as SES reports it
 */
public record EmailDelivered(String organizationId, String campaignId, String messageId, String recipient,
                             Instant occurredAt) {
}
