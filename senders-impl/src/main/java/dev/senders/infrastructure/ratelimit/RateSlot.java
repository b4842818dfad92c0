package dev.senders.infrastructure.ratelimit;

/**
 * The rate-limit slot the current thread holds for its next provider request, so that the provider's client can check,
 * just before the request goes on the wire, that it is still in time for it ({@link #claim}). A request that would go
 * out late (its thread paused by a garbage collection, a starved CPU, a slow first call) would arrive closer than
 * 1/rate to the requests after it; it gives the slot up instead ({@link Missed}) and its sender reserves another.
 * A slot is good for one request: a retry within the same call needs a new one.
 */
public final class RateSlot {

    private static final long CLAIMED = Long.MIN_VALUE;
    private static final ThreadLocal<long[]> SEND_BY = new ThreadLocal<>();

    private RateSlot() {
    }

    /** Holds a slot for this thread's next request, to go out by {@code sendByNanos} ({@link System#nanoTime()}). */
    public static void hold(long sendByNanos) {
        SEND_BY.set(new long[]{sendByNanos});
    }

    /** Forgets the thread's slot, whether it was used or not. */
    public static void release() {
        SEND_BY.remove();
    }

    /**
     * Takes the thread's slot for the request about to go out (no-op when the thread holds none).
     *
     * @throws Missed when the slot was already used or it is too late for it
     */
    public static void claim() {
        long[] slot = SEND_BY.get();
        if (slot == null) {
            return;
        }
        long sendBy = slot[0];
        slot[0] = CLAIMED;
        if (sendBy == CLAIMED || System.nanoTime() - sendBy > 0) {
            throw new Missed();
        }
    }

    /** Too late for the slot (or it was used): nothing went out; reserve another and send again. */
    public static final class Missed extends RuntimeException {
        public Missed() {
            super("too late for the rate-limit slot; nothing was sent", null, false, false);
        }
    }
}
