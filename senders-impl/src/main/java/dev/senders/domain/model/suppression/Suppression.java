package dev.senders.domain.model.suppression;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the suppression list: an address that must not be mailed, platform-wide or for one organization.
 *
 * <p><b>Scope.</b> A permanent bounce means the address does not exist (or refuses mail for good), whoever sends to
 * it, and every further send to it hurts the reputation of the SES account all organizations share: it is suppressed
 * <em>platform-wide</em> ({@code organizationId == null}). A complaint says the recipient did not want <em>this
 * sender's</em> mail: it is suppressed for the organization that sent only, and so is a recipient who used the
 * one-click unsubscribe link of that organization's mail. A transient bounce suppresses nothing.
 *
 * @param id                   the entry's id (null before it is stored)
 * @param organizationId       the organization the entry applies to, or null for platform-wide
 * @param email                the address, normalized ({@link SuppressedAddress})
 * @param type                 bounce, complaint or unsubscribed
 * @param reason               why, for people (bounce type and the receiving server's answer, the feedback type, or
 *                             the unsubscribe link)
 * @param campaignId           the campaign whose message caused it (for an unsubscribe: the link's list), or null
 * @param sourceOrganizationId the organization whose message caused it (for a platform-wide entry, another
 *                             organization's campaign is not shown to the rest)
 * @param sesMessageId         the SES message that caused it, or null (always for an unsubscribe)
 * @param createdAt            when it was added (null before it is stored)
 */
public record Suppression(Long id, String organizationId, String email, SuppressionType type, String reason,
                          String campaignId, String sourceOrganizationId, String sesMessageId, Instant createdAt) {

    public Suppression {
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(type, "type");
        if (organizationId != null && organizationId.isBlank()) {
            throw new IllegalArgumentException("organizationId must be null (platform-wide) or not blank");
        }
    }

    public boolean platformWide() {
        return organizationId == null;
    }

    /** A platform-wide entry for a permanent bounce. */
    public static Suppression bounce(String email, String reason, String campaignId, String sourceOrganizationId,
                                     String sesMessageId) {
        return new Suppression(null, null, email, SuppressionType.BOUNCE, reason, campaignId, sourceOrganizationId,
                sesMessageId, null);
    }

    /** An entry for the organization the recipient complained about. */
    public static Suppression complaint(String organizationId, String email, String reason, String campaignId,
                                        String sesMessageId) {
        return new Suppression(null, Objects.requireNonNull(organizationId, "organizationId"), email,
                SuppressionType.COMPLAINT, reason, campaignId, organizationId, sesMessageId, null);
    }

    /**
     * An entry for the organization whose one-click unsubscribe link the recipient used.
     *
     * @param listId the campaign or list the link was made for, or null
     */
    public static Suppression unsubscribed(String organizationId, String email, String listId) {
        return new Suppression(null, Objects.requireNonNull(organizationId, "organizationId"), email,
                SuppressionType.UNSUBSCRIBED, "Unsubscribed with the one-click link of an email", listId,
                organizationId, null, null);
    }
}
