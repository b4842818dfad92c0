package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;

/**
 * One provider's figures for an organization over the reputation window.
 *
 * @param provider         the provider
 * @param sends            messages it accepted for the organization ({@code senders_sends}, status {@code sent})
 * @param permanentBounces permanent bounces it reported (SES bounce type Permanent; Resend's bounce type Permanent)
 * @param complaints       complaints it reported
 * @param bounceRate       permanent bounces / sends (0 without sends)
 * @param complaintRate    complaints / sends (0 without sends)
 * @param minimumMet       whether the sends reach {@code senders.reputation.min-sends}: below it, the rates decide
 *                         nothing
 * @param level            what the rates mean against the thresholds (OK below the minimum volume)
 */
public record ProviderRates(ProviderName provider, long sends, long permanentBounces, long complaints,
                            double bounceRate, double complaintRate, boolean minimumMet, ReputationState level) {

    static ProviderRates of(ProviderName provider, long sends, long permanentBounces, long complaints,
                            long minSends, Thresholds thresholds) {
        double bounceRate = sends == 0 ? 0 : (double) permanentBounces / sends;
        double complaintRate = sends == 0 ? 0 : (double) complaints / sends;
        boolean minimumMet = sends >= minSends;
        return new ProviderRates(provider, sends, permanentBounces, complaints, bounceRate, complaintRate,
                minimumMet, minimumMet ? thresholds.levelOf(bounceRate, complaintRate) : ReputationState.OK);
    }

    double rate(RateKind kind) {
        return kind == RateKind.BOUNCE ? bounceRate : complaintRate;
    }
}
