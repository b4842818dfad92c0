package dev.senders.infrastructure.ratelimit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseClockTest {

    /** The database's clock reads 1,000,000 us when the local clock reads 5,000,000,000 ns (unknown to the clock). */
    private static DatabaseClock.Reading reading(long askedNanos, long readAfterNanos, long answeredNanos) {
        long dbMicros = 1_000_000 + (askedNanos + readAfterNanos - 5_000_000_000L) / 1000;
        return new DatabaseClock.Reading(askedNanos, answeredNanos, dbMicros);
    }

    @Test
    void aSlowAnswerDoesNotMakeSlotsLookLaterWhileAQuickerReadingIsRecent() {
        DatabaseClock clock = new DatabaseClock();
        DatabaseClock.Reading quick = clock.observe(reading(5_000_000_000L, 100_000, 5_000_200_000L));
        // read 10 ms later, answered 8 ms after the database read its clock (a thread not scheduled)
        DatabaseClock.Reading used = clock.observe(reading(5_010_000_000L, 100_000, 5_018_100_000L));
        assertThat(used).isSameAs(quick);
        assertThat(used.roundTrip()).isEqualTo(200_000);
        // the database's moment 1,050,000 us is 5,050,000,000 ns here: never earlier, at most a round trip later
        assertThat(DatabaseClock.local(used, 1_050_000)).isBetween(5_050_000_000L, 5_050_200_000L);
    }

    @Test
    void theBestReadingGivesWayToANewerOneAfterASecond() {
        DatabaseClock clock = new DatabaseClock();
        clock.observe(reading(5_000_000_000L, 100_000, 5_000_200_000L));
        DatabaseClock.Reading later = reading(6_100_000_000L, 100_000, 6_102_000_000L);
        assertThat(clock.observe(later)).isSameAs(later);
        assertThat(DatabaseClock.local(later, 2_200_000)).isBetween(6_200_000_000L, 6_202_000_000L);
    }
}
