package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.api.tenancy.Tenant;
import dev.senders.infrastructure.ratelimit.SendRateLimiter;
import dev.senders.infrastructure.sending.ResendSettings;
import dev.senders.infrastructure.ses.SesGateway;
import dev.senders.infrastructure.ses.SesSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The sending account as one caller may see it. Every organization sees the sandbox state (which provider is a local
 * stand-in, whether the SES account is in the SES sandbox), the limits that apply to it and its own usage; only
 * platform admins see the account-wide figures (SES quota, maximum rate, the whole account's 24-hour volume), which
 * tell about every organization's sending. The SES account is read at most once a minute (SES throttles these calls).
 */
@ApplicationScoped
public class AccountStatus {

    private static final Logger LOG = Logger.getLogger(AccountStatus.class.getName());
    private static final Duration FRESH = Duration.ofMinutes(1);
    /** The window of the usage figures. */
    public static final Duration USAGE_WINDOW = Duration.ofHours(24);
    /** Recipients of one send: an {@link dev.senders.api.sending.EmailMessage} has exactly one. */
    public static final int RECIPIENTS_PER_MESSAGE = 1;

    @Inject
    SesGateway ses;

    @Inject
    ProviderRates rates;

    @Inject
    SendRateLimiter limiter;

    @Inject
    SesSettings sesSettings;

    @Inject
    ResendSettings resendSettings;

    @Inject
    OrganizationUsage usage;

    private volatile Snapshot last;

    /**
     * The SES account as SES last told it.
     *
     * @param available whether SES answered (false: the figures are unknown, -1)
     */
    public record Snapshot(boolean available, boolean sesSandbox, double max24HourSend, double maxSendRate,
                           double sentLast24Hours, Instant checkedAt) {
    }

    /** A provider's rate: the whole account's, and one organization's while another one sends too. */
    public record Rate(double perSecond, double perSecondWhileOthersSend) {
    }

    /** The limits every organization's sends are held to. */
    public record Limits(Rate ses, Rate resend, double organizationShare, int recipientsPerMessage) {
    }

    /** The account-wide SES figures (platform admins only). */
    public record AccountWide(double max24HourSend, double maxSendRate, double sentLast24Hours) {
    }

    /**
     * What the caller sees.
     *
     * @param sesLocal    SES is a local stand-in on this machine (an endpoint on a loopback host)
     * @param resendLocal Resend is a local stand-in on this machine (a base URL on a loopback host)
     * @param sent        the caller's organization's messages sent in the last {@link #USAGE_WINDOW}, per provider
     * @param accountWide the account-wide figures, present for platform admins only
     */
    public record View(boolean sesLocal, boolean resendLocal, boolean sesAvailable, boolean sesSandbox,
                       Instant checkedAt, Limits limits, Map<ProviderName, Long> sent, Instant usageSince,
                       Optional<AccountWide> accountWide) {
    }

    /** The account as {@code tenant} may see it. */
    public View forCaller(Tenant tenant) {
        Snapshot s = current();
        double share = limiter.organizationShare();
        double sesRate = rates.perSecond(ProviderName.SES);
        double resendRate = rates.perSecond(ProviderName.RESEND);
        Limits limits = new Limits(new Rate(sesRate, sesRate * share), new Rate(resendRate, resendRate * share), share,
                RECIPIENTS_PER_MESSAGE);
        Instant since = Instant.now().minus(USAGE_WINDOW);
        Optional<AccountWide> wide = tenant.platformAdmin()
                ? Optional.of(new AccountWide(s.max24HourSend(), s.maxSendRate(), s.sentLast24Hours()))
                : Optional.empty();
        return new View(sesSettings.local(), resendSettings.local(), s.available(), s.sesSandbox(), s.checkedAt(),
                limits, usage.sent(tenant.organizationId(), USAGE_WINDOW), since, wide);
    }

    /** The SES account, read again when the last reading is over a minute old. */
    public Snapshot current() {
        Snapshot snapshot = last;
        if (snapshot == null || snapshot.checkedAt().plus(FRESH).isBefore(Instant.now())) {
            snapshot = read();
            last = snapshot;
        }
        return snapshot;
    }

    private Snapshot read() {
        try {
            SesGateway.SendQuota quota = ses.getSendQuota();
            boolean sandbox = ses.isInSandbox();
            return new Snapshot(true, sandbox, quota.max24HourSend(), quota.maxSendRate(), quota.sentLast24Hours(),
                    Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not read the SES account status", e);
            return new Snapshot(false, false, -1, -1, -1, Instant.now());
        }
    }
}
