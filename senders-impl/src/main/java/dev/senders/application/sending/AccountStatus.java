package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SES account as operators and the page need it: whether it is in the SES sandbox (sending disabled, or the
 * sandbox quota of 200 a day), its quota and sending rate. Read at most once a minute (SES throttles these calls).
 */
@ApplicationScoped
public class AccountStatus {

    private static final Logger LOG = Logger.getLogger(AccountStatus.class.getName());
    private static final Duration FRESH = Duration.ofMinutes(1);

    @Inject
    SesGateway ses;

    @Inject
    ProviderRates rates;

    private volatile Snapshot last;

    /**
     * @param available whether SES answered (false: the figures are unknown)
     */
    public record Snapshot(boolean available, boolean sesSandbox, double max24HourSend, double maxSendRate,
                           double sentLast24Hours, double sesRateEnforced, double resendRateEnforced,
                           Instant checkedAt) {
    }

    public Snapshot current() {
        Snapshot snapshot = last;
        if (snapshot == null || snapshot.checkedAt().plus(FRESH).isBefore(Instant.now())) {
            snapshot = read();
            last = snapshot;
        }
        return snapshot;
    }

    private Snapshot read() {
        double resend = rates.perSecond(ProviderName.RESEND);
        try {
            SesGateway.SendQuota quota = ses.getSendQuota();
            boolean sandbox = ses.isInSandbox();
            return new Snapshot(true, sandbox, quota.max24HourSend(), quota.maxSendRate(), quota.sentLast24Hours(),
                    rates.perSecond(ProviderName.SES), resend, Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read the SES account status", e);
            return new Snapshot(false, false, -1, -1, -1, -1, resend, Instant.now());
        }
    }
}
