package dev.senders.infrastructure.ratelimit;

import io.github.bucket4j.Bucket;

import java.util.concurrent.locks.LockSupport;

/**
 * Reserving tokens of a bucket in one round trip, without waiting inside Bucket4j: the answer is the moment they are
 * there, and the sender sleeps until it ({@link #sleepUntil}) or hands it on ({@link SlotBlock}).
 */
final class Reservation {

    private Reservation() {
    }

    /**
     * Reserves the bucket's next {@code tokens} tokens, if they are there before the deadline.
     *
     * @return when they are there ({@link System#nanoTime()}), as the bucket's own clock reading and wait place it
     * @throws SendRateLimiter.RateLimitTimeout when they are not there before the deadline (nothing is reserved)
     */
    static long reserve(Bucket bucket, long tokens, long deadline) {
        long asked = System.nanoTime();
        long left = deadline - asked;
        long[] wait = {0};
        try {
            if (left <= 0 || !bucket.asBlocking().tryConsume(tokens, left, nanos -> wait[0] = nanos)) {
                throw new SendRateLimiter.RateLimitTimeout();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SendRateLimiter.RateLimitTimeout();
        }
        return BucketClock.lastReadSince(asked) + wait[0];
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
