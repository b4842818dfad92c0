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
import dev.senders.infrastructure.ratelimit.WithReservation;
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
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Amazon SES from the organization's own verified domain. It sends only when the From domain is one the
 * organization itself fully verified (never as another organization's identity); otherwise it refuses.
 *
 * <p>A batch goes through {@link ProviderSend} (one claim statement with the suppression read, one record
 * statement). SES v1 takes one message per call and counts every call against the account's MaxSendRate, so each
 * call keeps its own rate-limit slot, 1/rate apart: the batch reserves its slots in blocks (one round trip each) and
 * hands each call to a pool thread ({@link ProviderCalls}), where the request waits for its slot once it is built and
 * signed, so calls are in flight together when the rate allows. A call too late for its slot (on the wire check) gives it back
 * and takes another; a throttled call backs off and goes again with a new slot.
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

    /** A call on its way: which owned message, its slot, and its answer to come. */
    private record InFlight(int k, long slot, Future<SendResult> answer) {
    }

    private static final SendResult MISSED = SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED,
            "too late for the rate-limit slot", true, null);

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
        String organizationId = owned.get(0).outgoing().message().organizationId();
        int[] missed = new int[owned.size()];
        int[] throttled = new int[owned.size()];
        // slots given up for lateness and not yet given back: they go with the next reservation's round trip
        int[] givenUp = new int[1];
        List<InFlight> inFlight = new ArrayList<>();
        long notBefore = 0;
        while (!pending.isEmpty() || !inFlight.isEmpty()) {
            if (pending.isEmpty()) {
                notBefore = collect(inFlight, true, results, pending, missed, throttled, givenUp, notBefore);
                continue;
            }
            notBefore = collect(inFlight, false, results, pending, missed, throttled, givenUp, notBefore);
            if (pending.isEmpty()) {
                continue;
            }
            sleepUntil(notBefore);
            // slots only for the calls that can start at once: at a rate above what the threads can send, a
            // block booked for calls still waiting for a thread would miss its slots
            int threads;
            try {
                threads = calls.take(pending.size());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                while (!pending.isEmpty()) {
                    results[pending.poll()] = SendResult.failed(ProviderName.SES, Failure.TIMEOUT,
                            "interrupted while waiting for a free call thread; nothing was sent", true, null);
                }
                continue;
            }
            double rate = rates.perSecond(ProviderName.SES);
            // the block is known before its slots (a reservation gets all it asks for, or none), so its messages are
            // marked as leaving in the reservation's own round trip and transaction: the slots come when the calls
            // are ready, and a block whose mark failed gets no slot (nothing leaves unmarked)
            List<Integer> block = new ArrayList<>();
            for (int j = Math.min(threads, limiter.mostAtOnce(ProviderName.SES, rate)); j > 0
                    && !pending.isEmpty(); j--) {
                block.add(pending.poll());
            }
            calls.giveBack(threads - block.size());
            WithReservation leaving = WithReservation.both(limiter.givingBack(ProviderName.SES, rate, givenUp[0]),
                    claims.leaving(token, block.stream().map(k -> owned.get(k).outgoing()).toList(),
                            "ses-" + UUID.randomUUID()));
            givenUp[0] = 0;
            long asked = System.nanoTime();
            SendRateLimiter.Slots slots;
            try {
                slots = limiter.reserve(ProviderName.SES, organizationId, rate, block.size(), leaving);
            } catch (SendRateLimiter.RateLimitTimeout e) {
                calls.giveBack(block.size());
                for (int k : block) {
                    results[k] = SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED, e.getMessage(), true, null);
                }
                while (!pending.isEmpty()) {
                    results[pending.poll()] = SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED,
                            e.getMessage(), true, null);
                }
                continue;
            }
            // never fewer slots than asked for; should it happen, the rest wait for the next block
            for (int j = block.size() - 1; j >= slots.count(); j--) {
                pending.addFirst(block.remove(j));
                calls.giveBack(1);
            }
            SendRateLimiter.Slots reserved = slots;
            long lastSlot = asked;
            for (int j = 0; j < block.size(); j++) {
                int k = block.get(j);
                long slot = slots.atNanos()[j];
                lastSlot = Math.max(lastSlot, slot);
                Owned o = owned.get(k);
                SesEmailSender.Prepared message = prepared[k];
                // each call waits for its own slot on a pool thread, so that it goes on the wire from there at once
                inFlight.add(new InFlight(k, slot, calls.submit(() -> call(o, message, slot, reserved, asked,
                        organizationId, rate))));
            }
            // the next block is reserved as this one's last slot comes (less the lead its slots will be placed
            // with), so the account is never booked far ahead
            sleepUntil(lastSlot - RESERVE_AHEAD_NANOS - limiter.leadNanos(ProviderName.SES, rate));
        }
        if (givenUp[0] > 0) {
            // no reservation followed them
            limiter.giveBack(ProviderName.SES, rates.perSecond(ProviderName.SES), givenUp[0]);
        }
        return List.of(results);
    }

    /** How long before a block's last slot the next block is reserved (a round trip, with room to spare). */
    private static final long RESERVE_AHEAD_NANOS = 10_000_000L;

    /**
     * One SES call on a pool thread: checks the route again (a change to the organization's senders applies from its
     * next message), then sends; the client builds and signs the request and waits for the slot just before the wire
     * ({@link SendRateLimiter#holdUntilWire}), so that nothing runs between the wake-up and the wire. Measured in
     * ClusterIT, most slots given up at 14 a second were lost between a wake-up in time and the wire (the request
     * 15-27 ms after its slot); on 2 busy cores, building and signing a request after its slot made it late as well.
     */
    private SendResult call(Owned o, SesEmailSender.Prepared message, long slot, SendRateLimiter.Slots reserved,
                            long asked, String organizationId, double rate) {
        ProviderRouting.Route route = routing.route(organizationId, o.outgoing().message().from());
        if (route.provider() != ProviderName.SES) {
            limiter.missed(ProviderName.SES, rate, slot); // the slot goes back unused
            return REROUTE;
        }
        // the request is built and signed first, and waits for its slot just before the wire
        limiter.holdUntilWire(slot, reserved);
        long calling = System.nanoTime();
        try {
            SendResult result = sender.send(message);
            long done = System.nanoTime();
            long wireAt = RateSlot.wireAt();
            long wire = wireAt == 0 ? calling : wireAt;
            metrics.sendStage(ProviderName.SES.wire(), "rate", wire - asked);
            metrics.sendStage(ProviderName.SES.wire(), "provider", done - wire);
            return result;
        } catch (RateSlot.Missed late) {
            return MISSED;
        } finally {
            RateSlot.release();
        }
    }

    /** Takes the answers of finished calls (all of them when {@code all}); returns when the next block may go. */
    private long collect(List<InFlight> inFlight, boolean all, SendResult[] results, Deque<Integer> pending,
                         int[] missed, int[] throttled, int[] givenUp, long notBefore) {
        List<InFlight> done = new ArrayList<>();
        for (InFlight f : inFlight) {
            if (all || f.answer().isDone()) {
                done.add(f);
            }
        }
        inFlight.removeAll(done);
        double rate = rates.perSecond(ProviderName.SES);
        for (InFlight f : done) {
            SendResult result = answer(f.answer());
            if (result == MISSED) {
                missedSlot(f.k(), results, pending, missed, givenUp);
            } else if (result == REROUTE) {
                results[f.k()] = REROUTE;
            } else if (result.failure() == Failure.THROTTLED) {
                metrics.throttled(ProviderName.SES.wire());
                if (throttled[f.k()]++ < throttleRetries) {
                    metrics.retried(ProviderName.SES.wire());
                    pending.add(f.k());
                    notBefore = Math.max(notBefore, System.nanoTime() + backoffNanos(throttled[f.k()] - 1));
                } else {
                    results[f.k()] = result;
                }
            } else if (result.failure() == Failure.TIMEOUT && !atLeastOnce()) {
                results[f.k()] = SendResult.unknown(ProviderName.SES, result.error()
                        + "; it is not sent again (senders.ses.unknown-outcome)");
            } else {
                results[f.k()] = result;
            }
        }
        return notBefore;
    }

    /** A call too late for its slot (nothing went out): the slot is given back with the next reservation. */
    private void missedSlot(int k, SendResult[] results, Deque<Integer> pending, int[] missed, int[] givenUp) {
        limiter.missedInBatch(ProviderName.SES, 1);
        givenUp[0]++;
        if (++missed[k] < MAX_MISSED_SLOTS) {
            pending.addFirst(k); // nothing went out: a new slot, the same attempt
        } else {
            results[k] = SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED, "this server was too slow to send"
                    + " in " + MAX_MISSED_SLOTS + " rate-limit slots in a row; nothing was sent", true, null);
        }
    }

    private static SendResult answer(Future<SendResult> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.failed(ProviderName.SES, Failure.TIMEOUT, "interrupted while waiting for Amazon SES"
                    + " (the message may have been accepted)", true, null);
        } catch (ExecutionException e) {
            return SendResult.failed(ProviderName.SES, Failure.TIMEOUT, "the call to Amazon SES failed (the message"
                    + " may have been accepted): " + e.getCause(), true, null);
        }
    }

    private boolean atLeastOnce() {
        return "at-least-once".equalsIgnoreCase(unknownOutcome.strip());
    }

    private static long backoffNanos(int attempt) {
        return Math.min(2000L, 200L << Math.min(attempt, 10)) * 1_000_000L;
    }

    private static void sleepUntil(long nanoTime) {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
