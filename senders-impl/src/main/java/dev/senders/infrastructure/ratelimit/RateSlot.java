package dev.senders.infrastructure.ratelimit;

import java.util.concurrent.locks.LockSupport;

/**
 * The rate-limit slot the current thread holds for its next provider request, so that the provider's client can check,
 * just before the request goes on the wire, that it is still in time for it ({@link #claim}). A request that would go
 * out late (its thread paused by a garbage collection, a starved CPU, a slow first call) would arrive closer than
 * 1/rate to the requests after it; it gives the slot up instead ({@link Missed}) and its sender reserves another.
 * A slot is good for one request: a retry within the same call needs a new one.
 *
 * <p>A slot held with {@link #holdUntilGiven} is also waited for there: the request is built, signed and ready, and
 * only then waits for its slot ({@link SlotTicket}: the slot may not even be reserved yet), so that a starved CPU
 * delays the work before the wait rather than the request after its slot.
 */
public final class RateSlot {

    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private RateSlot() {
    }

    /** A slot held by a thread: when it is and the latest its request may go, or the ticket that will tell. */
    private static final class Held {
        long slotAt;
        long sendBy;
        final SlotTicket ticket;
        boolean claimed;
        long wireAt;

        Held(long slotAt, long sendBy, SlotTicket ticket) {
            this.slotAt = slotAt;
            this.sendBy = sendBy;
            this.ticket = ticket;
        }
    }

    /**
     * Holds a slot already waited for, for this thread's next request, to go out by {@code sendByNanos}
     * ({@link System#nanoTime()}).
     */
    public static void hold(long sendByNanos) {
        HELD.set(new Held(System.nanoTime(), sendByNanos, null));
    }

    /**
     * Holds the ticket's slot for this thread's next request: {@link #claim} tells the ticket the request is ready,
     * waits until the ticket is given its slot (or refused), then waits for the slot; when that is later than the
     * slot's latest moment, it gives the slot up and tells the ticket it is ready again, for another.
     */
    public static void holdUntilGiven(SlotTicket ticket) {
        HELD.set(new Held(0, 0, ticket));
    }

    /** Forgets the thread's slot, whether it was used or not. */
    public static void release() {
        HELD.remove();
    }

    /**
     * Takes the thread's slot for the request about to go out (no-op when the thread holds none): waits for its
     * ticket to be given when it holds one, waits for the slot when it is still ahead, then checks the request is in
     * time for it.
     *
     * @throws Missed when the slot was already used or it is too late for it, when the ticket was refused (or the
     *                thread was interrupted while waiting for either)
     */
    public static void claim() {
        Held held = HELD.get();
        if (held == null) {
            return;
        }
        if (held.claimed) {
            throw new Missed();
        }
        held.claimed = true;
        long now = System.nanoTime();
        if (held.ticket != null) {
            while (true) {
                // ready: wait for the ticket's slot, then for the slot itself; too late for it, ready again
                held.ticket.ready(now);
                try {
                    if (!held.ticket.await()) {
                        throw new Missed();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Missed();
                }
                held.slotAt = held.ticket.slotAt();
                held.sendBy = held.ticket.sendBy();
                now = System.nanoTime();
                held.ticket.woken(now);
                now = waitFor(held.slotAt, now);
                if (now - held.sendBy <= 0) {
                    break;
                }
                held.ticket.missed();
            }
        } else {
            now = waitFor(held.slotAt, now);
        }
        if (now - held.sendBy > 0) {
            throw new Missed();
        }
        held.wireAt = now;
    }

    /** Parks until {@code slotAt}; the clock then. */
    private static long waitFor(long slotAt, long now) {
        while (now - slotAt < 0) {
            LockSupport.parkNanos(slotAt - now);
            if (Thread.currentThread().isInterrupted()) {
                throw new Missed();
            }
            now = System.nanoTime();
        }
        return now;
    }

    /**
     * When the thread's request went on the wire with its slot ({@link System#nanoTime()}, after any wait for it), or
     * 0 when it did not.
     */
    public static long wireAt() {
        Held held = HELD.get();
        return held == null ? 0 : held.wireAt;
    }

    /**
     * The time of the slot this thread holds ({@link System#nanoTime()}), or 0 when it holds none (or its ticket has
     * not been given yet): for diagnostics
     * that compare when a request was due with when it arrived (the bench's SDK interceptor names it in a header).
     */
    public static long slotAt() {
        Held held = HELD.get();
        return held == null ? 0 : held.slotAt;
    }

    /** Too late for the slot (or it was used): nothing went out; reserve another and send again. */
    public static final class Missed extends RuntimeException {
        public Missed() {
            super("too late for the rate-limit slot; nothing was sent", null, false, false);
        }
    }
}
