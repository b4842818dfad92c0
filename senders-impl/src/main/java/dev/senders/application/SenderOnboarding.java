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

    /** A new sender and whether its domain needed a fresh SES identity. */
    public record Added(Sender sender, SenderAddress address) {
    }

    @Transactional
    public Added add(Tenant tenant, String rawAddress) {
        SenderAddress address = addressPolicy.parse(rawAddress);
        String org = tenant.organizationId();
        senders.lockOrganization(org);

        // NEWS@acme.io and news@acme.io are one sender; the first spelling is kept
        if (senders.findByEmail(org, address.emailAddress()).isPresent()) {
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

    @Transactional
    public void remove(Tenant tenant, long id) {
        String org = tenant.organizationId();
        senders.lockOrganization(org);
        Sender sender = senders.find(org, id).orElseThrow(() -> SendersProblem.notFound("Sender " + id));
        Optional<String> use = usageChecks.activeUse(org, sender.getEmailAddress());
        if (use.isPresent()) {
            throw SendersProblem.conflict("sender-in-use", "This sender cannot be removed: " + use.get());
        }
        String domain = sender.getDomain();
        senders.lockDomain(domain);
        senders.remove(sender);
        audit.record(tenant, "sender.removed", "sender", id, sender.getEmailAddress());
        changes.fire(new SendersChanged(org));
        if (senders.countOnDomain(domain) == 0) {
            // Last user of the identity, in any organization. A failure here rolls the removal back.
            ses.deleteIdentity(domain);
            EVENTS.info("ses.identity-deleted").organization(org).sender(id).field("domain", domain)
                    .field("why", "no sender of any organization uses it").log();
        }
    }

    private static String newOwnershipToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
