package dev.senders.sandbox;

import java.util.Arrays;

/**
 * A rate limit over every sliding second, as the stubs enforce it (SES's MaxSendRate in recipients, Resend's requests
 * a second): no second holds more than the rate, counted at the moment each request reached the stub. Requests are admitted in the order their handlers get to them, which on a
 * busy machine is not always the order they arrived in, so a request is checked against every second that contains
 * its receipt, before and after it, not only the one ending at it. Not thread-safe (the stub holds its send lock).
 */
final class SlidingSecond {

    private static final long SECOND = 1_000_000_000L;

    /** Receipt times of the recipients admitted within the last two seconds or so, ascending. */
    private long[] at = new long[64];
    private int size;
    private long latest = Long.MIN_VALUE;

    /**
     * Admits {@code recipients} received at {@code receivedNanos} ({@link System#nanoTime()}) when no sliding
     * second containing that moment would then hold more than {@code max}; a request alone in its seconds is always
     * admitted (SES lets a single request of several recipients through at a rate below its count).
     *
     * @return whether they were admitted (and counted)
     */
    boolean admit(long receivedNanos, int recipients, double max) {
        prune(receivedNanos);
        // the fullest second containing the moment starts at an admitted receipt within the second before it, or at
        // the moment itself
        int most = count(receivedNanos);
        for (int i = lowerBound(receivedNanos - SECOND + 1); i < size && at[i] <= receivedNanos; i++) {
            most = Math.max(most, count(at[i]));
        }
        if (most > 0 && most + recipients > max) {
            return false;
        }
        for (int k = 0; k < recipients; k++) {
            insert(receivedNanos);
        }
        return true;
    }

    /** Admitted recipients received in the second up to {@code t}: (t - 1 s, t]. */
    int inSecondBefore(long t) {
        return lowerBound(t + 1) - lowerBound(t - SECOND + 1);
    }

    /** The earliest admitted receipt in (t - 1 s, t]; only when {@link #inSecondBefore} is not 0. */
    long firstInSecondBefore(long t) {
        return at[lowerBound(t - SECOND + 1)];
    }

    /** Forgets everything (the stub's reset). */
    void clear() {
        size = 0;
        latest = Long.MIN_VALUE;
    }

    /** Admitted recipients in [start, start + 1 s). */
    private int count(long start) {
        return lowerBound(start + SECOND) - lowerBound(start);
    }

    /** The first index whose receipt is at or after {@code t}. */
    private int lowerBound(long t) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (at[mid] - t < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void insert(long t) {
        if (size == at.length) {
            at = Arrays.copyOf(at, size * 2);
        }
        int i = lowerBound(t + 1);
        System.arraycopy(at, i, at, i + 1, size - i);
        at[i] = t;
        size++;
    }

    /** Drops receipts more than two seconds before the latest seen: no request is handled that much out of order. */
    private void prune(long t) {
        if (latest == Long.MIN_VALUE || t - latest > 0) {
            latest = t;
        }
        int drop = lowerBound(latest - 2 * SECOND);
        if (drop > 0) {
            System.arraycopy(at, drop, at, 0, size - drop);
            size -= drop;
        }
    }
}
