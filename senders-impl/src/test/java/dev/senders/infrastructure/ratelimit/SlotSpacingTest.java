package dev.senders.infrastructure.ratelimit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The rate limiter's slots, reserved from buckets kept in a real PostgreSQL (the machine's, named by
 * {@code SENDERS_TEST_DB_URL}, else an embedded one) by two limiters standing for two cluster members, each with
 * several sending threads: every slot handed out is at least 1/rate after the one before it, at rates where slots are
 * reserved one by one and where they are reserved in blocks, and the senders together get nearly the whole rate.
 */
class SlotSpacingTest {

    /**
     * The bucket clock reads the wall clock to the microsecond and pairs it with this JVM's monotonic clock within a
     * few microseconds (a thread descheduled between the two reads five times in a row could pair them further).
     */
    private static final long CLOCK_SLACK_NANOS = 20_000;
    private static final long LATENESS = TimeUnit.MILLISECONDS.toNanos(15);

    private static EmbeddedPostgres embedded;
    private static DataSource database;
    private static final AtomicInteger CONNECTIONS = new AtomicInteger();
    private static final String TABLE = "slot_spacing_test_" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void database() throws Exception {
        String url = System.getenv("SENDERS_TEST_DB_URL");
        PGSimpleDataSource ds = new PGSimpleDataSource();
        if (url != null && !url.isBlank()) {
            ds.setUrl(url);
            ds.setUser(envOr("SENDERS_TEST_DB_USER", "postgres"));
            ds.setPassword(envOr("SENDERS_TEST_DB_PASSWORD", "postgres"));
        } else {
            embedded = EmbeddedPostgres.builder().start();
            ds.setUrl("jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres");
            ds.setUser("postgres");
            ds.setPassword("postgres");
        }
        // each reservation takes a connection of its own: counted, to tell a round trip per slot from one per block
        database = (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getConnection")) {
                        CONNECTIONS.incrementAndGet();
                    }
                    try {
                        return method.invoke(ds, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        // the shape of senders_rate_buckets (V4, unlogged since V9)
        sql("create unlogged table " + TABLE + " (id varchar(255) primary key, state bytea, expires_at bigint)");
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        try {
            sql("drop table if exists " + TABLE);
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    @Test
    void blockSizes() {
        assertThat(SendRateLimiter.blockSize(14)).isEqualTo(1);
        assertThat(SendRateLimiter.blockSize(99.9)).isEqualTo(1);
        assertThat(SendRateLimiter.blockSize(100)).isEqualTo(2);
        assertThat(SendRateLimiter.blockSize(2000)).isEqualTo(40);
        assertThat(SendRateLimiter.blockSize(100_000)).isEqualTo(2000);
        assertThat(SendRateLimiter.blockSize(1e9)).isEqualTo(10_000);
    }

    @Test
    void singleSlotsFromTwoInstancesAreOneOverTheRateApart() throws Exception {
        double rate = 50;
        List<Long> slots = takeFromTwoInstances("single-" + UUID.randomUUID(), rate, 1_000);
        assertSpacedAndNearlyAllUsed(slots, rate, 1_000);
    }

    @Test
    void blocksFromTwoInstancesAreOneOverTheRateApart() throws Exception {
        double rate = 2000; // blocks of 40 slots
        int before = CONNECTIONS.get();
        List<Long> slots = takeFromTwoInstances("blocks-" + UUID.randomUUID(), rate, 1_500);
        assertSpacedAndNearlyAllUsed(slots, rate, 1_500);
        // a database round trip per block of 40, not per slot
        assertThat(CONNECTIONS.get() - before).isLessThan(slots.size() / 10);
    }

    @Test
    void slotsOfABlockLeftUnusedAreSkippedNotMoved() throws Exception {
        SendRateLimiter limiter = limiter();
        String key = "skip-" + UUID.randomUUID();
        long spacing = 1_000_000; // 1000 a second: blocks of 20 slots, 20 ms
        long first = limiter.take(key, 1000, deadline(), LATENESS).at();
        TimeUnit.MILLISECONDS.sleep(60);
        long before = System.nanoTime();
        long later = limiter.take(key, 1000, deadline(), LATENESS).at();
        assertThat(later - first).isGreaterThanOrEqualTo(60 * spacing);
        // not a slot of the old block, already past: the first one still ahead
        assertThat(later - before).isGreaterThanOrEqualTo(-CLOCK_SLACK_NANOS);
        long next = limiter.take(key, 1000, deadline(), LATENESS).at();
        assertThat(next - later).isGreaterThanOrEqualTo(spacing - CLOCK_SLACK_NANOS);
    }

    @Test
    void noSlotAfterTheDeadlineAndNothingReserved() throws Exception {
        SendRateLimiter limiter = limiter();
        String key = "deadline-" + UUID.randomUUID();
        long now = System.nanoTime();
        long first = limiter.take(key, 0.5, deadline(), LATENESS).at(); // a slot every 2 s
        assertThatThrownBy(() -> limiter.take(key, 0.5, System.nanoTime() + 500_000_000L, LATENESS))
                .isInstanceOf(SendRateLimiter.RateLimitTimeout.class);
        // the refused reservation took nothing: the next slot is the one 2 s after the first
        long second = limiter.take(key, 0.5, deadline(), LATENESS).at();
        assertThat(second - first).isBetween(2_000_000_000L - CLOCK_SLACK_NANOS, 2_050_000_000L);
        assertThat(first - now).isLessThan(500_000_000L);
        assertThatThrownBy(() -> limiter.take("blocks-" + key, 1000, System.nanoTime(), LATENESS))
                .isInstanceOf(SendRateLimiter.RateLimitTimeout.class);
    }

    /** Two limiters (two cluster members), two threads each, taking slots of one bucket for {@code millis}. */
    private List<Long> takeFromTwoInstances(String key, double rate, long millis) throws Exception {
        List<SendRateLimiter> instances = List.of(limiter(), limiter());
        ExecutorService threads = Executors.newFixedThreadPool(4);
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            List<Future<List<Long>>> taken = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                SendRateLimiter limiter = instances.get(t % 2);
                taken.add(threads.submit(() -> {
                    List<Long> mine = new ArrayList<>();
                    while (System.nanoTime() < end) {
                        mine.add(limiter.take(key, rate, deadline(), LATENESS).at());
                    }
                    return mine;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : taken) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            Collections.sort(all);
            return all;
        } finally {
            threads.shutdownNow();
        }
    }

    private static void assertSpacedAndNearlyAllUsed(List<Long> slots, double rate, long millis) {
        long spacing = (long) (1e9 / rate);
        long tightest = Long.MAX_VALUE;
        for (int i = 1; i < slots.size(); i++) {
            tightest = Math.min(tightest, slots.get(i) - slots.get(i - 1));
        }
        assertThat(tightest).as("the closest two slots, of %d", slots.size())
                .isGreaterThanOrEqualTo(spacing - CLOCK_SLACK_NANOS);
        // four busy senders leave few slots unused: a reservation's round trip at a block's end, a late wake-up
        assertThat((double) slots.size()).as("slots taken").isGreaterThan(0.75 * rate * millis / 1000.0);
    }

    private static SendRateLimiter limiter() {
        SendRateLimiter limiter = new SendRateLimiter();
        limiter.buckets = SendRateLimiter.buckets(database, TABLE);
        return limiter;
    }

    private static long deadline() {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    }

    private static void sql(String statement) throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
