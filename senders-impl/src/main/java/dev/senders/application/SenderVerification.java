package dev.senders.application;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.error.SendersProblem;
import dev.senders.application.sending.SendersChanged;
import dev.senders.domain.model.DnsRecord;
import dev.senders.domain.model.DnsRecords;
import dev.senders.domain.model.Sender;
import dev.senders.domain.model.SenderRepository;
import dev.senders.domain.model.VerificationStatus;
import dev.senders.infrastructure.dns.RecordCheck;
import dev.senders.infrastructure.dns.RecordStatus;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * Verification of a sender on demand, restarting an expired verification, and the default sender.
 */
@ApplicationScoped
public class SenderVerification {

    @Inject
    SenderRepository senders;

    @Inject
    SenderQueries queries;

    @Inject
    SesGateway ses;

    @Inject
    RecordChecks dns;

    @Inject
    VerifyCooldown cooldown;

    @Inject
    DomainStatusUpdater updater;

    @Inject
    MailFromSetup mailFrom;

    @Inject
    dev.senders.application.audit.AuditLog audit;

    @Inject
    Event<SendersChanged> changes;

    /** SES's raw answer for a domain. */
    public record SesAnswer(String domainStatus, String dkimStatus) {
    }

    /** A sender after a check, with each record's own status and SES's answer. */
    public record Checked(Sender sender, List<RecordCheck> records, SesAnswer ses, OffsetDateTime checkedAt) {
    }

    /**
     * Checks now: SES's statuses for the domain and every record in live DNS; updates every sender of the
     * organization on that domain. Inside the cooldown it answers 429 and calls nothing.
     */
    public Checked verifyNow(Tenant tenant, long id) {
        Sender sender = queries.getActive(tenant, id);
        long wait = cooldown.claim(tenant.organizationId(), id);
        if (wait > 0) {
            throw SendersProblem.cooldown(wait, "This sender was checked moments ago; try again in " + wait
                    + " seconds");
        }
        String domain = sender.getDomain();
        SesAnswer answer = sesAnswer(domain);
        boolean proofNeeded = updater.proofNeeded(sender);
        List<RecordCheck> checks = dns.check(queries.dnsRecords(sender,
                proofNeeded || sender.isOwnershipRequired()));
        boolean ownershipFound = proofNeeded && checks.stream().anyMatch(c -> isOwnership(c.record())
                && c.status() == RecordStatus.FOUND);
        updater.apply(tenant.organizationId(), domain, answer.domainStatus(), answer.dkimStatus(), ownershipFound);
        if (sender.getMailFromDomain() != null) {
            mailFrom.record(ses.getIdentityMailFromDomainStatus(List.of(domain)));
        }
        Sender updated = queries.get(tenant, id);
        return new Checked(updated, checks, answer, updated.getLastVerifiedAt());
    }

    /** The sender's records with their live DNS status, without touching SES or the stored status. */
    public List<RecordCheck> liveRecords(Sender sender) {
        return dns.check(queries.dnsRecords(sender));
    }

    SesAnswer sesAnswer(String domain) {
        Map<String, SesGateway.IdentityVerification> verification =
                ses.getIdentityVerificationAttributes(List.of(domain));
        Map<String, SesGateway.IdentityDkim> dkim = ses.getIdentityDkimAttributes(List.of(domain));
        SesGateway.IdentityVerification v = verification.get(domain);
        SesGateway.IdentityDkim d = dkim.get(domain);
        return new SesAnswer(v == null ? null : v.status(), d == null ? null : d.status());
    }

    /**
     * After SES gave up (72 hours without records) or the identity vanished: asks SES to verify the domain again
     * (VerifyDomainIdentity and VerifyDomainDkim) and puts every sender of the organization on it back to pending.
     */
    @Transactional
    public Sender restart(Tenant tenant, long id) {
        String org = tenant.organizationId();
        senders.lockOrganization(org);
        Sender sender = queries.getActive(tenant, id);
        if (sender.getVerificationStatus() != VerificationStatus.FAILED) {
            throw SendersProblem.conflict("not-failed", "Only a failed verification can be restarted");
        }
        senders.lockDomain(sender.getDomain());
        String token = ses.verifyDomainIdentity(sender.getDomain());
        List<String> dkimTokens = ses.verifyDomainDkim(sender.getDomain());
        for (Sender s : senders.findByDomain(org, sender.getDomain())) {
            s.setVerificationToken(token);
            s.setDkimTokens(dkimTokens);
            s.setVerificationStatus(VerificationStatus.PENDING);
            s.setDkimStatus(dev.senders.domain.model.DkimStatus.PENDING);
            s.setVerificationError(null);
            // the old proof of ownership lapsed with the identity: the next check asks for it again
            s.setOwnershipVerifiedAt(null);
        }
        audit.record(tenant, "sender.verification-restarted", "sender", id, sender.getDomain());
        changes.fire(new SendersChanged(org));
        return sender;
    }

    /** Makes a fully verified sender the organization's one default. */
    @Transactional
    public Sender setDefault(Tenant tenant, long id) {
        String org = tenant.organizationId();
        senders.lockOrganization(org);
        Sender sender = queries.getActive(tenant, id);
        if (!sender.isFullyVerified()) {
            throw SendersProblem.invalid("id", "not verified", "Sender must be verified before setting as default");
        }
        senders.findDefault(org).filter(current -> !current.getId().equals(sender.getId())).ifPresent(current -> {
            current.setDefaultSender(false);
            senders.entityManager().flush();
        });
        sender.setDefaultSender(true);
        senders.entityManager().flush();
        audit.record(tenant, "sender.default-set", "sender", id, sender.getEmailAddress());
        changes.fire(new SendersChanged(org));
        return sender;
    }

    static boolean isOwnership(DnsRecord record) {
        return record.name().startsWith(DnsRecords.OWNERSHIP_PREFIX);
    }
}
