package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: a recipient marked an email the module sent through Amazon SES as spam (a feedback-loop complaint).
 * The recipient is then suppressed for the organization that sent (not platform-wide). Fired inside the recording
 * transaction: observe it with {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}.
 *
 * @param organizationId the organization that sent the message
 * @param campaignId     the host's campaign of the message, or null
 * @param messageId      the SES message id
 * @param recipient      the complaining address, lower-cased
 * @param feedbackType   the complaint's feedback type as reported (e.g. {@code abuse}), or null
 * @param occurredAt     when the complaint was made, as SES reports it
 */
public record EmailComplained(String organizationId, String campaignId, String messageId, String recipient,
                              String feedbackType, Instant occurredAt) {
}
