package dev.senders.infrastructure.ratelimit;

import dev.senders.api.sending.ProviderName;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The share of each provider's own limit the module uses: {@code senders.rate.ses.headroom} (0.97 of SES's
 * MaxSendRate) and {@code senders.rate.resend.headroom} (0.92 of Resend's requests a second). Below the limit, so that
 * requests reaching the provider a little unevenly (a late wake-up, the network) never put more than the limit in one
 * second. The enforced rate is the limit times this; the rate limiter also derives the limit back from it.
 */
@ApplicationScoped
public class RateHeadroom {

    private final double ses;
    private final double resend;

    /** For the container's proxy only. */
    protected RateHeadroom() {
        this(0.97, 0.92);
    }

    @Inject
    public RateHeadroom(@ConfigProperty(name = "senders.rate.ses.headroom", defaultValue = "0.97") double ses,
                        @ConfigProperty(name = "senders.rate.resend.headroom", defaultValue = "0.92") double resend) {
        this.ses = check("senders.rate.ses.headroom", ses);
        this.resend = check("senders.rate.resend.headroom", resend);
    }

    /** The share of {@code provider}'s limit the module uses. */
    public double of(ProviderName provider) {
        return provider == ProviderName.SES ? ses : resend;
    }

    private static double check(String key, double headroom) {
        if (!(headroom > 0 && headroom <= 1)) {
            throw new IllegalArgumentException(key + " must be above 0 and at most 1: " + headroom);
        }
        return headroom;
    }
}
