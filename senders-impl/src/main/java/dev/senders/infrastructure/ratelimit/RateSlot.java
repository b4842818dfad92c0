package dev.senders.infrastructure.ratelimit;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The rate-limit slot the current thread holds for its next provider request, so that the provider's client can check,
 * just before the request goes on the wire, that it is still in time for it ({@link #claim}). A request that would go
 * out late (its thread paused by a garbage collection, a starved CPU, a slow first call) would arrive closer than
 * 1/rate to the requests after it; it gives the slot up instead ({@link Missed}) and its sender reserves another.
 * A slot is good for one request: a retry within the same call needs a new one.
 *
 * <p>A slot held with {@link #holdUntilWire} is also waited for there: the request is built, signed and ready, and
 * only then waits for its slot, so that a starved CPU delays the work before the wait rather than the request after
 * its slot.
 */
public final class RateSlot {

    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    private RateSlot() {
    }

    /** A slot held by a thread: when it is, the latest its request may go, and what to tell when it is ready. */
    private static final class Held {
        final long slotAt;
        final long sendBy;
        final LongConsumer onReady;
        boolean claimed;
        long wireAt;

        Held(long slotAt, long sendBy, LongConsumer onReady) {
            this.slotAt = slotAt;
            this.sendBy = sendBy;
            this.onReady = onReady;
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
     * Holds the slot at {@code slotAtNanos} for this thread's next request: {@link #claim} waits for it just before
     * the request goes on the wire, and gives it up when that is later than {@code sendByNanos}.
     *
     * @param onReady told the time ({@link System#nanoTime()}) the request was ready, before it waits
     */
    public static void holdUntilWire(long slotAtNanos, long sendByNanos, LongConsumer onReady) {
        HELD.set(new Held(slotAtNanos, sendByNanos, onReady));
    }

    /** Forgets the thread's slot, whether it was used or not. */
    public static void release() {
        HELD.remove();
    }

    /**
     * Takes the thread's slot for the request about to go out (no-op when the thread holds none): waits for it when
     * it is still ahead, then checks the request is in time for it.
     *
     * @throws Missed when the slot was already used or it is too late for it (or the thread was interrupted while
     *                waiting for it)
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
        if (held.onReady != null) {
            held.onReady.accept(now);
        }
        while (now - held.slotAt < 0) {
            LockSupport.parkNanos(held.slotAt - now);
            if (Thread.currentThread().isInterrupted()) {
                throw new Missed();
            }
            now = System.nanoTime();
        }
        if (now - held.sendBy > 0) {
            throw new Missed();
        }
        held.wireAt = now;
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
     * The time of the slot this thread holds ({@link System#nanoTime()}), or 0 when it holds none: for diagnostics
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
