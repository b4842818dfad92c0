package dev.senders.application.sending;

import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.api.sending.SendResult.Failure;
import dev.senders.application.sending.ProviderSend.Owned;
import dev.senders.infrastructure.ratelimit.SendRateLimiter;
import dev.senders.infrastructure.ratelimit.SlotTicket;
import dev.senders.infrastructure.ratelimit.WithReservation;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The SES calls of one batch's owned messages, each on a pool thread ({@link ProviderCalls}) with its own rate-limit
 * slot: one use, by {@link SesProvider}.
 *
 * <p>A call is built and signed on its thread first, then waits just before the wire on its {@link SlotTicket}. The
 * slots are reserved once the calls of a block are ready, for all of them in one round trip (which also marks them as
 * leaving, {@link SendClaims#leaving}), so that no call is built for a slot that is already stale when it is ready. A
 * call woken too late for its slot gives it up and waits for another, without being built again; the slots given up go
 * back to the cluster with the next reservation. The batch's thread acts on what its calls tell it (ready, answered),
 * in the order they tell it.
 */
final class SesBatchDispatch {

    /** How long before a block's last slot the next block is reserved (a round trip, with room to spare). */
    private static final long RESERVE_AHEAD_NANOS = 10_000_000L;
    /**
     * The least time between two reservations of a batch: the calls too late for their slots, which come back ready
     * one by one while the block goes on the wire, then share one reservation rather than take one each (bench figure
     * 15.5 counts reservations: 0.14 statements on the rate slots a message at 100,000/s with one each, against 0.09).
     */
    private static final long RESERVATIONS_APART_NANOS = 10_000_000L;
    /** How often the batch's thread looks for a free call thread when every one is taken. */
    private static final long THREAD_POLL_NANOS = 1_000_000L;

    /** The call of one owned message, on its way. */
    private static final class InFlight {
        final int k;
        SlotTicket ticket;
        /** Submitted, not yet ready for its slot nor ended. */
        boolean preparing = true;
        /** Marked as leaving by a reservation. */
        boolean marked;
        /** Slots it gave up that the batch has counted. */
        int missesCounted;

        InFlight(int k) {
            this.k = k;
        }
    }

    /** What a call told: ready for a slot ({@code answer} null), or answered. */
    private record Event(InFlight call, SendResult answer) {
    }

    /** What one call does on its thread, its ticket held for the wire. */
    @FunctionalInterface
    interface Call {
        SendResult send(int k, SlotTicket ticket);
    }

    private final SesProvider provider;
    private final String token;
    private final List<Owned> owned;
    private final String organizationId;
    private final Call call;
    private final SendResult[] results;
    private final Deque<Integer> pending;
    private final int[] throttled;
    /** Each message's latest call. */
    private final InFlight[] byMessage;
    /** Messages whose route was no longer SES when their slots were to be reserved: not sent. */
    private final boolean[] rerouted;
    /** Calls of each message that sent nothing and went again (bounded: see {@link #answered}). */
    private final int[] again;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<InFlight> ready = new ArrayList<>();
    private int preparing;
    private int running;
    /** Slots given up for lateness and not yet given back: they go with the next reservation's round trip. */
    private int givenUp;
    /** No new call before this (a throttled one backs off). */
    private long notBefore;
    /** No reservation before this (the last block's slots are still to come). */
    private long reserveNotBefore;

    SesBatchDispatch(SesProvider provider, String token, List<Owned> owned, SendResult[] results,
                     Deque<Integer> pending, Call call) {
        this.provider = provider;
        this.token = token;
        this.owned = owned;
        this.organizationId = owned.get(0).outgoing().message().organizationId();
        this.results = results;
        this.pending = new ArrayDeque<>(pending);
        this.throttled = new int[owned.size()];
        this.byMessage = new InFlight[owned.size()];
        this.again = new int[owned.size()];
        this.rerouted = new boolean[owned.size()];
        this.call = call;
    }

    /** Sends the pending messages; every result is set when it returns. */
    SendResult[] run() {
        try {
            while (!pending.isEmpty() || running > 0) {
                for (Event e; (e = events.poll()) != null; ) {
                    handle(e);
                }
                long now = System.nanoTime();
                // a block starts only when it may be reserved at once: its calls then hold their threads only while
                // they are built, wait for their slots and go, and the threads left serve the other batches
                boolean mayReserve = now - reserveNotBefore >= 0;
                boolean noThread = false;
                if (mayReserve && preparing == 0 && !pending.isEmpty() && now - notBefore >= 0) {
                    noThread = submit() == 0 && ready.isEmpty();
                }
                if (preparing > 0) {
                    handle(events.take()); // until the block's calls are ready for their slots (or ended)
                    continue;
                }
                if (mayReserve && !ready.isEmpty()) {
                    reserve();
                    continue;
                }
                if (pending.isEmpty() && running == 0) {
                    break;
                }
                // nothing to do now: wait for a call to tell something, or for the moment a block may go
                long wait = Long.MAX_VALUE;
                if (!ready.isEmpty()) {
                    wait = reserveNotBefore - now;
                }
                if (!pending.isEmpty()) {
                    wait = Math.min(wait, noThread ? THREAD_POLL_NANOS
                            : Math.max(reserveNotBefore - now, notBefore - now));
                }
                Event e = wait == Long.MAX_VALUE ? events.take()
                        : events.poll(Math.max(1, wait), TimeUnit.NANOSECONDS);
                if (e != null) {
                    handle(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            interrupted();
        } catch (RuntimeException | Error e) {
            refuseAll("the batch failed: " + e);
            throw e;
        }
        if (givenUp > 0) {
            // no reservation followed them
            provider.limiter.giveBack(ProviderName.SES, provider.rates.perSecond(ProviderName.SES), givenUp);
        }
        return results;
    }

    /**
     * Starts calls for pending messages, as many as the next reservation may take besides the calls already ready, on
     * the call threads free now: how many (none when all are taken).
     */
    private int submit() {
        double rate = provider.rates.perSecond(ProviderName.SES);
        int wanted = Math.min(pending.size(), provider.limiter.mostAtOnce(ProviderName.SES, rate) - ready.size());
        if (wanted <= 0) {
            return 0;
        }
        int threads = provider.calls.tryTake(wanted);
        for (int j = 0; j < threads; j++) {
            InFlight f = new InFlight(pending.poll());
            byMessage[f.k] = f;
            f.ticket = new SlotTicket(at -> events.add(new Event(f, null)));
            preparing++;
            running++;
            provider.calls.submit(() -> {
                SendResult answer = null;
                try {
                    answer = call.send(f.k, f.ticket);
                } catch (RuntimeException e) {
                    answer = failedCall(e);
                } finally {
                    // the batch waits for every call's word: an Error still gives one (and goes on to the pool)
                    events.add(new Event(f, answer != null ? answer : failedCall(null)));
                }
                return answer;
            });
        }
        return threads;
    }

    private static SendResult failedCall(Throwable e) {
        return SendResult.failed(ProviderName.SES, Failure.TIMEOUT, "the call to Amazon SES failed (the message may"
                + " have been accepted)" + (e == null ? "" : ": " + e), true, null);
    }

    private void handle(Event e) {
        InFlight f = e.call();
        if (f.preparing) {
            f.preparing = false;
            preparing--;
        }
        if (e.answer() == null) {
            ready(f);
        } else {
            running--;
            answered(f.k, e.answer());
        }
    }

    /** A call is ready for a slot: its first, or another after one it was too late for. */
    private void ready(InFlight f) {
        int misses = f.ticket.misses();
        if (misses > f.missesCounted) {
            provider.limiter.missedInBatch(ProviderName.SES, misses - f.missesCounted);
            givenUp += misses - f.missesCounted;
            f.missesCounted = misses;
            if (misses >= SesProvider.MAX_MISSED_SLOTS) {
                f.ticket.refuse("this server was too slow to send in " + SesProvider.MAX_MISSED_SLOTS
                        + " rate-limit slots in a row; nothing was sent");
                return;
            }
        }
        ready.add(f);
    }

    /**
     * Reserves slots for the ready calls in one round trip (marking those not yet marked as leaving in it) and gives
     * each its slot.
     */
    private void reserve() {
        double rate = provider.rates.perSecond(ProviderName.SES);
        int most = provider.limiter.mostAtOnce(ProviderName.SES, rate);
        List<InFlight> taken = new ArrayList<>(ready.subList(0, Math.min(most, ready.size())));
        ready.subList(0, taken.size()).clear();
        List<InFlight> block = stillSes(taken);
        if (block.isEmpty()) {
            return;
        }
        List<InFlight> unmarked = block.stream().filter(f -> !f.marked).toList();
        // the calls are marked as leaving in the reservation's own round trip and transaction (a reservation gets
        // all it asks for, or none): a block whose mark failed gets no slot, so nothing leaves unmarked
        WithReservation with = WithReservation.both(provider.limiter.givingBack(ProviderName.SES, rate, givenUp),
                unmarked.isEmpty() ? null : provider.claims.leaving(token, unmarked.stream()
                        .map(f -> owned.get(f.k).outgoing()).toList(), "ses-" + UUID.randomUUID()));
        givenUp = 0;
        SendRateLimiter.Slots slots;
        try {
            slots = provider.limiter.reserve(ProviderName.SES, organizationId, rate, block.size(), with);
        } catch (SendRateLimiter.RateLimitTimeout e) {
            block.forEach(f -> f.ticket.refuse(e.getMessage()));
            ready.forEach(f -> f.ticket.refuse(e.getMessage()));
            ready.clear();
            failPending(Failure.RATE_LIMITED, e.getMessage());
            return;
        }
        unmarked.forEach(f -> f.marked = true);
        long reserved = System.nanoTime();
        long lastSlot = reserved;
        for (int j = 0; j < block.size(); j++) {
            if (j < slots.count()) {
                long slot = slots.atNanos()[j];
                lastSlot = Math.max(lastSlot, slot);
                provider.limiter.give(block.get(j).ticket, slot, slots);
            } else {
                // never fewer slots than asked for; should it happen, the rest go again with the next block
                block.get(j).ticket.refuse(null);
            }
        }
        // the next block is reserved as this one's last slot comes (less the lead its slots will be placed with), so
        // the account is never booked far ahead; its calls may get ready meanwhile
        reserveNotBefore = Math.max(reserved + RESERVATIONS_APART_NANOS,
                lastSlot - RESERVE_AHEAD_NANOS - provider.limiter.leadNanos(ProviderName.SES, rate));
    }

    /**
     * The calls whose route is still SES, checked just before their slots are reserved, once for each From address
     * (a read of the organization's senders' generation from the data grid): a change to the organization's senders
     * applies from its next message. The others' tickets are refused; they are rerouted ({@link SesProvider#REROUTE}).
     */
    private List<InFlight> stillSes(List<InFlight> taken) {
        Map<String, Boolean> ses = new HashMap<>();
        List<InFlight> kept = new ArrayList<>(taken.size());
        for (InFlight f : taken) {
            String from = owned.get(f.k).outgoing().message().from();
            if (ses.computeIfAbsent(from, x -> provider.routing.route(organizationId, x).provider()
                    == ProviderName.SES)) {
                kept.add(f);
            } else {
                rerouted[f.k] = true;
                f.ticket.refuse("rerouted: " + SesProvider.REROUTE.error());
            }
        }
        return kept;
    }

    private void answered(int k, SendResult result) {
        if (rerouted[k]) {
            results[k] = SesProvider.REROUTE; // its ticket was refused: nothing went out
            return;
        }
        if (result == SesProvider.SEND_AGAIN) {
            if (++again[k] < SesProvider.MAX_MISSED_SLOTS) {
                pending.addFirst(k); // nothing went out in this attempt: a new call with a new ticket
            } else {
                results[k] = SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED, "this message could not be"
                        + " sent in " + SesProvider.MAX_MISSED_SLOTS + " calls in a row (each needed a rate-limit slot"
                        + " of its own); retry later", true, null);
            }
        } else if (result.failure() == Failure.THROTTLED) {
            provider.metrics.throttled(ProviderName.SES.wire());
            if (throttled[k]++ < provider.throttleRetries) {
                provider.metrics.retried(ProviderName.SES.wire());
                pending.add(k);
                notBefore = Math.max(notBefore, System.nanoTime() + backoffNanos(throttled[k] - 1));
            } else {
                results[k] = result;
            }
        } else if (result.failure() == Failure.TIMEOUT && !provider.atLeastOnce()) {
            results[k] = SendResult.unknown(ProviderName.SES, result.error()
                    + "; it is not sent again (senders.ses.unknown-outcome)");
        } else {
            results[k] = result;
        }
    }

    /**
     * The batch's thread was interrupted: no call that has no slot yet goes out, nothing pending starts, and the calls
     * on the wire are not waited for (their outcome is unknown).
     */
    private void interrupted() {
        String why = "interrupted while waiting for a rate-limit slot; nothing was sent";
        refuseAll(why);
        ready.clear();
        failPending(Failure.TIMEOUT, why);
        for (int k = 0; k < results.length; k++) {
            if (results[k] == null && (byMessage[k] == null || !byMessage[k].marked)) {
                // never given a slot: its request cannot have left
                results[k] = SendResult.failed(ProviderName.SES, Failure.RATE_LIMITED, why, true, null);
            } else if (results[k] == null) {
                answered(k, SendResult.failed(ProviderName.SES, Failure.TIMEOUT, "interrupted while waiting for"
                        + " Amazon SES (the message may have been accepted)", true, null));
            }
        }
    }

    /**
     * Refuses every call's ticket not given a slot yet, the calls still being built included: none may be left waiting
     * for a slot that will never come (it would hold its thread for good).
     */
    private void refuseAll(String reason) {
        for (InFlight f : byMessage) {
            if (f != null) {
                f.ticket.refuse(reason);
            }
        }
    }

    private void failPending(Failure failure, String error) {
        while (!pending.isEmpty()) {
            results[pending.poll()] = SendResult.failed(ProviderName.SES, failure, error, true, null);
        }
    }

    private static long backoffNanos(int attempt) {
        return Math.min(2000L, 200L << Math.min(attempt, 10)) * 1_000_000L;
    }
}
