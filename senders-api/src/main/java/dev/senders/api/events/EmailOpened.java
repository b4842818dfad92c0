package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: the recipient opened an email the module sent through Amazon SES (SES open tracking, through the
 * organization's configuration set). Fired inside the recording transaction: observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}. Each open is an event; a host counting unique opens
 * groups them by {@code messageId}.
 *
 * @param organizationId the organization that sent the message
 * @param campaignId     the host's campaign of the message, or null
 * @param messageId      the SES message id
 * @param recipient      the recipient, lower-cased
 * @param occurredAt     when it was opened, as SES reports it
 */
public record EmailOpened(String organizationId, String campaignId, String messageId, String recipient,
                          Instant occurredAt) {
}
