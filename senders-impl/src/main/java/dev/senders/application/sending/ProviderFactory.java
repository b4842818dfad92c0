package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.EmailProviderFactory;
import dev.senders.api.sending.Provider;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.RateLimits;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.metrics.SendersMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Picks SES or Resend per organization and From address ({@link ProviderRouting}). The provider it returns re-checks
 * the route at every send, so a sender verified, removed or made default mid-campaign takes effect at once. It is
 * bound to its organization: a message of another organization is refused (FAILED, not retryable), not routed.
 */
@ApplicationScoped
public class ProviderFactory implements EmailProviderFactory {

    private static final StructuredLog EVENTS = StructuredLog.of(ProviderFactory.class);

    @Inject
    ProviderRouting routing;

    @Inject
    SendersMetrics metrics;

    @Inject
    @Provider(ProviderName.SES)
    SesProvider ses;

    @Inject
    @Provider(ProviderName.RESEND)
    ResendProvider resend;

    @Override
    public EmailProvider providerFor(String organizationId) {
        return providerFor(organizationId, routing.defaultSender(organizationId).orElse(null));
    }

    @Override
    public EmailProvider providerFor(String organizationId, String fromAddress) {
        return new Routed(organizationId, fromAddress);
    }

    @Override
    public boolean hasVerifiedDomain(String organizationId) {
        return routing.hasVerifiedDomain(organizationId);
    }

    /** The provider for one organization and From address, resolved at each send. */
    private final class Routed implements EmailProvider {
        private final String organizationId;
        private final String fromAddress;

        Routed(String organizationId, String fromAddress) {
            this.organizationId = organizationId;
            this.fromAddress = fromAddress;
        }

        @Override
        public SendResult send(EmailMessage message) {
            if (!organizationId.equals(message.organizationId())) {
                return refuseOtherOrganization(message);
            }
            EmailMessage m = fromAddress == null || message.from() != null ? message
                    : message.toBuilder().from(fromAddress).build();
            long started = System.nanoTime();
            ProviderRouting.Route route = routing.route(m.organizationId(), m.from());
            metrics.sendStage(route.provider().wire(), "routing", System.nanoTime() - started);
            if (route.provider() == ProviderName.SES) {
                return ses.send(m, route);
            }
            SendResult result = resend.send(m);
            return route.warning() == null ? result : result.withWarning(route.warning());
        }

        /**
         * A provider obtained for one organization never sends another organization's message (nor routes it by the
         * message's organization): a host bug must not make one tenant's mail go out as another's.
         */
        private SendResult refuseOtherOrganization(EmailMessage message) {
            EVENTS.warning("send.refused").organization(organizationId).field("campaign", message.campaignId())
                    .field("messageOrganization", message.organizationId())
                    .field("why", "the provider was obtained for another organization").log();
            return SendResult.failed(null, "This provider was obtained for organization " + organizationId
                    + " and does not send a message of another organization (" + message.organizationId()
                    + "); obtain one with providerFor(" + message.organizationId() + ", ...)", false, null);
        }

        @Override
        public ProviderName providerName() {
            return routing.route(organizationId, fromAddress == null ? "" : fromAddress).provider();
        }

        @Override
        public RateLimits rateLimits() {
            return providerName() == ProviderName.SES ? ses.rateLimits() : resend.rateLimits();
        }
    }
}
