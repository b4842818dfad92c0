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
import dev.senders.infrastructure.sending.ResendEmailSender;
import dev.senders.infrastructure.sending.ResendEmailSender.RequestOutcome;
import dev.senders.infrastructure.sending.ResendSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Resend from the platform's shared default address. A message from any other address goes out from the platform
 * address with the original as Reply-To: the module never sends as a domain the organization has not verified.
 *
 * <p>A batch goes through {@link ProviderSend} (one claim statement with the suppression read, one record statement)
 * and then to Resend in requests of up to 100 emails ({@code POST /emails/batch}; a single message
 * {@code POST /emails}), one rate-limit slot per request. Each email is validated first, since Resend refuses a whole
 * batch with 422 when one email is invalid; should it still refuse one, the request is split (or the named email
 * left out) and the valid emails go again, once, while the invalid one fails, not retryable, with Resend's reason. A
 * 429 waits {@code retry-after} and sends the same request again with a new slot. Every request carries an
 * Idempotency-Key derived from the organization and its messages' keys, and its messages are marked with it before it
 * leaves: a request whose answer was lost (a timeout, a crash) is sent again with the same key and the same emails,
 * which Resend answers from its first acceptance (for 24 hours) instead of sending twice. When the messages of such a
 * request are no longer all in the same call, it cannot be the same request again: they are reported
 * {@code UNKNOWN} and not sent again.
 */
@ApplicationScoped
@Provider(ProviderName.RESEND)
public class ResendProvider implements EmailProvider {

    private static final String ONE = "resend-one:";
    private static final String BATCH = "resend-batch:";
    private static final int TIMEOUT_REPLAYS = 2;
    private static final int IN_PROGRESS_RETRIES = 3;

    @Inject
    ResendEmailSender sender;

    @Inject
    ResendSettings settings;

    @Inject
    ProviderSend send;

    @Inject
    ProviderRates rates;

    @Inject
    SendRateLimiter limiter;

    @Inject
    SendClaims claims;

    @Inject
    SendersMetrics metrics;

    @Override
    public SendResult send(EmailMessage message) {
        return sendBatch(List.of(message)).get(0);
    }

    @Override
    public List<SendResult> sendBatch(List<EmailMessage> messages) {
        return sendBatch(messages, null);
    }

    /**
     * The same, each message recorded with its routing warning ({@code warnings}, in the messages' order; null: none).
     */
    List<SendResult> sendBatch(List<EmailMessage> messages, List<String> warnings) {
        SendResult[] results = new SendResult[messages.size()];
        Map<String, List<Integer>> byOrganization = new LinkedHashMap<>();
        for (int i = 0; i < messages.size(); i++) {
            byOrganization.computeIfAbsent(messages.get(i).organizationId(), o -> new ArrayList<>()).add(i);
        }
        for (List<Integer> group : byOrganization.values()) {
            List<Outgoing> outgoing = group.stream().map(i -> {
                EmailMessage m = asPlatform(messages.get(i));
                return new Outgoing(m, m.from(), warnings == null ? null : warnings.get(i));
            }).toList();
            List<SendResult> sent = send.send(ProviderName.RESEND, outgoing, this::dispatch);
            for (int k = 0; k < group.size(); k++) {
                results[group.get(k)] = sent.get(k);
            }
        }
        return List.of(results);
    }

    /** The message as it leaves: from the platform's address, replies to the original sender. */
    EmailMessage asPlatform(EmailMessage message) {
        String platform = settings.fromAddress();
        if (platform.toLowerCase(Locale.ROOT).equals(message.from().toLowerCase(Locale.ROOT))) {
            return message;
        }
        EmailMessage.Builder b = message.toBuilder().from(platform);
        if (message.replyTo().isEmpty()) {
            b.replyTo(message.from());
        }
        if (message.fromName() == null) {
            settings.fromName().ifPresent(b::fromName);
        }
        return b.build();
    }

    /** One request to Resend: its messages (positions in the owned list), its key as stored, and its endpoint. */
    private record Request(List<Integer> members, String storedKey, boolean one) {
        String key() {
            return storedKey == null ? null : storedKey.substring(one ? ONE.length() : BATCH.length());
        }
    }

