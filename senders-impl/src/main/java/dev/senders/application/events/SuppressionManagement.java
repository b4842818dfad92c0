package dev.senders.application.events;

import dev.senders.api.tenancy.Tenant;
import dev.senders.application.PageOf;
import dev.senders.application.audit.AuditLog;
import dev.senders.application.error.SendersProblem;
import dev.senders.domain.model.suppression.SuppressedAddress;
import dev.senders.domain.model.suppression.Suppression;
import dev.senders.domain.model.suppression.SuppressionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.util.Locale;
import java.util.logging.Logger;

/**
 * The suppression list as an organization sees it: its own entries (complaints about its mail, recipients who used
 * its unsubscribe links), and a platform-wide
 * entry (a permanent bounce) only for an address it asks about exactly or has sent to, never another organization's
 * entries or recipients ({@link SuppressionRepository.Reader}); a platform admin sees every entry. Removing an entry ("unsuppress") is audited: who, of which
 * organization, when; a platform-wide entry may be removed by a platform
 * administrator only, since it protects every organization. Removals are recorded in the audit trail
 * ({@link AuditLog}, action {@code suppression.removed}) in the same transaction.
 */
@ApplicationScoped
@Transactional
public class SuppressionManagement {

    private static final Logger LOG = Logger.getLogger(SuppressionManagement.class.getName());
    public static final int MAX_PAGE_SIZE = 100;

    @Inject
    SuppressionRepository repository;

    @Inject
    AuditLog audit;

    /** One page, newest first; {@code search} (optional) matches part of the address, case-insensitively. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public PageOf<Suppression> list(Tenant tenant, int page, int size, String search) {
        if (page < 1) {
            throw SendersProblem.invalid("page", "must be 1 or more", "page must be 1 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw SendersProblem.invalid("size", "must be between 1 and " + MAX_PAGE_SIZE,
                    "size must be between 1 and " + MAX_PAGE_SIZE);
        }
        String q = search == null || search.isBlank() ? null : search.strip().toLowerCase(Locale.ROOT);
        if (q != null && q.length() > SuppressedAddress.MAX_LENGTH) {
            throw SendersProblem.invalid("q", "too long", "q must be at most " + SuppressedAddress.MAX_LENGTH
                    + " characters");
        }
        SuppressionRepository.Reader reader = reader(tenant, q);
        return new PageOf<>(repository.page(reader, q, (page - 1) * size, size), page, size,
                repository.count(reader, q));
    }

    /** A platform admin reads everything; an organization its own entries and what it asks about or sent to. */
    static SuppressionRepository.Reader reader(Tenant tenant, String search) {
        String exact = search == null ? null : SuppressedAddress.normalize(search).orElse(null);
        return new SuppressionRepository.Reader(tenant.organizationId(), exact, tenant.platformAdmin());
    }

    /** The entry, if the caller's organization may see it; otherwise 404. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Suppression get(Tenant tenant, long id) {
        return repository.findVisible(reader(tenant, null), id)
                .orElseThrow(() -> SendersProblem.notFound("Suppression " + id));
    }

    /** Removes the entry: 404 when the caller cannot see it, 403 for a platform-wide one unless a platform admin. */
    public Suppression unsuppress(Tenant tenant, long id) {
        Suppression entry = get(tenant, id);
        if (entry.platformWide() && !tenant.platformAdmin()) {
            throw SendersProblem.forbidden("Only a platform administrator can remove a platform-wide suppression");
        }
        if (!repository.remove(id)) {
            throw SendersProblem.notFound("Suppression " + id);
        }
        audit.record(tenant, "suppression.removed", "suppression", id, entry.email() + " ("
                + (entry.platformWide() ? "platform-wide" : "organization " + entry.organizationId()) + ", "
                + entry.type().wire() + ")");
        LOG.info(() -> "Senders: " + tenant.userName() + " of " + tenant.organizationId() + " removed the "
                + (entry.platformWide() ? "platform-wide" : "organization's") + " " + entry.type().wire()
                + " suppression " + id);
        return entry;
    }
}
