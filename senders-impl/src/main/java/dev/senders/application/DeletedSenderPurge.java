package dev.senders.application;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.audit.AuditLog;
import dev.senders.domain.model.Sender;
import dev.senders.domain.model.SenderRepository;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Deletes one deleted sender for good, in a transaction of its own (a failure leaves the others to the next run),
 * and its domain's SES identity when no sender of any organization, deleted or not, uses the domain any more.
 */
@ApplicationScoped
public class DeletedSenderPurge {

    private static final StructuredLog EVENTS = StructuredLog.of(DeletedSenderPurge.class);
    /** Who the audit names for the retention job's deletions. */
    static final String ACTOR = "senders-retention";

    @Inject
    SenderRepository senders;

    @Inject
    SesGateway ses;

    @Inject
    AuditLog audit;

    /** @return whether it was still there, deleted, to purge */
    @Transactional
    public boolean purge(String organizationId, long id) {
        senders.lockOrganization(organizationId);
        Sender sender = senders.find(organizationId, id).filter(Sender::isDeleted).orElse(null);
        if (sender == null) {
            return false; // restored meanwhile, or purged by another instance
        }
        String domain = sender.getDomain();
        senders.lockDomain(domain);
        senders.remove(sender);
        audit.record(new Tenant(organizationId, ACTOR, false), "sender.purged", "sender", id,
                sender.getEmailAddress());
        EVENTS.info("sender.purged").organization(organizationId).sender(id).field("domain", domain).log();
        if (senders.countOnDomain(domain) == 0) {
            // last user of the identity, in any organization; a failure here rolls the purge back (next run again)
            ses.deleteIdentity(domain);
            EVENTS.info("ses.identity-deleted").organization(organizationId).sender(id).field("domain", domain)
                    .field("why", "no sender of any organization uses it").log();
        }
        return true;
    }
}
