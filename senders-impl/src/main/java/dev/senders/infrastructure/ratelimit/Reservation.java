package dev.senders.infrastructure.ratelimit;

import io.github.bucket4j.Bucket;

import java.util.concurrent.locks.LockSupport;

/**
 * Reserving a bucket's next slot in one round trip, without waiting inside Bucket4j, then sleeping until it.
 *
 * <p>The slot is placed at the moment the answer arrived plus the wait the bucket answered, never earlier: Bucket4j
 * computes the wait from the time its client read before the round trip, and that time is stale by however long the
 * transaction waited for the bucket's row (another instance holding it); counted from that older time, the slot would
 * come early, closer than 1/rate to the one before it, and the sender would also find itself late for it.
 */
final class Reservation {

    private Reservation() {
    }

    /**
     * Reserves the bucket's next token, if it is there before the deadline.
     *
     * @return when to use it ({@link System#nanoTime()})
     * @throws SendRateLimiter.RateLimitTimeout when it is not there before the deadline (nothing is reserved)
     */
    static long reserve(Bucket bucket, long deadline) {
        long left = deadline - System.nanoTime();
        long[] wait = {0};
        try {
            if (left <= 0 || !bucket.asBlocking().tryConsume(1, left, nanos -> wait[0] = nanos)) {
                throw new SendRateLimiter.RateLimitTimeout();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendRateLimiter.RateLimitTimeout();
        }
        return System.nanoTime() + wait[0];
    }

    /** Sleeps until {@code at} ({@link System#nanoTime()}). */
    static void sleepUntil(long at) {
        for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new SendRateLimiter.RateLimitTimeout();
            }
        }
    }
}