    List<SendResult> dispatch(String token, List<Owned> owned) {
        SendResult[] results = new SendResult[owned.size()];
        String organizationId = owned.get(0).outgoing().message().organizationId();
        List<Request> requests = new ArrayList<>();

        // requests whose answer was lost: the same request again, or nothing
        Map<String, List<Integer>> replays = new LinkedHashMap<>();
        List<Integer> fresh = new ArrayList<>();
        for (int k = 0; k < owned.size(); k++) {
            Owned o = owned.get(k);
            String lost = o.claim().kind() == Kind.TAKEN_OVER ? o.claim().requestKey() : null;
            if (lost != null && (lost.startsWith(ONE) || lost.startsWith(BATCH))) {
                replays.computeIfAbsent(lost, key -> new ArrayList<>()).add(k);
                continue;
            }
            Optional<String> invalid = sender.invalid(o.outgoing().message());
            if (invalid.isPresent()) {
                results[k] = SendResult.failed(ProviderName.RESEND, Failure.INVALID, invalid.get(), false, null);
            } else {
                fresh.add(k);
            }
        }
        for (Map.Entry<String, List<Integer>> replay : replays.entrySet()) {
            List<Integer> members = sortedByKey(owned, replay.getValue());
            int size = owned.get(members.get(0)).claim().requestSize();
            if (members.size() == size) {
                requests.add(new Request(members, replay.getKey(), replay.getKey().startsWith(ONE)));
            } else {
                for (int k : members) {
                    results[k] = SendResult.unknown(ProviderName.RESEND, "An earlier request to Resend with this"
                            + " message and " + (size - 1) + " others lost its answer; only " + members.size()
                            + " of them are in this call, and a different request would not be recognised as the"
                            + " same one, so it is not sent again");
                }
            }
        }
        if (fresh.size() == 1 && owned.size() == 1) {
            requests.add(request(owned, fresh, true));
        } else {
            List<Integer> sorted = sortedByKey(owned, fresh);
            for (int from = 0; from < sorted.size(); from += ResendEmailSender.MAX_BATCH) {
                requests.add(request(owned, sorted.subList(from, Math.min(sorted.size(),
                        from + ResendEmailSender.MAX_BATCH)), false));
            }
        }
        for (Request request : requests) {
            execute(token, organizationId, owned, request, results);
        }
        return List.of(results);
    }

    /** A new request for these messages, keyed from the organization and their keys (no key if one has none). */
    private static Request request(List<Owned> owned, List<Integer> members, boolean one) {
        String organizationId = owned.get(0).outgoing().message().organizationId();
        List<String> keys = members.stream().map(k -> owned.get(k).outgoing().message().idempotencyKey()).toList();
        String key = one ? ResendEmailSender.messageKey(organizationId, keys.get(0))
                : ResendEmailSender.batchKey(organizationId, keys);
        return new Request(List.copyOf(members), key == null ? null : (one ? ONE : BATCH) + key, one);
    }

    /** Messages in the order of their keys (the order a request is built in, so a replay is the same request). */
    private static List<Integer> sortedByKey(List<Owned> owned, List<Integer> members) {
        return members.stream().sorted(Comparator.comparing(
                (Integer k) -> owned.get(k).outgoing().message().idempotencyKey(),
                Comparator.nullsLast(Comparator.naturalOrder()))).toList();
    }

    private void execute(String token, String organizationId, List<Owned> owned, Request request,
                         SendResult[] results) {
        List<EmailMessage> messages = request.members().stream().map(k -> owned.get(k).outgoing().message())
                .toList();
        claims.dispatching(token, request.members().stream().map(k -> owned.get(k).outgoing()).toList(),
                request.storedKey() == null ? BATCH + "unkeyed" : request.storedKey());
        // checked and built before the slot: at the slot, only the POST is left
        ResendEmailSender.PreparedRequest prepared = request.one() ? sender.prepareOne(messages.get(0), request.key())
                : sender.prepareBatch(messages, request.key());
        int throttles = 0;
        int timeouts = 0;
        int inProgress = 0;
        while (true) {
            // a request that will not be made takes no slot
            if (prepared.refused() == null && !awaitSlot(organizationId, request.members(), results)) {
                return;
            }
            long calling = System.nanoTime();
            RequestOutcome outcome = sender.send(prepared, request.key());
            metrics.sendStage(ProviderName.RESEND.wire(), "provider", System.nanoTime() - calling, messages.size());
            switch (outcome.kind()) {
                case ACCEPTED -> {
                    for (int i = 0; i < request.members().size(); i++) {
                        String id = outcome.ids() != null && i < outcome.ids().size() ? outcome.ids().get(i) : null;
                        results[request.members().get(i)] = SendResult.sent(ProviderName.RESEND, id, id != null
                                ? null : "Resend accepted the request but returned no id for this email");
                    }
                    return;
                }
                case THROTTLED -> {
                    metrics.throttled(ProviderName.RESEND.wire());
                    Duration wait = outcome.retryAfter() == null ? Duration.ofSeconds(1) : outcome.retryAfter();
                    if (throttles++ >= settings.maxRetries() || wait.compareTo(settings.maxRetryAfter()) > 0) {
                        fail(request, results, Failure.THROTTLED, outcome.error() + " (still throttled after "
                                + (throttles - 1) + " retries)", true);
                        return;
                    }
                    metrics.retried(ProviderName.RESEND.wire());
                    sleep(wait);
                }
                case TIMEOUT -> {
                    if (timeouts++ >= TIMEOUT_REPLAYS || request.key() == null) {
                        fail(request, results, Failure.TIMEOUT, outcome.error() + " (Resend may have accepted it;"
                                + " a retry sends the same request with the same Idempotency-Key)", true);
                        return;
                    }
                    metrics.retried(ProviderName.RESEND.wire());
                }
                case IN_PROGRESS -> {
                    if (inProgress++ >= IN_PROGRESS_RETRIES) {
                        fail(request, results, Failure.IN_PROGRESS, outcome.error(), true);
                        return;
                    }
                    sleep(Duration.ofSeconds(1));
                }
                case INVALID -> {
                    refused(token, organizationId, owned, request, outcome, results);
                    return;
                }
                case CONFLICT -> {
                    for (int k : request.members()) {
                        results[k] = SendResult.unknown(ProviderName.RESEND, outcome.error() + " (an earlier request"
                                + " with this Idempotency-Key differed; it may have been sent, so it is not sent again)");
                    }
                    return;
                }
                case UNAVAILABLE -> {
                    fail(request, results, Failure.UNAVAILABLE, outcome.error(), true);
                    return;
                }
                case QUOTA_EXCEEDED -> {
                    // the team's daily or monthly quota: nothing more goes out until it resets
                    fail(request, results, Failure.THROTTLED, outcome.error(), true);
                    return;
                }
                case NOT_CONFIGURED -> {
                    fail(request, results, Failure.NOT_CONFIGURED, outcome.error(), false);
                    return;
                }
                default -> {
                    fail(request, results, Failure.REJECTED, outcome.error(), false);
                    return;
                }
            }
        }
    }

