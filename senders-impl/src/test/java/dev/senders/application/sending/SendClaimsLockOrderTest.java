package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two claims of the same keys at once, on a real PostgreSQL (CI's red run of stop 26: two instances sending the same
 * 200 keys, coalesced into batches in different orders, deadlocked in the claim and answered 500). The other claimant
 * is a transaction held open by the test, so each interleaving is made to happen rather than hoped for.
 */
class SendClaimsLockOrderTest {

    private static TestDatabase db;
    private static SendClaims claims;
    private static String application;

    @BeforeAll
    static void start() {
        db = TestDatabase.start();
        application = "claims-" + UUID.randomUUID();
        PGSimpleDataSource named = db.simple();
        named.setApplicationName(application);
        claims = TestClaims.on(named);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /**
     * The other claimant holds k-m and is about to take k-z (in key order, as every claim does). A claim of [k-z, k-m]
     * must take k-m first and wait there, holding nothing the other needs: given in the message order, it would take
     * k-z, wait for k-m, and the other, waiting for k-z, would be chosen to break the deadlock (its deadlock_timeout is
     * set short so that it, not the claim, notices).
     */
    @Test
    void aClaimTakesItsKeysInKeyOrderSoTheOtherClaimantIsNeverInADeadlock() throws Exception {
        assertThat(claimWhileTheOtherTakes("org-order", "20ms", "k-m", "k-z", "k-z", "k-m"))
                .extracting(SendClaims.Claim::kind)
                .containsExactly(SendClaims.Kind.IN_PROGRESS, SendClaims.Kind.IN_PROGRESS);
    }

    /**
     * A deadlock the claim is chosen to break (here with a claimant that does not keep key order: none of the module's
     * statements, but the claim must not depend on every writer of the table keeping it) rolls the claim back whole;
     * it is run again and answers from what the other claimant committed. The claim holds k-m and waits for k-z; the
     * other then waits for k-m: after the claim's deadlock_timeout (1 s; the other's is 10 s), PostgreSQL aborts the
     * claim, and the other's insert goes through.
     */
    @Test
    void aClaimChosenToBreakADeadlockIsRunAgain() throws Exception {
        String org = "org-deadlock";
        assertThat(claimWhileTheOtherTakes(org, "10s", "k-z", "k-m", "k-m", "k-z"))
                .extracting(SendClaims.Claim::kind)
                .containsExactly(SendClaims.Kind.IN_PROGRESS, SendClaims.Kind.IN_PROGRESS);
        assertThat(db.queryLong("select count(*) from senders_sends where organization_id = '" + org
                + "' and claim_token = 'other'")).isEqualTo(2);
    }

    /**
     * The other claimant (a transaction of the test's, with {@code deadlockTimeout}) claims {@code first}; a claim of
     * {@code claimed} (in that order) starts and waits for a row; the other then claims {@code second} and commits.
     * What the claim answers.
     */
    private static List<SendClaims.Claim> claimWhileTheOtherTakes(String org, String deadlockTimeout, String first,
                                                                  String second, String... claimed) throws Exception {
        try (Connection other = db.simple().getConnection()) {
            other.setAutoCommit(false);
            run(other, "set local deadlock_timeout = '" + deadlockTimeout + "'");
            hold(other, org, first);
            CompletableFuture<List<SendClaims.Claim>> claim = CompletableFuture.supplyAsync(() ->
                    claims.claim(ProviderName.RESEND, SendClaims.newToken(),
                            java.util.Arrays.stream(claimed).map(key -> outgoing(org, key)).toList()));
            awaitWaiting();
            hold(other, org, second);
            other.commit();
            return claim.get(20, TimeUnit.SECONDS);
        }
    }

    /**
     * A mark before the request leaves locks its rows in key order too: the other claimant (here a claim from another
     * instance, which locks a row it finds held) holds k-m and is about to lock k-z.
     */
    @Test
    void aMarkLocksItsRowsInKeyOrder() throws Exception {
        String org = "org-mark";
        List<SendClaims.Outgoing> batch = claimedZThenM(org);
        String token = tokenOf(org);
        whileTheOtherHoldsKM(org, () -> claims.dispatching(token, batch, "req-1"));
        assertThat(db.queryLong("select count(*) from senders_sends where organization_id = '" + org
                + "' and request_key = 'req-1'")).isEqualTo(2);
    }

    /** So does the record of the outcomes. */
    @Test
    void aRecordLocksItsRowsInKeyOrder() throws Exception {
        String org = "org-record";
        List<SendClaims.Outgoing> batch = claimedZThenM(org);
        String token = tokenOf(org);
        whileTheOtherHoldsKM(org, () -> claims.record(token, batch, batch.stream()
                .map(o -> SendResult.sent(ProviderName.SES, "id-" + o.message().to(), null)).toList()));
        assertThat(db.queryLong("select count(*) from senders_sends where organization_id = '" + org
                + "' and status = 'sent' and message_id like 'id-%'")).isEqualTo(2);
    }

    /**
     * k-z and k-m, claimed by one send, k-z's row first (the table holds rows in no key order; a claim would insert
     * k-m first).
     */
    private static List<SendClaims.Outgoing> claimedZThenM(String org) throws SQLException {
        List<SendClaims.Outgoing> batch = List.of(outgoing(org, "k-z"), outgoing(org, "k-m"));
        try (Connection c = db.simple().getConnection()) {
            for (SendClaims.Outgoing o : batch) {
                insert(c, org, o.message().idempotencyKey(), "mine-" + org);
            }
        }
        return batch;
    }

    private static String tokenOf(String org) {
        return "mine-" + org;
    }

    /** Runs {@code action} while another transaction holds k-m, then has that one lock k-z and commit. */
    private static void whileTheOtherHoldsKM(String org, Runnable action) throws Exception {
        try (Connection other = db.simple().getConnection()) {
            other.setAutoCommit(false);
            run(other, "set local deadlock_timeout = '20ms'");
            lock(other, org, "k-m");
            CompletableFuture<Void> running = CompletableFuture.runAsync(action);
            awaitWaiting();
            lock(other, org, "k-z");
            other.commit();
            running.get(10, TimeUnit.SECONDS);
        }
    }

    private static void lock(Connection other, String org, String key) throws SQLException {
        try (PreparedStatement lock = other.prepareStatement(
                "select 1 from senders_sends where organization_id = ? and idempotency_key = ? for update")) {
            lock.setString(1, org);
            lock.setString(2, key);
            lock.executeQuery().close();
        }
    }

    private static SendClaims.Outgoing outgoing(String org, String key) {
        return new SendClaims.Outgoing(EmailMessage.builder().organizationId(org).to(key + "@example.org")
                .from("news@acme.com").subject("Hi").text("Hi").idempotencyKey(key).build(), "news@acme.com");
    }

    /** The other claimant's claim of one key, left uncommitted. */
    private static void hold(Connection other, String org, String key) throws SQLException {
        insert(other, org, key, "other");
    }

    private static void insert(Connection c, String org, String key, String token) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                insert into senders_sends (idempotency_key, organization_id, recipient, from_address, provider,
                                           status, claim_token, claimed_at)
                values (?, ?, ?, 'news@acme.com', 'resend', 'sending', ?, clock_timestamp())""")) {
            insert.setString(1, key);
            insert.setString(2, org);
            insert.setString(3, key + "@example.org");
            insert.setString(4, token);
            insert.executeUpdate();
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Until the claim's statement waits for a row lock. */
    private static void awaitWaiting() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (db.queryLong("select count(*) from pg_stat_activity where application_name = '" + application
                + "' and wait_event_type = 'Lock'") == 0) {
            assertThat(System.nanoTime()).as("the claim waiting for the other claimant's row").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
