package dev.senders.infrastructure.ratelimit;

import java.util.function.LongConsumer;

/**
 * A rate slot to come, for one request that is built and signed before its slot is reserved. The request's thread
 * holds the ticket ({@link RateSlot#holdUntilGiven}); just before the request goes on the wire it tells the ticket it
 * is ready and waits there. The sender that reserves slots for the ready requests then gives each ticket its slot
 * ({@link #give}), or refuses it ({@link #refuse}): nothing goes out on a refused ticket. A request too late for its
 * slot gives the slot up ({@link #misses}) and tells the ticket it is ready again, for another slot: it is not built
 * and signed again.
 *
 * <p>Why the request comes first and its slot after: a slot reserved first was often stale by the time its request was
 * built and signed (100 requests of a batch share 2 cores), so the request was given up, and built and signed again
 * for another slot. Bench figure 15.2 measured 0.45-0.55 slots given up a message at 100,000/s that way. Thread-safe.
 */
public final class SlotTicket {

    private final LongConsumer onReady;
    private long readyAt;
    private long slotAt;
    private long sendBy;
    private LongConsumer onWoken;
    private boolean given;
    private boolean refused;
    private String refusal;
    private int misses;

    /**
     * @param onReady told the time ({@link System#nanoTime()}) the request is ready, before it waits for its slot: once,
     *                and again after each slot it was too late for
     */
    public SlotTicket(LongConsumer onReady) {
        this.onReady = onReady;
    }

    /**
     * Gives the ticket its slot: the request goes on the wire at {@code slotAtNanos} and not after
     * {@code sendByNanos}. No effect on a refused ticket.
     *
     * @param onWoken told the time the request's thread took the slot up (it may have been given while the thread was
     *                not yet waiting)
     */
    public synchronized void give(long slotAtNanos, long sendByNanos, LongConsumer onWoken) {
        if (refused) {
            return;
        }
        this.slotAt = slotAtNanos;
        this.sendBy = sendByNanos;
        this.onWoken = onWoken;
        this.given = true;
        notifyAll();
    }

    /**
     * Refuses the ticket: its request does not go out ({@link RateSlot.Missed}). No effect on a ticket already given
     * its slot.
     *
     * @param reason why, for the send's result; null when the request only goes again with another ticket
     */
    public synchronized void refuse(String reason) {
        if (given || refused) {
            return;
        }
        this.refused = true;
        this.refusal = reason;
        notifyAll();
    }

    /** Whether it was refused (and its request did not go out on it). */
    public synchronized boolean refused() {
        return refused;
    }

    /** Why it was refused, or null (not refused, or refused only for another ticket). */
    public synchronized String refusal() {
        return refusal;
    }

    /** When its request was first ready ({@link System#nanoTime()}), or 0 when it has not been. */
    public synchronized long readyAt() {
        return readyAt;
    }

    /** How many slots it was given and was too late for (each given up, nothing sent in it). */
    public synchronized int misses() {
        return misses;
    }

    void ready(long nowNanos) {
        synchronized (this) {
            if (readyAt == 0) {
                readyAt = nowNanos;
            }
        }
        onReady.accept(nowNanos);
    }

    /** Waits until it is given or refused: true when given. */
    synchronized boolean await() throws InterruptedException {
        while (!given && !refused) {
            wait();
        }
        return given;
    }

    /** Its request was too late for the slot it was given: it waits for another. */
    synchronized void missed() {
        given = false;
        misses++;
    }

    synchronized long slotAt() {
        return given ? slotAt : 0;
    }

    synchronized long sendBy() {
        return sendBy;
    }

    void woken(long nowNanos) {
        LongConsumer told;
        synchronized (this) {
            told = onWoken;
        }
        if (told != null) {
            told.accept(nowNanos);
        }
    }
}
