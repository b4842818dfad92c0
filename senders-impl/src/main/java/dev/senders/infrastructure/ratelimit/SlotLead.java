package dev.senders.infrastructure.ratelimit;

/**
 * How far ahead of the database's clock this instance's reservations place their first slot: the time senders
 * recently needed from the moment the database placed their slots to being ready to send in them (the answer's way
 * back, a call thread woken up and scheduled).
 *
 * <p>Slots used to be placed at the database's "now". On a busy machine the answer and the work before the call then
 * took longer than the lateness a request may have, so a sender found its slots already stale when it got them, gave
 * them up and reserved again, which loaded the database further: at a rate limit far above what the machine can send
 * (bench figure 15.2, 100,000/s) that loop reached 29 given-up slots a message. Placed this far ahead, a slot comes
 * when its sender is ready. Placing a slot later never breaks the limit (slots stay 1/rate apart); it only delays the
 * sends of an account that is not booked ahead by this lead, and leaves that time unused. So {@link SlotSchedule} places
 * slots ahead only where they are closer together than max-lateness (above about 67 a second at PT0.015S).
 *
 * <p>The estimate is TCP's retransmission timer's (RFC 6298): a smoothed mean of the delays plus twice their
 * smoothed deviation (the caller subtracts the lateness a request may have anyway), so one slow wake-up (a garbage
 * collection) moves it a little, not all the way; at most {@value #MAX_NANOS} ns. After {@value #FORGET_NANOS} ns without
 * a delay observed it starts again from the next one. Thread-safe.
 */
final class SlotLead {

    static final long MAX_NANOS = 100_000_000L;
    static final long FORGET_NANOS = 2_000_000_000L;

    private boolean any;
    private long last;
    private double mean;
    private double deviation;

    /**
     * A sender was ready for its slot {@code delayNanos} after the database placed it (the database's moment on this
     * instance's clock, never earlier than it was).
     */
    synchronized void observe(long nowNanos, long delayNanos) {
        double delay = Math.min(MAX_NANOS, Math.max(0, delayNanos));
        if (!any || nowNanos - last > FORGET_NANOS) {
            mean = delay;
            deviation = delay / 2;
            any = true;
        } else {
            deviation = 0.75 * deviation + 0.25 * Math.abs(mean - delay);
            mean = 0.875 * mean + 0.125 * delay;
        }
        last = nowNanos;
    }

    /** The time a sender of this instance needs to be ready for a slot, with room for the usual spread; nanoseconds. */
    synchronized long nanos(long nowNanos) {
        if (!any || nowNanos - last > FORGET_NANOS) {
            return 0;
        }
        return (long) Math.min(MAX_NANOS, mean + 2 * deviation);
    }
}
