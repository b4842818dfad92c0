package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.application.sending.SendClaims.Claim;
import dev.senders.application.sending.SendClaims.Outgoing;
import dev.senders.infrastructure.logging.StructuredLog;
import dev.senders.infrastructure.metrics.SendersMetrics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every send goes through, whatever the provider and however many messages: one statement claims every
 * (organization, idempotency key) of the batch and reads the suppression list ({@link SendClaims#claim}); a message
 * already sent answers from its record, one another live send holds is not sent ({@code IN_PROGRESS}, retryable), a
 * message of an organization whose sending is paused is not sent ({@code PAUSED}), nor one to a suppressed recipient
 * ({@code SUPPRESSED}); the provider sends the rest (its {@link Dispatch}: the
 * platform-wide rate limit, backoff on throttling, what an unknown earlier outcome allows); one statement records
 * the outcomes. A single send is a batch of one through the same code.
 */
@ApplicationScoped
public class ProviderSend {

    private static final StructuredLog EVENTS = StructuredLog.of(ProviderSend.class);

    @Inject
    SendClaims claims;

    @Inject
    SendersMetrics metrics;

    /** A message this send owns after the claim, to be sent by the provider. */
    public record Owned(int index, Outgoing outgoing, Claim claim) {
    }

    /** How a provider sends the messages a batch owns. */
    public interface Dispatch {
        /**
         * Sends them (fresh ones, and ones whose earlier attempt has an unknown outcome: see {@link Claim}) and
         * returns one result per message, in order. Marks each request before it leaves
         * ({@link SendClaims#dispatching}).
         */
        List<SendResult> dispatch(String token, List<Owned> owned);
    }

    /** Sends the batch through the provider; one result per message, in order. */
    public List<SendResult> send(ProviderName provider, List<Outgoing> batch, Dispatch dispatch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        SendResult[] results = new SendResult[batch.size()];
        // the same organization and key twice in one batch: the later ones share the first one's outcome
        Map<String, Integer> firstOfKey = new HashMap<>();
        List<Integer> unique = new ArrayList<>();
        int[] sameAs = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            String key = batch.get(i).message().idempotencyKey();
            Integer first = key == null ? null
                    : firstOfKey.putIfAbsent(batch.get(i).message().organizationId() + '\n' + key, i);
            sameAs[i] = first == null ? i : first;
            if (first == null) {
                unique.add(i);
            }
        }
        List<Outgoing> claimed = unique.stream().map(batch::get).toList();
        String token = SendClaims.newToken();

        long started = System.nanoTime();
        List<Claim> found = claims.claim(provider, token, claimed);
        metrics.sendStage(provider.wire(), "checks", System.nanoTime() - started, claimed.size());

        List<Owned> toSend = new ArrayList<>();
        List<Outgoing> recorded = new ArrayList<>();
        List<SendResult> outcomes = new ArrayList<>();
        for (int u = 0; u < claimed.size(); u++) {
            int index = unique.get(u);
            Claim claim = found.get(u);
            switch (claim.kind()) {
                case SENT_BEFORE -> results[index] = claim.earlier();
                case IN_PROGRESS -> results[index] = SendResult.failed(provider, SendResult.Failure.IN_PROGRESS,
                        "another send of this message (the same idempotency key) is in progress; try again later",
                        true, null);
                default -> {
                    if (claim.paused()) {
                        results[index] = SendResult.paused(provider, "sending is paused for organization "
                                + batch.get(index).message().organizationId() + " (its bounce or complaint rate);"
                                + " a platform administrator resumes it");
                        // a taken-over claim is not recorded: it keeps what it knows (whether its request left) and
                        // is an unknown outcome again once its lease ends
                        if (claim.kind() != SendClaims.Kind.TAKEN_OVER) {
                            recorded.add(batch.get(index));
                            outcomes.add(results[index]);
                        }
                    } else if (claim.suppressed()) {
                        results[index] = SendResult.suppressed(provider, batch.get(index).message().to()
                                + " is on the suppression list");
                        recorded.add(batch.get(index));
                        outcomes.add(results[index]);
                    } else {
                        toSend.add(new Owned(index, batch.get(index), claim));
                    }
                }
            }
        }
        if (!toSend.isEmpty()) {
            List<SendResult> sent = dispatch.dispatch(token, toSend);
            for (int k = 0; k < toSend.size(); k++) {
                results[toSend.get(k).index()] = sent.get(k);
                recorded.add(toSend.get(k).outgoing());
                outcomes.add(sent.get(k));
            }
        }

        // the routing warning is part of the record (the Emails page shows it), whatever the outcome
        for (int r = 0; r < recorded.size(); r++) {
            String warning = recorded.get(r).warning();
            if (warning != null && outcomes.get(r).warning() == null) {
                outcomes.set(r, outcomes.get(r).withWarning(warning));
            }
        }
        long recording = System.nanoTime();
        claims.record(token, recorded, outcomes);
        metrics.sendStage(provider.wire(), "record", System.nanoTime() - recording, recorded.size());

        for (int i = 0; i < results.length; i++) {
            if (sameAs[i] != i) {
                results[i] = results[sameAs[i]];
            }
        }
        for (int i = 0; i < results.length; i++) {
            SendResult result = results[i];
            metrics.emailSent(provider.wire(), result.status().name());
            if (result.status() == SendResult.Status.FAILED || result.status() == SendResult.Status.UNKNOWN) {
                EVENTS.warning("send.failed").organization(batch.get(i).message().organizationId())
                        .field("campaign", batch.get(i).message().campaignId()).field("provider", provider.wire())
                        .field("failure", result.failure() == null ? null : result.failure().name())
                        .field("retryable", result.retryable()).field("error", result.error()).log();
            }
        }
        return List.of(results);
    }
}
