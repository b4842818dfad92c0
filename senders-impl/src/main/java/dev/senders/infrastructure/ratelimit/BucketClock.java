package dev.senders.infrastructure.ratelimit;

import io.github.bucket4j.TimeMeter;

import java.time.Instant;

/**
 * The rate buckets' clock: wall-clock time, which every instance of a cluster reads alike, to the microsecond
 * (Bucket4j's default reads milliseconds, which put slots up to a millisecond off). It also keeps, for the thread that
 * read it last, {@link System#nanoTime()} at that reading, so that the wait a reservation answers becomes the exact
 * moment of its slot on this JVM's monotonic clock ({@link Reservation}).
 */
final class BucketClock implements TimeMeter {

    static final BucketClock INSTANCE = new BucketClock();

    private static final long PAIRED_WITHIN_NANOS = 4_000;
    private static final ThreadLocal<long[]> LAST_READ = ThreadLocal.withInitial(() -> new long[1]);

    private BucketClock() {
    }

    @Override
    public long currentTimeNanos() {
        // the two clocks are read one after the other; a thread descheduled in between would pair them tens of
        // microseconds apart, so a reading not bracketed within a few microseconds is taken again
        Instant now;
        long before;
        long after;
        int tries = 0;
        do {
            before = System.nanoTime();
            now = Instant.now();
            after = System.nanoTime();
        } while (after - before > PAIRED_WITHIN_NANOS && ++tries < 5);
        LAST_READ.get()[0] = before + (after - before) / 2;
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }

    /** {@link System#nanoTime()} when this thread last read the clock, if that was after {@code since}; else since. */
    static long lastReadSince(long since) {
        long read = LAST_READ.get()[0];
        return read - since > 0 ? read : since;
    }
}
