package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.application.sending.VerifiedSenders.Snapshot;
import dev.senders.domain.model.address.SenderAddressPolicy;
import dev.senders.infrastructure.cluster.SharedGenerations;
import dev.senders.infrastructure.metrics.SendersMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.IDN;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which provider a message goes through, and as whom.
 * <ol>
 *     <li><b>SES</b> when the organization has a fully verified default sender and the From domain is one of its own
 *     fully verified domains (a subdomain counts only if the organization itself verified the parent).</li>
 *     <li><b>Resend fallback, with a warning</b>, when the From domain is not verified for this organization: the
 *     message goes out from the platform's address, and the original address becomes Reply-To.</li>
 *     <li><b>Resend</b> when the organization has no verified domain at all (same addresses, no warning).</li>
 * </ol>
 * <p>Each organization's verified senders are cached per instance under the organization's cluster-wide generation
 * ({@link SharedGenerations}). Every change to an organization's senders (added, removed, verified, failed, default
 * set, configuration set assigned) moves that generation once the change is committed, so the next send on any
 * instance sees it: the generation is read from the data grid at every send (no database query), and a copy taken
 * under an older one is read again. The generation is read before the database, so a copy that raced a change is
 * stale by construction, never kept. {@code senders.routing.cache-ttl} (PT5M) bounds a copy's life should an instance
 * die between its commit and moving the generation. Without a data grid the database is read at every send.
 */
@ApplicationScoped
public class ProviderRouting {

    @Inject
    VerifiedSenders verifiedSenders;

    @Inject
    SharedGenerations generations;

    @Inject
    SendersMetrics metrics;

    @Inject
    @ConfigProperty(name = "senders.routing.cache-ttl", defaultValue = "PT5M")
    Duration cacheTtl;

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** Where a message goes. */
    public record Route(ProviderName provider, String verifiedDomain, String configurationSet, String warning) {
        public boolean fallback() {
            return warning != null;
        }
    }

    private record Cached(long generation, Snapshot snapshot, long loadedAtNanos) {
    }

    public Route route(String organizationId, String fromAddress) {
        Snapshot snapshot = snapshot(organizationId);
        String fromDomain = domainOf(fromAddress);
        if (snapshot.hasVerifiedDefault() && fromDomain != null) {
            Optional<String> match = snapshot.verifiedDomains().keySet().stream()
                    .filter(d -> SenderAddressPolicy.isSameOrSubdomain(fromDomain, d))
                    .max((a, b) -> Integer.compare(a.length(), b.length()));
            if (match.isPresent()) {
                return new Route(ProviderName.SES, match.get(), snapshot.verifiedDomains().get(match.get()), null);
            }
        }
        if (snapshot.verifiedDomains().isEmpty()) {
            return new Route(ProviderName.RESEND, null, null, null);
        }
        return new Route(ProviderName.RESEND, null, null, "The domain of " + fromAddress + " is not verified for"
                + " this organization" + (snapshot.hasVerifiedDefault() ? "" : " (or it has no verified default"
                + " sender)") + ": sent through the platform's address with " + fromAddress + " as Reply-To");
    }

    public boolean hasVerifiedDomain(String organizationId) {
        return !snapshot(organizationId).verifiedDomains().isEmpty();
    }

    /** The organization's verified default sender address, if any. */
    public Optional<String> defaultSender(String organizationId) {
        return Optional.ofNullable(snapshot(organizationId).defaultAddress());
    }

    /** Once a change to the organization's senders is committed (on a rollback nothing changed). */
    void changed(@Observes(during = TransactionPhase.AFTER_SUCCESS) SendersChanged change) {
        cache.remove(change.organizationId());
        generations.advance(change.organizationId());
    }

    private Snapshot snapshot(String organizationId) {
        OptionalLong generation = generations.current(organizationId);
        if (generation.isEmpty()) {
            metrics.routing("no-grid");
            return verifiedSenders.load(organizationId);
        }
        Cached cached = cache.get(organizationId);
        long now = System.nanoTime();
        if (cached != null && cached.generation() == generation.getAsLong()
                && now - cached.loadedAtNanos() < cacheTtl.toNanos()) {
            metrics.routing("hit");
            return cached.snapshot();
        }
        metrics.routing("miss");
        Snapshot fresh = verifiedSenders.load(organizationId);
        cache.put(organizationId, new Cached(generation.getAsLong(), fresh, now));
        return fresh;
    }

    static String domainOf(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        if (at < 0 || at == address.length() - 1) {
            return null;
        }
        try {
            return IDN.toASCII(address.substring(at + 1).trim(), IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
