package dev.senders.application.events;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Concurrent submissions written together: each thread gets its own item's result once its batch is written, no
 * batch holds a key twice or weighs more than allowed, and a failing batch fails only its bad item.
 */
class GroupCommitTest {

    /** The batches the writer saw, in order. */
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());

    private GroupCommit<String, String> commit(int maxWeight, long writeMillis) {
        return new GroupCommit<>(batch -> {
            batches.add(batch);
            if (batch.contains("bad")) {
                throw new IllegalArgumentException("bad item in " + batch);
            }
            Thread.sleep(writeMillis);
            return batch.stream().map(item -> "written " + item).toList();
        }, item -> item.split("#")[0], item -> item.startsWith("heavy") ? 5 : 1, maxWeight,
                e -> new IllegalStateException("not written", e));
    }

    @Test
    void aLoneItemIsWrittenAtOnceByItsOwnThread() {
        GroupCommit<String, String> commit = commit(10, 0);
        assertThat(commit.submit("a")).isEqualTo("written a");
        assertThat(commit.submit("b")).isEqualTo("written b");
        assertThat(batches).containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void concurrentItemsShareBatchesAndEachThreadGetsItsOwnResult() throws Exception {
        GroupCommit<String, String> commit = commit(10, 20);
        int threads = 16;
        int each = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        String item = "t" + thread + "-" + i;
                        assertThat(commit.submit(item)).isEqualTo("written " + item);
                        mine.add(item);
                    }
                    return mine;
                }));
            }
            start.countDown();
            for (Future<List<String>> f : results) {
                assertThat(f.get(1, TimeUnit.MINUTES)).hasSize(each);
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> written = batches.stream().flatMap(List::stream).toList();
        assertThat(written).hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(10));
        assertThat(batches.size()).as("batches of more than one item").isLessThan(threads * each);
    }

    @Test
    void theSameKeyNeverSharesABatch() throws Exception {
        GroupCommit<String, String> commit = commit(50, 5);
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<String>> results = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                String item = "k" + (i % 4) + "#" + i;
                results.add(pool.submit(() -> commit.submit(item)));
            }
            for (Future<String> f : results) {
                assertThat(f.get(1, TimeUnit.MINUTES)).startsWith("written k");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(300);
        for (List<String> batch : batches) {
            Set<String> keys = new HashSet<>();
            batch.forEach(item -> assertThat(keys.add(item.split("#")[0])).as("key twice in " + batch).isTrue());
        }
    }

    @Test
    void aBatchWeighsNoMoreThanAllowedButAHeavyItemStillGoes() {
        GroupCommit<String, String> commit = commit(3, 0);
        assertThat(commit.submit("heavy-1")).isEqualTo("written heavy-1");
        assertThat(batches).containsExactly(List.of("heavy-1"));
    }

    @Test
    void aFailingBatchIsWrittenItemByItemSoOnlyTheBadItemFails() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(batch -> {
            batches.add(batch);
            if (batch.equals(List.of("first"))) {
                queued.await(1, TimeUnit.MINUTES);   // the others queue up meanwhile
            }
            if (batch.contains("bad")) {
                throw new IllegalArgumentException("bad item in " + batch);
            }
            return batch.stream().map(item -> "written " + item).toList();
        }, item -> item, item -> 1, 10, e -> new IllegalStateException("not written", e));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            Future<String> first = pool.submit(() -> commit.submit("first"));
            while (batches.isEmpty()) {
                Thread.onSpinWait();
            }
            List<Future<String>> good = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String item = "good-" + i;
                good.add(pool.submit(() -> commit.submit(item)));
            }
            Future<String> bad = pool.submit(() -> commit.submit("bad"));
            while (commit.queued() < 6) {
                Thread.onSpinWait();
            }
            queued.countDown();
            assertThat(first.get(1, TimeUnit.MINUTES)).isEqualTo("written first");
            for (int i = 0; i < 5; i++) {
                assertThat(good.get(i).get(1, TimeUnit.MINUTES)).isEqualTo("written good-" + i);
            }
            assertThatThrownBy(() -> bad.get(1, TimeUnit.MINUTES)).hasCauseInstanceOf(IllegalStateException.class)
                    .hasRootCauseInstanceOf(IllegalArgumentException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(batches.get(0)).containsExactly("first");
        assertThat(batches.get(1)).as("the six queued ones, together").hasSize(6).contains("bad");
        assertThat(batches.subList(2, batches.size())).as("then each alone").hasSize(6)
                .allSatisfy(b -> assertThat(b).hasSize(1));
    }

    @Test
    void anErrorInTheWriterLeavesNoThreadWaiting() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        GroupCommit<String, String> commit = new GroupCommit<>(batch -> {
            batches.add(batch);
            if (batch.equals(List.of("first"))) {
                queued.await(1, TimeUnit.MINUTES);
                return List.of("written first");
            }
            throw new AssertionError("the writer broke down");
        }, item -> item, item -> 1, 10, e -> new IllegalStateException("not written", e));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<String> first = pool.submit(() -> commit.submit("first"));
            while (batches.isEmpty()) {
                Thread.onSpinWait();
            }
            List<Future<String>> others = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String item = "other-" + i;
                others.add(pool.submit(() -> commit.submit(item)));
            }
            while (commit.queued() < 3) {
                Thread.onSpinWait();
            }
            queued.countDown();
            assertThat(first.get(1, TimeUnit.MINUTES)).isEqualTo("written first");
            int errors = 0;
            for (Future<String> f : others) {
                try {
                    f.get(1, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).isInstanceOfAny(AssertionError.class, IllegalStateException.class);
                    errors += e.getCause() instanceof AssertionError ? 1 : 0;
                }
            }
            assertThat(errors).as("the writing thread itself sees the Error").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(batches.get(1)).hasSize(3);
    }
}
