package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: a recipient used the one-click unsubscribe link of an email the module sent (RFC 8058: a POST to the
 * link, by the mailbox provider or from the confirmation page), and is now suppressed for the organization that sent
 * it (not platform-wide). Fired once per recipient and organization: a second POST changes nothing and fires nothing.
 * Fired inside the recording transaction: observe it with {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)}.
 *
 * @param organizationId the organization whose email carried the link
 * @param recipient      the address that unsubscribed, normalized as on the suppression list (lower case, the domain
 *                       in A-labels)
 * @param listId         the campaign or list the link was made for ({@code EmailMessage.Unsubscribe#listId}), or null
 * @param occurredAt     when the module received the request
 */
public record RecipientUnsubscribed(String organizationId, String recipient, String listId, Instant occurredAt) {
}
