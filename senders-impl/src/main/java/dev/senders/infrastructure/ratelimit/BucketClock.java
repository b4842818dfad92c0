package dev.senders.infrastructure.ratelimit;

import io.github.bucket4j.TimeMeter;

import java.time.Instant;

/**
 * The rate buckets' clock: wall-clock time, which every instance of a cluster reads alike, to the microsecond
 * (Bucket4j's default client clock reads milliseconds, so its waits were computed from a time up to a millisecond
 * old).
 */
final class BucketClock implements TimeMeter {

    static final BucketClock INSTANCE = new BucketClock();

    private BucketClock() {
    }

    @Override
    public long currentTimeNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
        return true;
    }
}
