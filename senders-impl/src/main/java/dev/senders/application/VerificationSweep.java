package dev.senders.application;

import dev.senders.domain.model.Sender;
import dev.senders.domain.model.SenderRepository;
import dev.senders.infrastructure.dns.RecordStatus;
import dev.senders.infrastructure.jobs.JobCoordination;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The background re-check of every domain still waiting for verification. It checks distinct domains, not senders,
 * at up to 100 identities per SES call (two calls per batch: verification and DKIM), paced to at most
 * {@code senders.verification.ses-calls-per-second} (default 1, SES's limit for these APIs), and updates every
 * sender of each domain. One run at a time across the cluster (a lease in the database).
 */
@ApplicationScoped
public class VerificationSweep {

    private static final StructuredLog EVENTS = StructuredLog.of(VerificationSweep.class);

    public static final String JOB = "verification-sweep";
    private static final Logger LOG = Logger.getLogger(VerificationSweep.class.getName());

    @Inject
    SenderRepository senders;

    @Inject
    SesGateway ses;

    @Inject
    RecordChecks dns;

    @Inject
    SenderQueries queries;

    @Inject
    DomainStatusUpdater updater;

    @Inject
    JobCoordination coordination;

    @Inject
    MailFromSetup mailFrom;

    @Inject
    SenderOnboarding onboarding;

    @Inject
    dev.senders.infrastructure.metrics.SendersMetrics metrics;

    @Inject
    @ConfigProperty(name = "senders.verification.ses-calls-per-second", defaultValue = "1")
    double callsPerSecond;

    /** What a run did; {@code skipped} names why it did nothing (null when it ran). */
    @jakarta.json.bind.annotation.JsonbNillable
    public record Summary(int checked, int changed, int failed, int sesCalls, long durationMillis, String skipped,
                          int purged) {
        static Summary skipped(String why) {
            return new Summary(0, 0, 0, 0, 0, why, 0);
        }
    }

    /** A scheduled run: once per period across the cluster, whichever instance comes first. */
    public Summary runForPeriod(Instant periodStart) {
        if (!coordination.claimPeriod(JOB, periodStart)) {
            return Summary.skipped("this period already ran on another instance");
        }
        Summary summary = runNow();
        coordination.recordPeriod(JOB, periodStart, summary.checked(), summary.changed(), summary.failed(),
                summary.sesCalls());
        return summary;
    }

    /** A run now (the admin trigger), unless another is in progress anywhere in the cluster. */
    public Summary runNow() {
        String holder = JobCoordination.newHolder();
        Duration lease = Duration.ofMinutes(10);
        if (!coordination.acquireLease(JOB, holder, lease)) {
            LOG.info("Senders verification sweep skipped: another run is in progress");
            return Summary.skipped("another run is in progress");
        }
        try {
            return sweep(holder, lease);
        } finally {
            coordination.releaseLease(JOB, holder);
        }
    }

    private Summary sweep(String holder, Duration lease) {
        long started = System.nanoTime();
        List<String> domains = senders.domainsAwaitingVerification();
        Pacer pacer = new Pacer(callsPerSecond);
        int changed = 0;
        int failed = 0;
        int calls = 0;
        for (List<String> batch : SesGateway.batches(domains)) {
            coordination.acquireLease(JOB, holder, lease);
            pacer.await();
            Map<String, SesGateway.IdentityVerification> verification = ses.getIdentityVerificationAttributes(batch);
            pacer.await();
            Map<String, SesGateway.IdentityDkim> dkim = ses.getIdentityDkimAttributes(batch);
            calls += 2;
            for (String domain : batch) {
                SesGateway.IdentityVerification v = verification.get(domain);
                SesGateway.IdentityDkim d = dkim.get(domain);
                Map<String, List<Sender>> byOrganization = senders.findAllOnDomain(domain).stream()
                        .collect(Collectors.groupingBy(Sender::getOrganizationId, LinkedHashMap::new,
                                Collectors.toList()));
                for (Map.Entry<String, List<Sender>> group : byOrganization.entrySet()) {
                    Sender first = group.getValue().get(0);
                    boolean ownershipFound = updater.proofNeeded(first) && ownershipPublished(first);
                    DomainStatusUpdater.Update update = updater.apply(group.getKey(), domain,
                            v == null ? null : v.status(), d == null ? null : d.status(), ownershipFound);
                    if (update.changed()) {
                        changed++;
                    }
                    if (update.outcome().status() == dev.senders.domain.model.VerificationStatus.FAILED) {
                        failed++;
                    }
                }
            }
        }
        // custom MAIL FROM domains SES has not confirmed yet: one more call per 100 of them
        for (List<String> batch : SesGateway.batches(senders.domainsAwaitingMailFrom())) {
            pacer.await();
            changed += mailFrom.record(ses.getIdentityMailFromDomainStatus(batch));
            calls++;
        }
        // senders deleted longer ago than the restore window go for good (and identities nobody uses)
        int purged = onboarding.purgeDeleted();
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        Summary summary = new Summary(domains.size(), changed, failed, calls, millis, null, purged);
        metrics.verificationRun(domains.size(), changed);
        EVENTS.info("verification.sweep").field("checked", summary.checked()).field("changed", changed)
                .field("failed", failed).field("sesCalls", calls).field("purged", purged)
                .field("durationMs", millis).log();
        return summary;
    }

    private boolean ownershipPublished(Sender sender) {
        return queries.dnsRecords(sender, true).stream()
                .filter(SenderVerification::isOwnership)
                .map(r -> dns.check(List.of(r)))
                .flatMap(List::stream)
                .anyMatch(c -> c.status() == RecordStatus.FOUND);
    }

    /** Spaces calls at least 1/rate apart. */
    static final class Pacer {
        private final long intervalNanos;
        private long next = System.nanoTime();

        Pacer(double perSecond) {
            this.intervalNanos = (long) (1_000_000_000L / perSecond);
        }

        void await() {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("verification sweep interrupted", e);
                }
            }
            next = Math.max(next, System.nanoTime()) + intervalNanos;
        }
    }
}
