package dev.senders.infrastructure.ratelimit;

import io.github.bucket4j.Bucket;

/**
 * The block of rate slots this instance reserved last from one bucket, handed out to its senders one by one, so that
 * at high rates a send does not cost a database round trip of its own.
 *
 * <p>A block of n slots is reserved in one round trip as n tokens of a bucket of capacity n, and its slots are laid
 * out <em>forward</em> from the moment the n tokens are there: t, t + 1/rate, ..., t + (n - 1)/rate. The bucket is
 * empty at t, so its next block, whichever instance reserves it, is there no earlier than t + n/rate: slots stay at
 * least 1/rate apart across the cluster, as single slots do, and no 1-second window sees more than the rate. A sender
 * takes the first slot not yet past; slots that pass unused are skipped, never moved, so an instance that does not
 * use its whole block leaves at most that block's time of the rate unused.
 */
final class SlotBlock {

    private final long spacing;
    private final int size;
    private long next;
    private int left;

    /**
     * @param spacing nanoseconds between slots (1/rate)
     * @param size    slots reserved at once; the bucket must hold that many tokens
     */
    SlotBlock(long spacing, int size) {
        this.spacing = spacing;
        this.size = size;
    }

    /**
     * Sleeps until this instance's next slot; a sender that wakes up more than {@code lateness} after its slot takes
     * the one after.
     *
     * @return the slot ({@link System#nanoTime()}) and how many were missed on the way
     */
    TakenSlot take(Bucket bucket, long deadline, long lateness) {
        for (int late = 0; ; late++) {
            long at = next(bucket, deadline);
            Reservation.sleepUntil(at);
            if (System.nanoTime() - at <= lateness) {
                return new TakenSlot(at, late);
            }
        }
    }

    /** The next slot not yet past, from this block or a new one (a slot already past is of no use to a sender). */
    private synchronized long next(Bucket bucket, long deadline) {
        long now = System.nanoTime();
        if (left > 0 && now - next > 0) {
            long passed = Math.min(left, (now - next + spacing - 1) / spacing);
            next += passed * spacing;
            left -= (int) passed;
        }
        if (left == 0) {
            next = Reservation.reserve(bucket, size, deadline);
            left = size;
        }
        long at = next;
        next += spacing;
        left--;
        return at;
    }
}
