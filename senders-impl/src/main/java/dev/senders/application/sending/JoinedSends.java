package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.SendResult;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Single sends of one organization and From address made at the same time, sent together as one batch: every
 * guarantee of a send holds per message in a batch, but the batch costs one claim statement, one record statement, a
 * rate reservation per block of calls and (through Resend) one request, where single sends cost each of these per
 * message.
 *
 * <p>A lane is one organization and From address. A send in a lane with nothing in flight goes at once, alone: a lone
 * send never waits. A send that comes while a batch of its lane is in flight opens a group and gathers the sends that
 * come within the join window (or until the group holds {@link #MAX_BATCH}); they join it and wait for its results,
 * each its own, in order. So sends are joined only when they are concurrent anyway, and a joined send waits at most the
 * window longer than it would have. A group never holds two messages with the same idempotency key: the later one goes
 * alone at once (and finds the first one's claim, as two single sends of one key do).
 *
 * <p>The thread that opened a group sends it. When its batch throws, every send of the group throws the same
 * exception (as each would have, alone: a batch throws only for what fails the whole of it, such as the database).
 */
final class JoinedSends {

    /** The most messages a group takes: Resend's batch limit, so a Resend group is one request. */
    static final int MAX_BATCH = 100;

    /** Sends one batch, results in order (the lane's provider). */
    @FunctionalInterface
    interface BatchSend {
        List<SendResult> send(List<EmailMessage> batch);
    }

    private final long windowNanos;
    private final Map<Object, Lane> lanes = new ConcurrentHashMap<>();

    /** @param windowNanos the join window; 0 sends every message alone */
    JoinedSends(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Sends the message in its lane, with the sends that join it; its own result. */
    SendResult send(Object laneKey, EmailMessage message, BatchSend batchSend) {
        if (windowNanos <= 0) {
            return batchSend.send(List.of(message)).get(0);
        }
        Lane lane = lanes.computeIfAbsent(laneKey, k -> new Lane());
        Group group = null;
        Group joined = null;
        int index = 0;
        boolean gather = false;
        lane.lock.lock();
        try {
            Group forming = lane.forming;
            if (forming != null && forming.accepts(message)) {
                joined = forming;
                index = forming.add(message);
                if (forming.size() >= MAX_BATCH) {
                    lane.close(forming);
                    lane.changed.signalAll();
                }
            } else {
                group = new Group(message);
                // gathers only while a batch of the lane is in flight and no group is forming (a send whose key is
                // in the forming group goes alone, at once)
                gather = forming == null && lane.inFlight > 0;
                if (gather) {
                    lane.forming = group;
                } else {
                    lane.close(group);
                }
            }
        } finally {
            lane.lock.unlock();
        }
        if (joined != null) {
            return joined.result(index);
        }
        if (gather) {
            gatherFor(lane, group);
        }
        try {
            group.complete(batchSend.send(group.messages));
        } catch (RuntimeException | Error e) {
            group.fail(e);
            throw e;
        } finally {
            lane.lock.lock();
            try {
                lane.inFlight--;
                if (lane.inFlight == 0 && lane.forming == null) {
                    lanes.remove(laneKey, lane); // an idle lane is not kept (a new one is made at its next send)
                }
            } finally {
                lane.lock.unlock();
            }
        }
        return group.result(0);
    }

    /** Waits for sends to join the group, until the window ends or it is full; then closes it. */
    private void gatherFor(Lane lane, Group group) {
        boolean interrupted = false;
        lane.lock.lock();
        try {
            long deadline = System.nanoTime() + windowNanos;
            while (!group.closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    lane.changed.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
            if (!group.closed) {
                lane.close(group);
            }
        } finally {
            lane.lock.unlock();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many sends the lane's forming group holds now (for tests). */
    int forming(Object laneKey) {
        Lane lane = lanes.get(laneKey);
        if (lane == null) {
            return 0;
        }
        lane.lock.lock();
        try {
            return lane.forming == null ? 0 : lane.forming.size();
        } finally {
            lane.lock.unlock();
        }
    }

    /** Lanes held now (for tests: an idle lane is dropped). */
    int lanes() {
        return lanes.size();
    }

    /** One organization and From address: its batches in flight and the group forming, under its lock. */
    private static final class Lane {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
        int inFlight;
        Group forming;

        /** The group takes no more sends, and is in flight from now. */
        void close(Group group) {
            group.closed = true;
            if (forming == group) {
                forming = null;
            }
            inFlight++;
        }
    }

    /** Sends sent together: their messages, and the batch's results once it is sent. */
    private static final class Group {
        final List<EmailMessage> messages = new ArrayList<>();
        final Set<String> keys = new HashSet<>();
        final CountDownLatch done = new CountDownLatch(1);
        boolean closed;
        volatile List<SendResult> results;
        volatile Throwable failure;

        Group(EmailMessage first) {
            add(first);
        }

        boolean accepts(EmailMessage message) {
            return !closed && messages.size() < MAX_BATCH && (message.idempotencyKey() == null
                    || !keys.contains(key(message)));
        }

        int add(EmailMessage message) {
            if (message.idempotencyKey() != null) {
                keys.add(key(message));
            }
            messages.add(message);
            return messages.size() - 1;
        }

        int size() {
            return messages.size();
        }

        void complete(List<SendResult> sent) {
            if (sent.size() != messages.size()) {
                throw new IllegalStateException(sent.size() + " results for " + messages.size() + " messages");
            }
            results = sent;
            done.countDown();
        }

        void fail(Throwable e) {
            failure = e;
            done.countDown();
        }

        /** Waits for the batch (not cut short by an interrupt: the message may be on its way), then its result. */
        SendResult result(int index) {
            boolean interrupted = false;
            while (true) {
                try {
                    if (done.await(1, TimeUnit.DAYS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return results.get(index);
        }

        private static String key(EmailMessage message) {
            return message.organizationId() + '\n' + message.idempotencyKey();
        }
    }
}
