package dev.senders.application;

import dev.senders.api.events.SenderVerificationFailed;
import dev.senders.api.events.SenderVerified;
import dev.senders.application.sending.SendersChanged;
import dev.senders.domain.model.Sender;
import dev.senders.domain.model.SenderRepository;
import dev.senders.domain.model.VerificationOutcome;
import dev.senders.domain.model.VerificationStatus;
import dev.senders.infrastructure.logging.StructuredLog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Writes what a check found to every sender of one organization on one domain, together, and tells the host about
 * the senders that became verified or failed (CDI events, fired within the transaction: observe them with
 * {@code during = TransactionPhase.AFTER_SUCCESS} to act only once the change is committed).
 *
 * <p><b>Proof of ownership.</b> An SES identity belongs to the whole AWS account, so SES's "Success" proves that
 * someone published the domain's records, not who. An organization becomes verified on a domain only on proof it
 * made itself whenever another organization holds a sender on that domain, a parent of it or a subdomain of it at
 * the time of the check: its own TXT record {@code _senders-verification.<domain>} with its token. An organization
 * verified while it held the domain alone has made its proof too (SES found the records while nobody else could
 * have published them for it): {@code ownershipVerifiedAt} records either proof, and a latecomer claiming the domain
 * afterwards does not downgrade it. The decision is taken here, in the transaction that writes it and after the
 * organization's lock, for on-demand verification and the background sweep alike.
 */
@ApplicationScoped
public class DomainStatusUpdater {

    private static final StructuredLog EVENTS = StructuredLog.of(DomainStatusUpdater.class);

    @Inject
    SenderRepository senders;

    @Inject
    Event<SenderVerified> verifiedEvents;

    @Inject
    Event<SenderVerificationFailed> failedEvents;

    @Inject
    Event<SendersChanged> changes;

    /** @return the senders updated, the outcome written to them, and whether any status changed */
    public record Update(List<Sender> senders, VerificationOutcome outcome, boolean changed) {
    }

    /**
     * Whether this organization's proof of ownership is needed for a check of its sender now: it has made none yet
     * and another organization holds a sender on the domain, a parent or a subdomain. The caller then looks for the
     * ownership record in DNS (outside any transaction) and passes what it found to {@link #apply}, which decides
     * again under the lock.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean proofNeeded(Sender sender) {
        return sender.getOwnershipVerifiedAt() == null
                && senders.heldByAnotherOrganization(sender.getOrganizationId(), sender.getDomain());
    }

    /**
     * @param sesDomainStatus SES's VerificationStatus of the domain identity, or null when SES has none
     * @param sesDkimStatus   SES's DkimVerificationStatus, or null
     * @param ownershipFound  whether the organization's own ownership record was found in DNS by this check
     */
    @Transactional
    public Update apply(String organizationId, String domain, String sesDomainStatus, String sesDkimStatus,
                        boolean ownershipFound) {
        senders.lockOrganization(organizationId);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Sender> updated = senders.findByDomain(organizationId, domain);
        boolean shared = senders.heldByAnotherOrganization(organizationId, domain);
        boolean provenBefore = updated.stream().anyMatch(s -> s.getOwnershipVerifiedAt() != null);
        VerificationOutcome outcome = VerificationOutcome.of(domain, sesDomainStatus, sesDkimStatus,
                shared && !provenBefore && !ownershipFound);
        boolean changed = false;
        for (Sender sender : updated) {
            if (sender.getOwnershipVerifiedAt() == null && (ownershipFound
                    || (outcome.fullyVerified() && !shared))) {
                sender.setOwnershipVerifiedAt(now);
            }
            if (shared && !provenBefore) {
                sender.setOwnershipRequired(true);
            } else if (!shared && !provenBefore) {
                sender.setOwnershipRequired(false);
            }
            VerificationStatus before = sender.getVerificationStatus();
            if (sender.apply(outcome, now)) {
                changed = true;
                if (outcome.status() == VerificationStatus.VERIFIED && before != VerificationStatus.VERIFIED) {
                    EVENTS.info("sender.verified").organization(organizationId).sender(sender.getId())
                            .field("domain", domain).log();
                    verifiedEvents.fire(new SenderVerified(organizationId, sender.getId(), sender.getEmailAddress(),
                            domain, now.toInstant()));
                } else if (outcome.status() == VerificationStatus.FAILED && before != VerificationStatus.FAILED) {
                    EVENTS.info("sender.verification-failed").organization(organizationId).sender(sender.getId())
                            .field("domain", domain).field("reason", outcome.reason()).log();
                    failedEvents.fire(new SenderVerificationFailed(organizationId, sender.getId(),
                            sender.getEmailAddress(), domain, outcome.reason(), now.toInstant()));
                }
            }
        }
        senders.entityManager().flush();
        if (changed) {
            changes.fire(new SendersChanged(organizationId));
        }
        return new Update(updated, outcome, changed);
    }
}
