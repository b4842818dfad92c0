package dev.senders.domain.model.suppression;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of the suppression list: an address that must not be mailed, platform-wide or for one organization.
 *
 * <p><b>Scope.</b> A permanent bounce means the address does not exist (or refuses mail for good), whoever sends to
 * it, and every further send to it hurts the reputation of the SES account all organizations share: it is suppressed
 * <em>platform-wide</em> ({@code organizationId == null}). A complaint says the recipient did not want <em>this
 * sender's</em> mail: it is suppressed for the organization that sent only. A transient bounce suppresses nothing.
 *
 * @param id                   the entry's id (null before it is stored)
 * @param organizationId       the organization the entry applies to, or null for platform-wide
 * @param email                the address, normalized ({@link SuppressedAddress})
 * @param type                 bounce or complaint
 * @param reason               why, for people (bounce type and the receiving server's answer, or the feedback type)
 * @param campaignId           the campaign whose message caused it, or null
 * @param sourceOrganizationId the organization whose message caused it (for a platform-wide entry, another
 *                             organization's campaign is not shown to the rest)
 * @param sesMessageId         the SES message that caused it, or null
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
}
