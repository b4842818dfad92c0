package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Single sends joined into batches: a lone send goes at once, alone; sends that come while one of their lane is in
 * flight go as one batch and each gets its own result; a group never holds a key twice, is sent when full without
 * waiting for its window, and fails as a whole when its batch throws.
 */
class JoinedSendsTest {

    private static final String LANE = "org-a\nnews@acme.com";

    /** The batches sent, in the order they were sent (each as its recipients). */
    private final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static EmailMessage message(String to, String key) {
        return EmailMessage.builder().to(to).from("news@acme.com").subject("Hello").text("Hi")
                .organizationId("org-a").idempotencyKey(key).build();
    }

    /** Sends the batch: each message's result names its recipient; waits for {@code release} first, if given. */
    private JoinedSends.BatchSend provider(CountDownLatch release) {
        return batch -> {
            batches.add(batch.stream().map(EmailMessage::to).toList());
            if (release != null) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (batch.stream().anyMatch(m -> m.to().startsWith("fail"))) {
                throw new IllegalStateException("the database is down");
            }
            return batch.stream().map(m -> SendResult.sent(ProviderName.SES, "id-" + m.to(), null)).toList();
        };
    }

    /** Starts a send on another thread. */
    private Future<SendResult> sendAsync(JoinedSends joined, EmailMessage message, JoinedSends.BatchSend provider) {
        return pool.submit(() -> joined.send(LANE, message, provider));
    }

    /** A first send, in flight (its batch sent, held until the provider is released). */
    private Future<SendResult> inFlight(JoinedSends joined, JoinedSends.BatchSend provider) throws InterruptedException {
        Future<SendResult> first = sendAsync(joined, message("first@example.org", "k0"), provider);
        awaitBatches(1);
        return first;
    }

    /** Waits until the lane's forming group holds {@code count} sends (they are all in it before anything else). */
    private static void awaitForming(JoinedSends joined, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (joined.forming(LANE) < count && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(joined.forming(LANE)).isEqualTo(count);
    }

    private void awaitBatches(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (batches.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(batches).hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    void aLoneSendGoesAtOnceAloneAndItsLaneIsNotKept() {
        JoinedSends joined = new JoinedSends(TimeUnit.DAYS.toNanos(1));
        SendResult result = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> joined.send(LANE, message("bob@example.org", "k1"), provider(null)));
        assertThat(result.messageId()).isEqualTo("id-bob@example.org");
        assertThat(batches).containsExactly(List.of("bob@example.org"));
        assertThat(joined.lanes()).isZero();
    }

    @Test
    void sendsThatComeWhileOneIsInFlightGoAsOneBatchEachWithItsOwnResult() throws Exception {
        JoinedSends joined = new JoinedSends(TimeUnit.SECONDS.toNanos(2));
        CountDownLatch release = new CountDownLatch(1);
        JoinedSends.BatchSend provider = provider(release);
        Future<SendResult> first = inFlight(joined, provider);
        List<Future<SendResult>> later = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            later.add(sendAsync(joined, message("r" + i + "@example.org", "k" + i), provider));
        }
        awaitForming(joined, 5);
        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).messageId()).isEqualTo("id-first@example.org");
        for (int i = 1; i <= 5; i++) {
            assertThat(later.get(i - 1).get(20, TimeUnit.SECONDS).messageId()).isEqualTo("id-r" + i + "@example.org");
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).containsExactlyInAnyOrder("r1@example.org", "r2@example.org", "r3@example.org",
                "r4@example.org", "r5@example.org");
        assertThat(joined.lanes()).isZero();
    }

    @Test
    void aGroupNeverHoldsOneKeyTwiceTheLaterSendGoesAloneAtOnce() throws Exception {
        JoinedSends joined = new JoinedSends(TimeUnit.DAYS.toNanos(1));
        CountDownLatch release = new CountDownLatch(1);
        JoinedSends.BatchSend blocking = provider(release);
        Future<SendResult> first = inFlight(joined, blocking);
        // opens a group, which waits for its window (a day) or to be full
        Future<SendResult> gathering = sendAsync(joined, message("a@example.org", "same"), provider(null));
        Thread.sleep(100);
        assertThat(batches).hasSize(1);
        // the same key: not in that group, sent alone at once
        SendResult twin = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> joined.send(LANE, message("b@example.org", "same"), provider(null)));
        assertThat(twin.messageId()).isEqualTo("id-b@example.org");
        assertThat(batches).containsExactly(List.of("first@example.org"), List.of("b@example.org"));
        assertThat(gathering).isNotDone();
        // the group fills up and goes without waiting for its window
        List<Future<SendResult>> fill = new ArrayList<>();
        for (int i = 1; i < JoinedSends.MAX_BATCH; i++) {
            fill.add(sendAsync(joined, message("f" + i + "@example.org", "f" + i), provider(null)));
        }
        assertThat(gathering.get(20, TimeUnit.SECONDS).messageId()).isEqualTo("id-a@example.org");
        for (Future<SendResult> f : fill) {
            assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(SendResult.Status.SENT);
        }
        assertThat(batches.get(2)).hasSize(JoinedSends.MAX_BATCH).startsWith("a@example.org");
        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).messageId()).isEqualTo("id-first@example.org");
    }

    @Test
    void whenABatchThrowsEverySendOfItsGroupThrows() throws Exception {
        JoinedSends joined = new JoinedSends(TimeUnit.SECONDS.toNanos(2));
        CountDownLatch release = new CountDownLatch(1);
        JoinedSends.BatchSend provider = provider(release);
        Future<SendResult> first = inFlight(joined, provider);
        Future<SendResult> failing = sendAsync(joined, message("fail@example.org", "k1"), provider);
        Future<SendResult> joining = sendAsync(joined, message("ok@example.org", "k2"), provider);
        awaitForming(joined, 2);
        release.countDown();
        assertThat(first.get(20, TimeUnit.SECONDS).status()).isEqualTo(SendResult.Status.SENT);
        for (Future<SendResult> f : List.of(failing, joining)) {
            assertThatThrownBy(() -> f.get(20, TimeUnit.SECONDS)).hasRootCauseMessage("the database is down");
        }
        assertThat(batches.get(1)).containsExactlyInAnyOrder("fail@example.org", "ok@example.org");
        assertThat(joined.lanes()).isZero();
    }

    @Test
    void aZeroWindowSendsEveryMessageAlone() throws Exception {
        JoinedSends joined = new JoinedSends(0);
        CountDownLatch release = new CountDownLatch(1);
        JoinedSends.BatchSend provider = provider(release);
        List<Future<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sends.add(sendAsync(joined, message("r" + i + "@example.org", "k" + i), provider));
        }
        awaitBatches(4);
        release.countDown();
        for (Future<SendResult> f : sends) {
            assertThat(f.get(20, TimeUnit.SECONDS).status()).isEqualTo(SendResult.Status.SENT);
        }
        assertThat(batches).allSatisfy(b -> assertThat(b).hasSize(1));
    }
}
