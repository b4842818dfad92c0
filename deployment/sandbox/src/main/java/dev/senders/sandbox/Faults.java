package dev.senders.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/** Thread-safe queue of one-shot injected faults, per key ("*" matches any key). */
final class Faults {
    static final String ANY = "*";

    /** An injected outcome: an error ({@code status > 0}) and/or a delay before the response is written. */
    record Fault(int status, String code, String message, Duration delay, int retryAfterSeconds) {
        boolean isError() {
            return status > 0;
        }
    }

    private static final class Entry {
        final Fault fault;
        int remaining;

        Entry(Fault fault, int remaining) {
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final Map<String, Deque<Entry>> queues = new HashMap<>();

    synchronized void add(String key, int times, Fault fault) {
        if (times <= 0) {
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        queues.computeIfAbsent(key == null ? ANY : key, k -> new ArrayDeque<>()).addLast(new Entry(fault, times));
    }

    /** Consumes one use of the oldest fault for {@code key}, else for {@link #ANY}; null when none. */
    synchronized Fault take(String key) {
        Fault f = key == null ? null : takeFrom(key);
        return f != null ? f : takeFrom(ANY);
    }

    private Fault takeFrom(String key) {
        Deque<Entry> q = queues.get(key);
        if (q == null || q.isEmpty()) {
            return null;
        }
        Entry e = q.peekFirst();
        if (--e.remaining <= 0) {
            q.pollFirst();
        }
        return e.fault;
    }

    synchronized int pending() {
        return queues.values().stream().flatMap(Deque::stream).mapToInt(e -> e.remaining).sum();
    }

    synchronized void clear() {
        queues.clear();
    }
}
