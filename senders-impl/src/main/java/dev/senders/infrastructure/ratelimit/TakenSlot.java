package dev.senders.infrastructure.ratelimit;

/**
 * A rate slot a sender took: when it is ({@link System#nanoTime()}), and how many slots the sender gave up before it
 * for waking up too late for them.
 */
record TakenSlot(long at, int late) {
}
