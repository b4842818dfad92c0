package dev.senders.application.unsubscribe;

import dev.senders.api.events.RecipientUnsubscribed;
import dev.senders.domain.model.suppression.Suppression;
import dev.senders.domain.model.suppression.SuppressionRepository;
import dev.senders.domain.model.suppression.SuppressionType;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.metrics.SendersMetrics;
import dev.senders.infrastructure.unsubscribe.TokenCheck;
import dev.senders.infrastructure.unsubscribe.UnsubscribeLinks;
import dev.senders.infrastructure.unsubscribe.UnsubscribeToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import java.time.Instant;

/**
 * What the one-click unsubscribe links do when they come back (RFC 8058). The token is the only authority: it names
 * the organization and the recipient, signed by the module; nobody signs in.
 * <ul>
 *     <li>{@link #look}: what a link is, and whether its recipient is unsubscribed already; reads only (mail scanners
 *     follow links, so the page a GET shows changes nothing);</li>
 *     <li>{@link #unsubscribe}: suppresses the recipient for the organization ({@link SuppressionType#UNSUBSCRIBED};
 *     from the next send on the send path answers {@code SUPPRESSED}; other organizations still send) and fires
 *     {@link RecipientUnsubscribed}; idempotent: when the organization already has an entry for the address, nothing
 *     changes and nothing is fired, and the answer is the same.</li>
 * </ul>
 * A forged, altered, expired or malformed token changes nothing; the caller answers with its {@link TokenCheck}.
 */
@ApplicationScoped
public class Unsubscriptions {

    private static final StructuredLog EVENTS = StructuredLog.of(Unsubscriptions.class);

    @Inject
    UnsubscribeLinks links;

    @Inject
    SuppressionRepository suppressions;

    @Inject
    Event<RecipientUnsubscribed> unsubscribed;

    @Inject
    SendersMetrics metrics;

    /**
     * A link as checked now.
     *
     * @param check        what the token is
     * @param unsubscribed for a valid token: whether the organization already has a suppression of the recipient
     */
    public record Link(TokenCheck check, boolean unsubscribed) {
    }

    /** What the link is, and whether its recipient is unsubscribed already. Writes nothing. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Link look(String token) {
        TokenCheck check = links.check(token);
        if (!check.valid()) {
            return new Link(check, false);
        }
        UnsubscribeToken t = check.token();
        return new Link(check, suppressions.hasOrganizationEntry(t.organizationId(), t.recipient()));
    }

    /**
     * Suppresses the token's recipient for its organization, once. Nothing happens unless the token is
     * {@link TokenCheck.Outcome#VALID}.
     *
     * @return what the token is (the same answer for a first and a repeated valid request)
     */
    @Transactional
    public TokenCheck unsubscribe(String token) {
        TokenCheck check = links.check(token);
        if (!check.valid()) {
            return check;
        }
        UnsubscribeToken t = check.token();
        if (suppressions.add(Suppression.unsubscribed(t.organizationId(), t.recipient(), t.listId()))) {
            metrics.suppressed(SuppressionType.UNSUBSCRIBED.wire());
            EVENTS.info("suppression.added").organization(t.organizationId()).field("campaign", t.listId())
                    .field("scope", "organization").field("reason", "unsubscribed").field("recipient", t.recipient())
                    .log();
            unsubscribed.fire(new RecipientUnsubscribed(t.organizationId(), t.recipient(), t.listId(),
                    Instant.now()));
        }
        return check;
    }
}
