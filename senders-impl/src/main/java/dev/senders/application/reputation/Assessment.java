package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;
import dev.senders.application.reputation.ReputationCounts.Figures;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an organization's figures mean: each provider's rates and level, the worst level of them, and the rate behind
 * it (the one furthest over its threshold).
 */
record Assessment(List<ProviderRates> providers, ReputationState level, Reputation.Cause cause) {

    static Assessment of(Map<ProviderName, Figures> figures, long minSends, Thresholds thresholds) {
        List<ProviderRates> providers = new ArrayList<>();
        ReputationState worst = ReputationState.OK;
        Reputation.Cause cause = null;
        double causeSeverity = 0;
        for (ProviderName provider : ProviderName.values()) {
            Figures f = figures.get(provider);
            ProviderRates rates = ProviderRates.of(provider, f.sends(), f.permanentBounces(), f.complaints(),
                    minSends, thresholds);
            providers.add(rates);
            if (rates.level() == ReputationState.OK) {
                continue;
            }
            for (RateKind kind : RateKind.values()) {
                double threshold = thresholds.threshold(kind, rates.level());
                double severity = rates.rate(kind) / threshold;
                if (severity >= 1 && (rates.level().worseThan(worst)
                        || (rates.level() == worst && severity > causeSeverity))) {
                    worst = rates.level();
                    cause = new Reputation.Cause(provider, kind, rates.rate(kind), threshold);
                    causeSeverity = severity;
                }
            }
        }
        return new Assessment(List.copyOf(providers), worst, cause);
    }
}
