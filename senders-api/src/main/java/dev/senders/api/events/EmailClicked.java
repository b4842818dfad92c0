package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: the recipient followed a link in an email the module sent through Amazon SES (SES click tracking,
 * through the organization's configuration set). Fired inside the recording transaction: observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}.
 *
 * @param organizationId the organization that sent the message
 * @param campaignId     the host's campaign of the message, or null
 * @param messageId      the SES message id
 * @param recipient      the recipient, lower-cased
 * @param link           the link that was followed, as SES reports it
 * @param occurredAt     when it was clicked, as SES reports it
 */
public record EmailClicked(String organizationId, String campaignId, String messageId, String recipient, String link,
                           Instant occurredAt) {
}
