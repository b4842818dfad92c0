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
 * Writes a verification outcome to every sender of one organization on one domain, together, and tells the host
 * about the senders that became verified or failed (CDI events, fired within the transaction: observe them
 * with {@code during = TransactionPhase.AFTER_SUCCESS} to act only once the change is committed).
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

    /** @return the senders updated, and whether any status changed */
    public record Update(List<Sender> senders, boolean changed) {
    }

    @Transactional
    public Update apply(String organizationId, String domain, VerificationOutcome outcome, boolean ownershipFound) {
        senders.lockOrganization(organizationId);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        boolean changed = false;
        List<Sender> updated = senders.findByDomain(organizationId, domain);
        for (Sender sender : updated) {
            if (ownershipFound && sender.getOwnershipVerifiedAt() == null) {
                sender.setOwnershipVerifiedAt(now);
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
        return new Update(updated, changed);
    }
}
