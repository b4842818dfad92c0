package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.Provider;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.RateLimits;
import dev.senders.api.sending.SendResult;
import dev.senders.api.sending.SendResult.Failure;
import dev.senders.application.sending.ProviderSend.Owned;
import dev.senders.application.sending.SendClaims.Kind;
import dev.senders.application.sending.SendClaims.Outgoing;
import dev.senders.infrastructure.metrics.SendersMetrics;
import dev.senders.infrastructure.ratelimit.RateSlot;
import dev.senders.infrastructure.ratelimit.SendRateLimiter;
import dev.senders.infrastructure.ratelimit.SlotTicket;
import dev.senders.infrastructure.sending.SesEmailSender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Amazon SES from the organization's own verified domain. It sends only when the From domain is one the
 * organization itself fully verified (never as another organization's identity); otherwise it refuses.
 *
 * <p>A batch goes through {@link ProviderSend} (one claim statement with the suppression read, one record
 * statement). SES v1 takes one message per call and counts every call against the account's MaxSendRate, so each
 * call keeps its own rate-limit slot, 1/rate apart ({@link SesBatchDispatch}): each call is built and signed on a pool
 * thread ({@link ProviderCalls}) and waits there, just before the wire, for its slot; the slots of the calls ready
 * are reserved in one round trip, so calls are in flight together when the rate allows. A call too late for its slot
 * (on the wire check) gives it back and waits for another; a throttled call backs off and goes again with a new slot.
 *
 * <p><b>Unknown outcomes.</b> SES has no idempotency key. A claim whose earlier attempt left for SES without an
 * answer coming back (the instance crashed, or the call timed out after SES may have accepted it) is, by default,
 * not sent again: at most once, and the result says the outcome is {@code UNKNOWN}.
 * {@code senders.ses.unknown-outcome=at-least-once} sends it again instead (a recipient may get it twice).
 */
@ApplicationScoped
@Provider(ProviderName.SES)
public class SesProvider implements EmailProvider {

    /** A server this overloaded sends nothing more now; the send is retryable (the host re-queues it). */
    static final int MAX_MISSED_SLOTS = 20;

    @Inject
    SesEmailSender sender;

    @Inject
    ProviderSend send;

    @Inject
    ProviderRouting routing;

    @Inject
    ProviderRates rates;

    @Inject
    SendRateLimiter limiter;

    @Inject
    SendClaims claims;

    @Inject
    ProviderCalls calls;

    @Inject
    SendersMetrics metrics;

    @Inject
    @ConfigProperty(name = "senders.ses.unknown-outcome", defaultValue = "at-most-once")
    String unknownOutcome;

    @Inject
    @ConfigProperty(name = "senders.sending.throttle-retries", defaultValue = "3")
    int throttleRetries;

    @Override
    public SendResult send(EmailMessage message) {
        return sendBatch(List.of(message)).get(0);
    }

    @Override
    public List<SendResult> sendBatch(List<EmailMessage> messages) {
        return sendRouted(messages, messages.stream().map(m -> routing.route(m.organizationId(), m.from())).toList());
    }

    /**
     * Sends along routes resolved for these very messages just before (by {@link ProviderFactory}), so they are not
     * resolved twice. A message whose route is not SES is refused.
     */
    public List<SendResult> sendRouted(List<EmailMessage> messages, List<ProviderRouting.Route> routes) {
        SendResult[] results = new SendResult[messages.size()];
        // one organization at a time: its share of the rate applies to its own slots
        Map<String, List<Integer>> byOrganization = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            if (routes.get(i).provider() != ProviderName.SES) {
                results[i] = SendResult.failed(ProviderName.SES, Failure.NOT_ALLOWED, "The domain of "
                        + messages.get(i).from() + " is not verified for this organization, so it cannot be sent"
                        + " through Amazon SES", false, null);
            } else {
                byOrganization.computeIfAbsent(messages.get(i).organizationId(), o -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> group : byOrganization.values()) {
            List<Outgoing> outgoing = group.stream()
                    .map(i -> new Outgoing(messages.get(i), messages.get(i).from())).toList();
            List<ProviderRouting.Route> groupRoutes = group.stream().map(routes::get).toList();
            List<SendResult> sent = send.send(ProviderName.SES, outgoing,
                    (token, owned) -> dispatch(token, owned, groupRoutes));
            for (int k = 0; k < group.size(); k++) {
                results[group.get(k)] = sent.get(k);
            }
        }
        return List.of(results);
    }

    /**
     * A call that sent nothing and goes again as a new call (its ticket refused only for another one, or a retry
     * within the SDK's call, which needs a slot of its own).
     */
    static final SendResult SEND_AGAIN = SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED,
            "nothing was sent; to be sent again with a new rate-limit slot", true, null);

    /**
     * The message's route is no longer SES (its domain or the organization's default sender changed while the batch
     * was sending): not sent; {@link ProviderFactory} sends it along its new route.
     */
    static final SendResult REROUTE = SendResult.failed(ProviderName.SES, Failure.NOT_ALLOWED, "The organization's"
            + " senders changed while this batch was sending: its domain is no longer one it may send as through"
            + " Amazon SES", false, null);

    List<SendResult> dispatch(String token, List<Owned> owned, List<ProviderRouting.Route> routes) {
        SendResult[] results = new SendResult[owned.size()];
        SesEmailSender.Prepared[] prepared = new SesEmailSender.Prepared[owned.size()];
        Deque<Integer> pending = new ArrayDeque<>();
        for (int k = 0; k < owned.size(); k++) {
            Owned o = owned.get(k);
            ProviderRouting.Route route = routes.get(o.index());
            if (o.claim().kind() == Kind.TAKEN_OVER && o.claim().requestKey() != null && !atLeastOnce()) {
                results[k] = SendResult.unknown(ProviderName.SES, "An earlier attempt of this message went to Amazon"
                        + " SES and its answer was lost (a crash or a timeout): SES may have accepted it, and it has"
                        + " no idempotency key, so the message is not sent again (senders.ses.unknown-outcome)");
                continue;
            }
            // built before its slot (the MIME of a raw message included): at the slot, only the call is left
            prepared[k] = sender.prepare(o.outgoing().message(), route.verifiedDomain(), route.configurationSet());
            if (prepared[k].refused() != null) {
                results[k] = prepared[k].refused();
                continue;
            }
            pending.add(k);
        }
        if (pending.isEmpty()) {
            return List.of(results);
        }
        return List.of(new SesBatchDispatch(this, token, owned, results, pending,
                (k, ticket) -> call(prepared[k], ticket)).run());
    }

    /**
     * One SES call on a pool thread: the client builds and signs the request, tells its ticket it is ready and waits
     * there for its slot, just before the wire ({@link RateSlot#holdUntilGiven}), so that nothing runs between the
     * wake-up and the wire. Measured in ClusterIT, most slots given up at 14 a second were lost between a wake-up in
     * time and the wire (the request 15-27 ms after its slot); on 2 busy cores, building and signing a request after
     * its slot made it late as well. The batch checks the route again just before it reserves the slots of the calls
     * ready ({@link SesBatchDispatch}), not each call (a read of the data grid each, about a tenth of the call threads'
     * CPU in bench figure 15.2).
     */
    private SendResult call(SesEmailSender.Prepared message, SlotTicket ticket) {
        RateSlot.holdUntilGiven(ticket);
        long calling = System.nanoTime();
        try {
            SendResult result = sender.send(message);
            long done = System.nanoTime();
            long wireAt = RateSlot.wireAt();
            long wire = wireAt == 0 ? calling : wireAt;
            metrics.sendStage(ProviderName.SES.wire(), "rate", wire - (ticket.readyAt() == 0 ? calling
                    : ticket.readyAt()));
            metrics.sendStage(ProviderName.SES.wire(), "provider", done - wire);
            return result;
        } catch (RateSlot.Missed notSent) {
            return ticket.refusal() != null ? SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED,
                    ticket.refusal(), true, null) : SEND_AGAIN;
        } finally {
            RateSlot.release();
        }
    }

    boolean atLeastOnce() {
        return "at-least-once".equalsIgnoreCase(unknownOutcome.strip());
    }

    @Override
    public ProviderName providerName() {
        return ProviderName.SES;
    }

    @Override
    public RateLimits rateLimits() {
        return new RateLimits(rates.perSecond(ProviderName.SES), 1, -1);
    }
}