    /**
     * Resend refused the request as invalid (nothing was sent): one message fails with Resend's reason; in a batch,
     * the email it names is left out, or the batch is split in two, and the rest go again as new requests.
     */
    private void refused(String token, String organizationId, List<Owned> owned, Request request,
                         RequestOutcome outcome, SendResult[] results) {
        List<Integer> members = request.members();
        if (members.size() == 1) {
            results[members.get(0)] = SendResult.failed(ProviderName.RESEND, Failure.INVALID, outcome.error(), false,
                    null);
            return;
        }
        Integer named = outcome.invalidIndex();
        if (named != null && named >= 0 && named < members.size()) {
            results[members.get(named)] = SendResult.failed(ProviderName.RESEND, Failure.INVALID, outcome.error(),
                    false, null);
            List<Integer> rest = new ArrayList<>(members);
            rest.remove((int) named);
            execute(token, organizationId, owned, request(owned, rest, false), results);
            return;
        }
        int half = members.size() / 2;
        execute(token, organizationId, owned, request(owned, members.subList(0, half), half == 1), results);
        execute(token, organizationId, owned, request(owned, members.subList(half, members.size()),
                members.size() - half == 1), results);
    }

    /** Waits for the request's rate-limit slot (one per request); false, with the members failed, if none came. */
    private boolean awaitSlot(String organizationId, List<Integer> members, SendResult[] results) {
        long asked = System.nanoTime();
        double rate = rates.perSecond(ProviderName.RESEND);
        try {
            for (int late = 0; ; late++) {
                SendRateLimiter.Slots slots = limiter.reserve(ProviderName.RESEND, organizationId, rate, 1);
                long slot = slots.atNanos()[0];
                boolean inTime = limiter.await(slot, slots);
                RateSlot.release();
                if (inTime) {
                    metrics.sendStage(ProviderName.RESEND.wire(), "rate", System.nanoTime() - asked, members.size());
                    return true;
                }
                limiter.missed(ProviderName.RESEND, rate, slot);
                if (late >= SesProvider.MAX_MISSED_SLOTS) {
                    throw new SendRateLimiter.RateLimitTimeout();
                }
            }
        } catch (SendRateLimiter.RateLimitTimeout e) {
            for (int k : members) {
                results[k] = SendResult.failed(ProviderName.RESEND, Failure.RATE_LIMITED, e.getMessage(), true, null);
            }
            return false;
        }
    }

    private static void fail(Request request, SendResult[] results, Failure failure, String error,
                             boolean retryable) {
        for (int k : request.members()) {
            results[k] = SendResult.failed(ProviderName.RESEND, failure, error, retryable, null);
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(Math.max(0, wait.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public ProviderName providerName() {
        return ProviderName.RESEND;
    }

    @Override
    public RateLimits rateLimits() {
        return new RateLimits(rates.perSecond(ProviderName.RESEND), ResendEmailSender.MAX_BATCH, -1);
    }
}
