package dev.senders.application;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.error.SendersProblem;
import dev.senders.application.sending.SendersChanged;
import dev.senders.domain.model.Sender;
import dev.senders.domain.model.SenderRepository;
import dev.senders.domain.model.address.SenderAddress;
import dev.senders.domain.model.address.SenderAddressPolicy;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Adding and removing an organization's senders, with their domains' SES identities.
 *
 * <p>Invariants hold under parallel requests and across instances: each change takes the organization's database
 * lock (and the domain's, around SES identity changes) for the length of its transaction; the unique constraint on
 * (organization, address) is the last line of defence.
 */
@ApplicationScoped
public class SenderOnboarding {

    private static final StructuredLog EVENTS = StructuredLog.of(SenderOnboarding.class);

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    SenderRepository senders;

    @Inject
    SenderAddressPolicy addressPolicy;

    @Inject
    SesGateway ses;

    @Inject
    SenderUsageChecks usageChecks;

    @Inject
    dev.senders.application.audit.AuditLog audit;

    @Inject
    Event<SendersChanged> changes;

    @Inject
    @ConfigProperty(name = "senders.pending-limit", defaultValue = "5")
    int pendingLimit;

    @Inject
    @ConfigProperty(name = "senders.deletion.restore-window", defaultValue = "P7D")
    java.time.Duration restoreWindow;

    @Inject
    DeletedSenderPurge purger;

    /** A new sender and whether its domain needed a fresh SES identity. */
    public record Added(Sender sender, SenderAddress address) {
    }

    @Transactional
    public Added add(Tenant tenant, String rawAddress) {
        SenderAddress address = addressPolicy.parse(rawAddress);
        String org = tenant.organizationId();
        senders.lockOrganization(org);

        // NEWS@acme.io and news@acme.io are one sender; the first spelling is kept
        Optional<Sender> existing = senders.findByEmail(org, address.emailAddress());
        if (existing.isPresent() && existing.get().isDeleted()) {
            throw SendersProblem.conflict("sender-exists", "Sender already exists: it was deleted and can be restored"
                    + " until " + restorableUntil(existing.get()).toLocalDate());
        }
        if (existing.isPresent()) {
            throw senderExists();
        }
        if (senders.countPending(org) >= pendingLimit) {
            throw SendersProblem.conflict("pending-limit", "At most " + pendingLimit
                    + " senders can wait for verification at once; verify or remove one first");
        }

        Sender sender = new Sender(org, address.emailAddress(), address.domain());
        List<Sender> sameDomain = senders.findByDomain(org, address.domain());
        if (!sameDomain.isEmpty()) {
            copyDomainState(sameDomain.get(0), sender);
        } else {
            senders.lockDomain(address.domain());
            sender.setVerificationToken(ses.verifyDomainIdentity(address.domain()));
            sender.setDkimTokens(ses.verifyDomainDkim(address.domain()));
            sender.setOwnershipToken(newOwnershipToken());
            // An SES identity is shared by the whole AWS account: when another organization holds this domain, a
            // parent or a subdomain, this organization must also prove ownership with its own TXT record.
            sender.setOwnershipRequired(senders.heldByAnotherOrganization(org, address.domain()));
        }
        try {
            senders.add(sender);
        } catch (SenderRepository.DuplicateAddress e) {
            // only if the organization's lock was bypassed: the database's unique index is the last line of defence
            throw senderExists();
        }
        audit.record(tenant, "sender.added", "sender", sender.getId(), address.emailAddress());
        changes.fire(new SendersChanged(org));
        return new Added(sender, address);
    }

    private static SendersProblem senderExists() {
        return SendersProblem.conflict("sender-exists", "Sender already exists", SenderAddressPolicy.FIELD);
    }

    /** A second sender on a domain the organization already has shares its tokens and its status. */
    private static void copyDomainState(Sender from, Sender to) {
        to.setVerificationToken(from.getVerificationToken());
        to.setDkimTokens(from.getDkimTokens());
        to.setVerificationStatus(from.getVerificationStatus());
        to.setDkimStatus(from.getDkimStatus());
        to.setLastVerifiedAt(from.getLastVerifiedAt());
        to.setVerificationError(from.getVerificationError());
        to.setConfigurationSetName(from.getConfigurationSetName());
        to.setOwnershipToken(from.getOwnershipToken());
        to.setOwnershipRequired(from.isOwnershipRequired());
        to.setOwnershipVerifiedAt(from.getOwnershipVerifiedAt());
    }

    /**
     * Deletes a sender: it is hidden and stops being used at once (sends fall back as if it were gone), and stays
     * restorable for {@code senders.deletion.restore-window} (P7D); then {@link #purgeDeleted} deletes it for good.
     * Refused (409) while the host says it is in use (an active campaign).
     */
    @Transactional
    public void remove(Tenant tenant, long id) {
        String org = tenant.organizationId();
        senders.lockOrganization(org);
        Sender sender = senders.find(org, id).filter(s -> !s.isDeleted())
                .orElseThrow(() -> SendersProblem.notFound("Sender " + id));
        Optional<String> use = usageChecks.activeUse(org, sender.getEmailAddress());
        if (use.isPresent()) {
            throw SendersProblem.conflict("sender-in-use", "This sender cannot be removed: " + use.get());
        }
        sender.markDeleted(OffsetDateTime.now(ZoneOffset.UTC));
        senders.entityManager().flush();
        audit.record(tenant, "sender.removed", "sender", id, sender.getEmailAddress() + " (restorable until "
                + restorableUntil(sender).toLocalDate() + ")");
        changes.fire(new SendersChanged(org));
    }

    /**
     * Brings back a sender deleted within the restore window (409 if it is not deleted, 410 after the window); it is
     * the default again if it was one and no other sender became the default since.
     */
    @Transactional
    public Sender restore(Tenant tenant, long id) {
        String org = tenant.organizationId();
        senders.lockOrganization(org);
        Sender sender = senders.find(org, id).orElseThrow(() -> SendersProblem.notFound("Sender " + id));
        if (!sender.isDeleted()) {
            throw SendersProblem.conflict("not-deleted", "This sender is not deleted");
        }
        if (restorableUntil(sender).isBefore(OffsetDateTime.now(ZoneOffset.UTC))) {
            throw new SendersProblem(410, "restore-window-over", "Gone", "This sender was deleted more than "
                    + restoreWindow.toDays() + " days ago and can no longer be restored");
        }
        boolean pending = sender.getVerificationStatus() == dev.senders.domain.model.VerificationStatus.PENDING
                || sender.getVerificationStatus() == dev.senders.domain.model.VerificationStatus.VERIFYING;
        if (pending && senders.countPending(org) >= pendingLimit) {
            throw SendersProblem.conflict("pending-limit", "At most " + pendingLimit
                    + " senders can wait for verification at once; verify or remove one first");
        }
        boolean wasDefault = sender.restore();
        senders.entityManager().flush();
        if (wasDefault && sender.isFullyVerified() && senders.findDefault(org).isEmpty()) {
            sender.setDefaultSender(true);
            senders.entityManager().flush();
        }
        audit.record(tenant, "sender.restored", "sender", id, sender.getEmailAddress());
        changes.fire(new SendersChanged(org));
        return sender;
    }

    /** Until when a deleted sender can be restored. */
    public OffsetDateTime restorableUntil(Sender sender) {
        return sender.getDeletedAt() == null ? null : sender.getDeletedAt().plus(restoreWindow);
    }

    /**
     * Deletes for good the senders deleted longer ago than the restore window (any organization), and each SES
     * identity no sender of any organization uses any more. Run by the background job.
     *
     * @return how many senders were deleted
     */
    public int purgeDeleted() {
        int purged = 0;
        for (Sender due : senders.deletedBefore(OffsetDateTime.now(ZoneOffset.UTC).minus(restoreWindow))) {
            if (purger.purge(due.getOrganizationId(), due.getId())) {
                purged++;
            }
        }
        return purged;
    }

    private static String newOwnershipToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
