package dev.senders.infrastructure.unsubscribe;

import java.time.LocalDate;
import java.util.Objects;

/**
 * What an unsubscribe link says, once its signature is proven: who unsubscribes (the recipient, normalized as on the
 * suppression list) from which organization's mail, about which list, and until when the link works.
 *
 * @param organizationId the organization whose email carried the link
 * @param recipient      the recipient, normalized ({@code SuppressedAddress})
 * @param listId         the host's campaign or list, or null
 * @param expiresOn      the last day (UTC) the link works
 */
public record UnsubscribeToken(String organizationId, String recipient, String listId, LocalDate expiresOn) {

    public UnsubscribeToken {
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(expiresOn, "expiresOn");
        if (organizationId.isBlank() || recipient.isBlank()) {
            throw new IllegalArgumentException("an unsubscribe token names an organization and a recipient");
        }
        if (listId != null && listId.isBlank()) {
            listId = null;
        }
    }

    /** Whether the link no longer works on {@code today} (UTC): it works through its last day. */
    public boolean expiredOn(LocalDate today) {
        return today.isAfter(expiresOn);
    }
}
