package dev.senders.api.events;

import dev.senders.api.sending.ProviderName;

import java.time.Instant;

/**
 * CDI event: the module paused an organization's sending, because its bounce or complaint rate through one provider,
 * over the reputation window and above the minimum volume, reached the pause threshold. From the next send on, on
 * every instance of a cluster, its messages come back {@code PAUSED} (no provider call) until a platform
 * administrator resumes it ({@link OrganizationSendingResumed}). Fired once the pause is committed, outside any
 * transaction: observe it with {@code @Observes} (or {@code during = AFTER_SUCCESS}, called at once).
 *
 * @param organizationId the paused organization
 * @param provider       the provider whose rate reached the threshold
 * @param rate           {@code bounce} (permanent bounces / sends) or {@code complaint} (complaints / sends)
 * @param value          that rate, as a fraction (0.05 = 5%)
 * @param threshold      the pause threshold it reached, as a fraction
 * @param sends          the sends it was counted over
 * @param pausedAt       when the pause was recorded
 */
public record OrganizationSendingPaused(String organizationId, ProviderName provider, String rate, double value,
                                        double threshold, long sends, Instant pausedAt) {
}
