package dev.senders.infrastructure.ratelimit;

/**
 * This instance's view of the database's clock, from the readings that come back with every reservation: converts a
 * moment on the database's clock (microseconds since the epoch) to this instance's clock (nanoseconds), never earlier
 * than it is.
 *
 * <p>A reading asked at local time a, answered at local time b, saying the database's clock was d, was taken between a
 * and b: the database's moment x is at most b + (x - d) on the local clock. Of recent readings, the one that gives the
 * earliest such bound is the best (like NTP's minimum filter): one slow answer (a thread not scheduled for a while)
 * does not make every slot of its reservation look late, and the error stays the round trip of the best reading.
 * Readings older than {@link #KEPT_NANOS} give way to newer ones, so the two clocks' drift (tens of microseconds a second
 * between synchronized hosts) cannot add up.
 */
final class DatabaseClock {

    /** How long the best reading is kept while no better one comes. */
    static final long KEPT_NANOS = 1_000_000_000L;

    /**
     * One reading: asked at {@code asked}, answered at {@code answered} (local nanoseconds), the database's clock then
     * {@code dbMicros}.
     */
    record Reading(long asked, long answered, long dbMicros) {
        long roundTrip() {
            return answered - asked;
        }

        /** The latest the local clock can have shown when the database's clock showed 0. */
        long latestOffset() {
            return answered - dbMicros * 1000;
        }
    }

    private Reading best;

    /** Takes a reading into account; the reading to convert with now. */
    synchronized Reading observe(Reading reading) {
        if (best == null || reading.latestOffset() <= best.latestOffset()
                || reading.answered() - best.answered() > KEPT_NANOS) {
            best = reading;
        }
        return best;
    }

    /** The database's moment {@code dbMicros} on the local clock, by {@code reading}: never earlier than it is. */
    static long local(Reading reading, long dbMicros) {
        return reading.latestOffset() + dbMicros * 1000;
    }
}
