package dev.senders.application.events;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Items submitted by concurrent threads, written together: while one batch is being written, the items that arrive
 * queue up, and the next writer takes them all as one batch. Each thread waits until its own item is written (or
 * has failed) and gets its own result: nothing is answered before it is written, and nothing is left behind.
 * Whoever holds the writer's lock writes the queue's head batch; a thread whose item is still queued when a writer
 * finishes is woken to write the next one, so a batch never waits for a timer and a lone item is written at once.
 *
 * <p>A batch holds at most {@code maxWeight} (an item heavier than that goes alone) and never two items of the same
 * key: the later one waits for the next batch. When a batch fails, each of its items is written alone, so one bad
 * item fails only itself.
 *
 * @param <T> an item
 * @param <R> its result
 */
final class GroupCommit<T, R> {

    /** Writes a batch; the results in the items' order. */
    @FunctionalInterface
    interface Writer<T, R> {
        List<R> write(List<T> batch) throws Exception;
    }

    private static final class Pending<T, R> {
        final T item;
        final Semaphore wake = new Semaphore(0);
        volatile boolean done;
        R result;
        RuntimeException failure;

        Pending(T item) {
            this.item = item;
        }

        void complete(R value) {
            result = value;
            done = true;
            wake.release();
        }

        void fail(RuntimeException e) {
            failure = e;
            done = true;
            wake.release();
        }
    }

    private final Writer<T, R> writer;
    private final Function<T, Object> key;
    private final ToIntFunction<T> weight;
    private final int maxWeight;
    private final Function<Exception, RuntimeException> failure;
    private final Queue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock writing = new ReentrantLock();

    /**
     * @param failure what a thread whose item failed throws, from the writer's exception
     */
    GroupCommit(Writer<T, R> writer, Function<T, Object> key, ToIntFunction<T> weight, int maxWeight,
                Function<Exception, RuntimeException> failure) {
        this.writer = writer;
        this.key = key;
        this.weight = weight;
        this.maxWeight = maxWeight;
        this.failure = failure;
    }

    /** Writes the item (with whatever else is queued), and answers its result once it is written. */
    R submit(T item) {
        Pending<T, R> mine = new Pending<>(item);
        queue.add(mine);
        while (!mine.done) {
            if (writing.tryLock()) {
                try {
                    if (!mine.done) {
                        writeBatch();
                    }
                } finally {
                    writing.unlock();
                    wakeNext();
                }
            } else {
                // a writer is at work: it writes this item, or wakes its thread to write the next batch
                mine.wake.acquireUninterruptibly();
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.result;
    }

    /** Items waiting to be written (for tests). */
    int queued() {
        return queue.size();
    }

    /** After a writer let go: the thread of the item now at the head, if any, writes the next batch. */
    private void wakeNext() {
        Pending<T, R> next = queue.peek();
        if (next != null) {
            next.wake.release();
        }
    }

    /** Under the lock: takes the queue's head batch and writes it. */
    private void writeBatch() {
        List<Pending<T, R>> batch = new ArrayList<>();
        List<Pending<T, R>> later = new ArrayList<>();
        Set<Object> keys = new HashSet<>();
        int total = 0;
        Pending<T, R> p;
        while ((p = queue.peek()) != null) {
            int w = weight.applyAsInt(p.item);
            if (!batch.isEmpty() && total + w > maxWeight) {
                break;
            }
            queue.poll();
            if (keys.add(key.apply(p.item))) {
                batch.add(p);
                total += w;
            } else {
                later.add(p);
            }
        }
        queue.addAll(later);
        try {
            write(batch);
        } finally {
            // whatever happened (an Error too), no thread is left waiting for an item of this batch
            for (Pending<T, R> left : batch) {
                if (!left.done) {
                    left.fail(new IllegalStateException("not written"));
                }
            }
        }
    }

    private void write(List<Pending<T, R>> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            complete(batch, writer.write(batch.stream().map(b -> b.item).toList()));
            return;
        } catch (Exception e) {
            if (batch.size() == 1) {
                batch.get(0).fail(failure.apply(e));
                return;
            }
        }
        for (Pending<T, R> one : batch) {
            try {
                complete(List.of(one), writer.write(List.of(one.item)));
            } catch (Exception alone) {
                one.fail(failure.apply(alone));
            }
        }
    }

    private void complete(List<Pending<T, R>> batch, List<R> results) {
        if (results.size() != batch.size()) {
            throw new IllegalStateException(results.size() + " results for " + batch.size() + " items");
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).complete(results.get(i));
        }
    }
}
