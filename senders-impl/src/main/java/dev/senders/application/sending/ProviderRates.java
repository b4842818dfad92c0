package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The send rate each provider allows, after headroom: SES's comes from GetSendQuota's MaxSendRate (the whole AWS
 * account's), refreshed every {@code senders.rate.ses.refresh} (PT5M), times {@code senders.rate.ses.headroom}
 * (0.97), unless {@code senders.rate.ses.per-second} fixes it; Resend's from {@code senders.rate.resend.per-second}
 * (2, Resend's default team limit).
 */
@ApplicationScoped
public class ProviderRates {

    private static final Logger LOG = Logger.getLogger(ProviderRates.class.getName());

    @Inject
    Config config;

    @Inject
    SesGateway ses;

    private volatile double sesRate;
    private volatile Instant sesRateAt = Instant.EPOCH;

    public double perSecond(ProviderName provider) {
        return provider == ProviderName.SES ? ses() : config.getOptionalValue("senders.rate.resend.per-second",
                Double.class).orElse(2.0);
    }

    private double ses() {
        var fixed = config.getOptionalValue("senders.rate.ses.per-second", Double.class);
        if (fixed.isPresent()) {
            return fixed.get();
        }
        Duration refresh = Duration.parse(config.getOptionalValue("senders.rate.ses.refresh", String.class)
                .orElse("PT5M"));
        if (sesRate <= 0 || Instant.now().isAfter(sesRateAt.plus(refresh))) {
            refreshSes();
        }
        return sesRate;
    }

    private synchronized void refreshSes() {
        double headroom = config.getOptionalValue("senders.rate.ses.headroom", Double.class).orElse(0.97);
        try {
            double max = ses.getSendQuota().maxSendRate();
            sesRate = Math.max(0.1, max * headroom);
            sesRateAt = Instant.now();
            LOG.fine(() -> "SES send rate: " + sesRate + "/s (" + headroom + " of " + max + ")");
        } catch (RuntimeException e) {
            if (sesRate <= 0) {
                sesRate = 1.0 * headroom;
            }
            sesRateAt = Instant.now();
            LOG.log(Level.WARNING, "Could not read the SES send quota; keeping " + sesRate + "/s", e);
        }
    }
}
