package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.EmailProviderFactory;
import dev.senders.api.sending.Provider;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.RateLimits;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.logging.StructuredLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.senders.infrastructure.metrics.SendersMetrics;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Picks SES or Resend per organization and From address ({@link ProviderRouting}). The provider it returns re-checks
 * the route at every send, so a sender verified, removed or made default mid-campaign takes effect at once. It is
 * bound to its organization: a message of another organization is refused (FAILED, not retryable), not routed.
 * Single sends of one organization and From address made at the same time are sent as one batch
 * ({@code senders.sending.join-window}).
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

    /**
     * How long a single send that comes while another of its organization and From address is in flight waits for
     * more to join it in one batch ({@link JoinedSends}); {@code PT0S} sends each alone.
     */
    @Inject
    @ConfigProperty(name = "senders.sending.join-window", defaultValue = "PT0.002S")
    Duration joinWindow;

    private JoinedSends joined;

    @PostConstruct
    void start() {
        joined = new JoinedSends(Math.max(0, joinWindow.toNanos()));
    }

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

    /** The sends that may join in one batch: one organization and From address. */
    private record Lane(String organizationId, String fromAddress) {
    }

    /** The provider for one organization and From address, resolved at each send. */
    private final class Routed implements EmailProvider {
        private final String organizationId;
        private final String fromAddress;

        Routed(String organizationId, String fromAddress) {
            this.organizationId = organizationId;
            this.fromAddress = fromAddress;
        }

        /**
         * A batch of one; sends of the same organization and From address made at the same time go together as one
         * batch ({@link JoinedSends}).
         */
        @Override
        public SendResult send(EmailMessage message) {
            if (!organizationId.equals(message.organizationId())) {
                return refuseOtherOrganization(message); // joins no other send
            }
            return joined.send(new Lane(organizationId, fromAddress), message, this::sendBatch);
        }

        /**
         * Routes each message (cached; no database query once warm; once per From address of the batch), then sends the SES ones and the Resend ones as
         * one batch each; results come back in the messages' order, each fallback with its warning.
         */
        @Override
        public List<SendResult> sendBatch(List<EmailMessage> messages) {
            SendResult[] results = new SendResult[messages.size()];
            List<Integer> viaSes = new ArrayList<>();
            List<Integer> viaResend = new ArrayList<>();
            List<ProviderRouting.Route> routes = new ArrayList<>(messages.size());
            Map<String, ProviderRouting.Route> routedFrom = new HashMap<>();
            long started = System.nanoTime();
            for (int i = 0; i < messages.size(); i++) {
                EmailMessage message = messages.get(i);
                if (!organizationId.equals(message.organizationId())) {
                    results[i] = refuseOtherOrganization(message);
                    routes.add(null);
                    continue;
                }
                EmailMessage m = withFrom(message);
                // once per From address in a batch (its messages are routed at the same moment; each SES call checks
                // its route again just before it leaves)
                ProviderRouting.Route route = routedFrom.computeIfAbsent(m.from(),
                        from -> routing.route(organizationId, from));
                routes.add(route);
                (route.provider() == ProviderName.SES ? viaSes : viaResend).add(i);
            }
            long routed = System.nanoTime() - started;
            if (!viaSes.isEmpty()) {
                metrics.sendStage(ProviderName.SES.wire(), "routing", routed * viaSes.size() / messages.size(),
                        viaSes.size());
                List<SendResult> sent = ses.sendRouted(viaSes.stream().map(i -> withFrom(messages.get(i))).toList(),
                        viaSes.stream().map(routes::get).toList());
                for (int k = 0; k < viaSes.size(); k++) {
                    int i = viaSes.get(k);
                    if (sent.get(k) == SesProvider.REROUTE) {
                        // the organization's senders changed during the batch: along the new route (V3.12)
                        routes.set(i, routing.route(organizationId, withFrom(messages.get(i)).from()));
                        viaResend.add(i);
                    } else {
                        results[i] = sent.get(k);
                    }
                }
            }
            viaResend.sort(null);
            if (!viaResend.isEmpty()) {
                metrics.sendStage(ProviderName.RESEND.wire(), "routing", routed * viaResend.size() / messages.size(),
                        viaResend.size());
                List<SendResult> sent = resend.sendBatch(viaResend.stream().map(i -> withFrom(messages.get(i)))
                        .toList(), viaResend.stream().map(i -> routes.get(i).warning()).toList());
                for (int k = 0; k < viaResend.size(); k++) {
                    String warning = routes.get(viaResend.get(k)).warning();
                    results[viaResend.get(k)] = warning == null ? sent.get(k) : sent.get(k).withWarning(warning);
                }
            }
            return List.of(results);
        }

        /** The message with the provider's From address when it has none of its own. */
        private EmailMessage withFrom(EmailMessage message) {
            return fromAddress == null || message.from() != null ? message
                    : message.toBuilder().from(fromAddress).build();
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
