package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: an email the module sent through Amazon SES bounced for one recipient (from SES's event publishing or
 * identity notifications, received through the signed SNS webhook). Fired inside the transaction that records it:
 * observe it with {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to act only once it is committed (a
 * duplicate delivery of the same SNS message fires nothing).
 *
 * <p>A {@code permanent} bounce (SES bounce type {@code Permanent}: the address does not exist or refuses mail for
 * good) puts the recipient on the platform-wide suppression list; a transient or undetermined one is recorded only.
 *
 * @param organizationId the organization that sent the message (from the module's own send record)
 * @param campaignId     the host's campaign of the message, or null
 * @param messageId      the SES message id
 * @param recipient      the bounced address, lower-cased
 * @param bounceType     SES's bounce type: {@code Permanent}, {@code Transient} or {@code Undetermined}
 * @param bounceSubType  SES's bounce sub-type (e.g. {@code General}, {@code NoEmail}, {@code MailboxFull}), or null
 * @param diagnosticCode the receiving server's answer, when SES reports it, or null
 * @param permanent      whether the bounce is permanent (and the recipient therefore suppressed)
 * @param occurredAt     when the bounce happened, as SES reports it
 */
public record EmailBounced(String organizationId, String campaignId, String messageId, String recipient,
                           String bounceType, String bounceSubType, String diagnosticCode, boolean permanent,
                           Instant occurredAt) {
}
