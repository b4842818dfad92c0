package dev.senders.api.events;

import java.time.Instant;

/**
 * CDI event: a platform administrator resumed an organization's paused sending (audited with the reason); its sends
 * go out again from the next one. Its rates count afresh from this moment. Fired once the resume is committed,
 * outside any transaction: observe it with {@code @Observes} (or {@code during = AFTER_SUCCESS}, called at once).
 *
 * @param organizationId the organization
 * @param resumedBy      the administrator's user name
 * @param reason         the reason the administrator gave
 * @param resumedAt      when the resume was recorded
 */
public record OrganizationSendingResumed(String organizationId, String resumedBy, String reason, Instant resumedAt) {
}
