package dev.senders.application;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.error.SendersProblem;
import dev.senders.domain.model.DnsRecord;
import dev.senders.domain.model.DnsRecords;
import dev.senders.domain.model.Sender;
import dev.senders.domain.model.address.SenderAddressPolicy;
import dev.senders.infrastructure.ses.SesSettings;
import dev.senders.domain.model.SenderRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.List;

/** Reading senders, scoped to the caller's organization. */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class SenderQueries {

    public static final int MAX_PAGE_SIZE = 100;

    @Inject
    SenderRepository senders;

    @Inject
    SenderAddressPolicy addressPolicy;

    @Inject
    SesSettings sesSettings;

    /** The DMARC record recommended to every sender domain ({@code _dmarc.<domain>}). */
    @Inject
    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "senders.dmarc.record",
            defaultValue = DnsRecords.DEFAULT_DMARC_VALUE)
    String dmarcRecord;

    public PageOf<Sender> list(Tenant tenant, int page, int size) {
        if (page < 1) {
            throw SendersProblem.invalid("page", "must be 1 or more", "page must be 1 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw SendersProblem.invalid("size", "must be between 1 and " + MAX_PAGE_SIZE,
                    "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        String org = tenant.organizationId();
        return new PageOf<>(senders.page(org, (page - 1) * size, size), page, size, senders.count(org));
    }

    public Sender get(Tenant tenant, long id) {
        return senders.find(tenant.organizationId(), id).orElseThrow(() -> SendersProblem.notFound("Sender " + id));
    }

    /** The sender, unless it is deleted (then 409: restore it first). */
    public Sender getActive(Tenant tenant, long id) {
        Sender sender = get(tenant, id);
        if (sender.isDeleted()) {
            throw SendersProblem.conflict("sender-deleted", "This sender is deleted; restore it first");
        }
        return sender;
    }

    /** The organization's deleted senders that can still be restored. */
    public List<Sender> deleted(Tenant tenant) {
        return senders.deleted(tenant.organizationId());
    }

    /** The records the sender's domain needs, named relative to its zone (the registrable domain). */
    public List<DnsRecord> dnsRecords(Sender sender) {
        return dnsRecords(sender, sender.isOwnershipRequired());
    }

    /** The same, with or without the organization's ownership TXT record. */
    public List<DnsRecord> dnsRecords(Sender sender, boolean withOwnership) {
        return DnsRecords.of(sender, addressPolicy.registrableDomain(sender.getDomain()), sesSettings.dkimDomain(),
                sesSettings.region(), withOwnership, dmarcRecord);
    }
}
