package dev.senders.application;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.error.SendersProblem;
import dev.senders.application.sending.SendersChanged;
import dev.senders.domain.model.DnsRecord;
import dev.senders.domain.model.Sender;
import dev.senders.domain.model.SenderRepository;
import dev.senders.domain.model.address.MailFromDomainPolicy;
import dev.senders.infrastructure.dns.RecordCheck;
import dev.senders.infrastructure.ses.SesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * A custom MAIL FROM domain (what useSend, Resend and Plunk offer): bounces come back to a subdomain of the
 * organization's own domain, so SPF aligns with the From domain. Only for a fully verified domain; the subdomain
 * defaults to {@code senders.mail-from.default-prefix} (mail) + the domain, and must not already carry a CNAME (a
 * name with a CNAME can have no MX). SES is told to fall back to its own MAIL FROM while the MX is missing
 * (BehaviorOnMXFailure=UseDefaultValue), so sending never stops.
 *
 * <p>The MAIL FROM is a setting of the SES identity, which every organization with a sender on the domain shares:
 * only an organization that proved it owns the domain ({@link Sender#mayChangeMailFrom()}) may change it, and the
 * change shows on every sender of the domain, read-only for the others. Audited in the organization that made it.
 */
@ApplicationScoped
public class MailFromSetup {

    @Inject
    SenderRepository senders;

    @Inject
    SenderQueries queries;

    @Inject
    SesGateway ses;

    @Inject
    RecordChecks dns;

    @Inject
    dev.senders.application.audit.AuditLog audit;

    @Inject
    Event<SendersChanged> changes;

    @Inject
    @ConfigProperty(name = "senders.mail-from.default-prefix", defaultValue = "mail")
    String defaultPrefix;

    @Transactional
    public Sender set(Tenant tenant, long id, String requested) {
        String org = tenant.organizationId();
        senders.lockOrganization(org);
        Sender sender = queries.getActive(tenant, id);
        if (!sender.isFullyVerified()) {
            throw SendersProblem.invalid("id", "not verified",
                    "A custom MAIL FROM domain needs a verified sender domain");
        }
        if (!sender.mayChangeMailFrom()) {
            throw new SendersProblem(403, "ownership-not-proven", "Forbidden", "Only an organization that proved it"
                    + " owns " + sender.getDomain() + " can change its MAIL FROM domain, which every organization"
                    + " using the domain shares", "id", "ownership not proven");
        }
        String domain = sender.getDomain();
        String mailFrom = MailFromDomainPolicy.parse(requested, domain, defaultPrefix);
        RecordCheck probe = dns.check(List.of(new DnsRecord("CNAME", mailFrom, mailFrom, domain, "-", true, "probe")))
                .get(0);
        // the checker lists CNAME targets as they are, and records of other types with their type in front
        probe.found().stream().filter(v -> !v.matches("^[A-Z0-9]+ .*")).findFirst().ifPresent(target -> {
            throw SendersProblem.invalid("mailFromDomain", "has a CNAME record", probe.record().name()
                    + " already has a CNAME record (to " + target + "); choose a name without one, as an MX record"
                    + " cannot live beside a CNAME");
        });
        senders.lockDomain(domain);
        ses.setIdentityMailFromDomain(domain, mailFrom);
        for (Sender s : senders.findAllOnDomain(domain)) {
            s.setMailFromDomain(mailFrom);
            s.setMailFromStatus("Pending");
        }
        audit.record(tenant, "sender.mail-from-set", "sender", id, mailFrom);
        senders.findAllOnDomain(domain).stream().map(Sender::getOrganizationId).distinct()
                .forEach(o -> changes.fire(new SendersChanged(o)));
        return sender;
    }

    /** Stores SES's MAIL FROM status for every sender on each of these domains (any organization). */
    @Transactional
    public int record(java.util.Map<String, String> statusByDomain) {
        int changed = 0;
        for (var entry : statusByDomain.entrySet()) {
            for (Sender s : senders.findAllOnDomain(entry.getKey())) {
                if (s.getMailFromDomain() != null && !entry.getValue().equals(s.getMailFromStatus())) {
                    s.setMailFromStatus(entry.getValue());
                    changed++;
                }
            }
        }
        return changed;
    }
}
