package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;

import java.time.Instant;
import java.util.List;

/**
 * An organization's reputation as the module counts it ({@link OrganizationReputation#of}): its state, what caused it,
 * and each provider's rates over the window.
 *
 * @param organizationId the organization
 * @param state          ok, warning or paused
 * @param stateSince     when it entered that state (null: never evaluated, ok)
 * @param cause          the rate that put it there (null when ok)
 * @param windowStart    the start of the window the figures count (the rolling window, or the last resume if later)
 * @param countedAt      the end of the window: when the figures were read
 * @param countingSince  the last resume by a platform admin (nothing before it counts), or null
 * @param minSends       the minimum volume per provider below which the rates decide nothing
 * @param thresholds     the warning and pause thresholds
 * @param providers      each provider's figures (SES, then Resend)
 * @param evaluatedAt    when the state was last evaluated (null: never)
 */
public record Reputation(String organizationId, ReputationState state, Instant stateSince, Cause cause,
                         Instant windowStart, Instant countedAt, Instant countingSince, long minSends,
                         Thresholds thresholds, List<ProviderRates> providers, Instant evaluatedAt) {

    /**
     * What put the organization in its state: a provider's rate, its value when it did (a fraction) and the threshold
     * it reached.
     */
    public record Cause(ProviderName provider, RateKind rate, double value, double threshold) {
    }

    public ProviderRates of(ProviderName provider) {
        return providers.stream().filter(p -> p.provider() == provider).findFirst().orElseThrow();
    }

    /** Whether every provider's complaint rate is under {@code limit} (a fraction; 0.003 = 0.3%) where it counts. */
    public boolean complaintRateUnder(double limit) {
        return providers.stream().noneMatch(p -> p.minimumMet() && p.complaintRate() >= limit);
    }
}
