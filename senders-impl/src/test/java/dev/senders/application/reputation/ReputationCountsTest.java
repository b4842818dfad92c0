package dev.senders.application.reputation;

import dev.senders.api.sending.ProviderName;
import dev.senders.application.reputation.ReputationCounts.Figures;
import dev.senders.application.reputation.ReputationCounts.Row;
import dev.senders.infrastructure.persistence.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reputation figures in a real PostgreSQL ({@link TestDatabase}, the module's migrations): the settled 15-minute
 * buckets plus the open tail give the same figures as counting every row of the window, each row once however often
 * it is evaluated, nothing older than the window, nothing before a resume.
 */
class ReputationCountsTest {

    private static final Duration WINDOW = Duration.ofDays(7);

    private static TestDatabase db;

    @BeforeAll
    static void database() {
        db = TestDatabase.start();
        try (Connection c = db.simple().getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into senders_sns_messages (message_id, type, topic_arn, sns_timestamp)"
                    + " values ('sns-test', 'Notification', 'arn', now())");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void dropDatabase() {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void bucketsAndTailCountEveryRowOfTheWindowOnce() throws SQLException {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.simple().getConnection(); Statement s = c.createStatement()) {
            // 9 days of sends through SES (every 37 minutes) and Resend (every 3 hours); a few not sent
            s.execute(sends(org, "ses", "37 minutes", 9 * 24 * 60 / 37, "sent"));
            s.execute(sends(org, "resend", "3 hours", 9 * 8, "sent"));
            s.execute(sends(org, "ses", "2 hours", 100, "failed"));
            // 9 days of events: permanent bounces every 5 hours, transient ones every 7, complaints every 11
            s.execute(events(org, "bounce", "'Permanent'", "5 hours", 9 * 24 / 5));
            s.execute(events(org, "bounce", "'Transient'", "7 hours", 9 * 24 / 7));
            s.execute(events(org, "complaint", "null", "11 hours", 9 * 24 / 11));
            // another organization's rows count for it only
            s.execute(sends("other-" + org, "ses", "1 hour", 200, "sent"));
            s.execute(events("other-" + org, "complaint", "null", "1 hour", 100));
        }

        Map<ProviderName, Figures> first = evaluate(org);
        Map<ProviderName, Figures> expected = counted(org);
        assertThat(first).isEqualTo(expected);
        assertThat(first.get(ProviderName.SES).sends()).isGreaterThan(200);
        assertThat(first.get(ProviderName.SES).permanentBounces()).isGreaterThan(20);
        assertThat(first.get(ProviderName.SES).complaints()).isGreaterThan(10);
        assertThat(buckets(org)).as("buckets filled").isGreaterThan(100);
        assertThat(oldestBucketIsInTheWindow(org)).isTrue();

        // evaluated again, with new rows in the tail: each counted once
        try (Connection c = db.simple().getConnection(); Statement s = c.createStatement()) {
            s.execute(sends(org, "ses", "1 minute", 3, "sent"));
            s.execute(events(org, "bounce", "'Permanent'", "1 minute", 2));
        }
        Map<ProviderName, Figures> second = evaluate(org);
        assertThat(second).isEqualTo(counted(org));
        assertThat(second.get(ProviderName.SES).sends()).isEqualTo(first.get(ProviderName.SES).sends() + 3);
        assertThat(evaluate(org)).isEqualTo(second);
    }

    @Test
    void afterAResumeOnlyWhatCameLaterCounts() throws SQLException {
        String org = "org-" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.simple().getConnection(); Statement s = c.createStatement()) {
            s.execute(sends(org, "ses", "10 minutes", 600, "sent"));
            s.execute(events(org, "bounce", "'Permanent'", "10 minutes", 60));
        }
        assertThat(evaluate(org).get(ProviderName.SES).permanentBounces()).isEqualTo(60);
        // resumed 62 minutes ago: the buckets filled since then hold only what came after it, the resume's own bucket
        // included (it has earlier rows too)
        Instant resumedAt;
        try (Connection c = db.simple().getConnection()) {
            c.setAutoCommit(false);
            resumedAt = ReputationCounts.now(c).minus(Duration.ofMinutes(62));
            ReputationCounts.resume(c, org, resumedAt);
            c.commit();
        }
        Map<ProviderName, Figures> resumed = evaluate(org);
        assertThat(resumed.get(ProviderName.SES)).as("the rows of the last 62 minutes").isEqualTo(new Figures(7, 7, 0));
        assertThat(resumed).isEqualTo(counted(org, resumedAt));
        assertThat(buckets(org)).as("the buckets since the resume").isGreaterThanOrEqualTo(3);
    }

    private static Map<ProviderName, Figures> evaluate(String org) throws SQLException {
        try (Connection c = db.simple().getConnection()) {
            c.setAutoCommit(false);
            Instant now = ReputationCounts.now(c);
            ReputationCounts.lock(c, org);
            Instant windowStart = ReputationCounts.bucketOf(now.minus(WINDOW));
            Row row = ReputationCounts.ensure(c, org, windowStart);
            Instant countedUntil = ReputationCounts.fill(c, org, row, now, windowStart);
            assertThat(countedUntil).isEqualTo(ReputationCounts.bucketOf(now.minus(ReputationCounts.SETTLE)));
            Map<ProviderName, Figures> figures = ReputationCounts.figures(c, org, windowStart, row.countingSince(),
                    countedUntil);
            c.commit();
            return figures;
        }
    }

    private static Map<ProviderName, Figures> counted(String org) throws SQLException {
        return counted(org, null);
    }

    /** Every row of the window (from its first bucket, or from the resume), counted directly. */
    private static Map<ProviderName, Figures> counted(String org, Instant resumedAt) throws SQLException {
        Map<ProviderName, Figures> out = new java.util.EnumMap<>(ProviderName.class);
        try (Connection c = db.simple().getConnection()) {
            Instant start = ReputationCounts.bucketOf(ReputationCounts.now(c).minus(WINDOW));
            if (resumedAt != null && resumedAt.isAfter(start)) {
                start = resumedAt;
            }
            for (ProviderName p : ProviderName.values()) {
                out.put(p, new Figures(
                        count(c, "select count(*) from senders_sends where organization_id = ? and provider = ?"
                                + " and status = 'sent' and updated_at >= ?", org, p, start),
                        count(c, "select count(*) from senders_email_events where organization_id = ? and provider = ?"
                                + " and event_type = 'bounce' and bounce_type = 'Permanent' and created_at >= ?", org, p,
                                start),
                        count(c, "select count(*) from senders_email_events where organization_id = ? and provider = ?"
                                + " and event_type = 'complaint' and created_at >= ?", org, p, start)));
            }
        }
        return out;
    }

    private static long count(Connection c, String sql, String org, ProviderName p, Instant start)
            throws SQLException {
        try (var s = c.prepareStatement(sql)) {
            s.setString(1, org);
            s.setString(2, p.wire());
            s.setObject(3, ReputationCounts.utc(start));
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long buckets(String org) throws SQLException {
        try (Connection c = db.simple().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select count(*) from senders_reputation_counts where organization_id = '"
                     + org + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean oldestBucketIsInTheWindow(String org) throws SQLException {
        try (Connection c = db.simple().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select min(bucket_start) >= now() - interval '7 days 15 minutes'"
                     + " from senders_reputation_counts where organization_id = '" + org + "'")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** {@code n} sends, one every {@code every} back from now. */
    private static String sends(String org, String provider, String every, int n, String status) {
        return "insert into senders_sends (organization_id, recipient, from_address, provider, message_id, status,"
                + " created_at, updated_at) select '" + org + "', 'r' || g || '@inbox.net', 'n@x.net', '" + provider
                + "', '" + org + provider + status + every + "' || g, '" + status + "', t, t from (select g, now() - g"
                + " * interval '" + every + "' as t from generate_series(0, " + (n - 1) + ") g) x";
    }

    /** {@code n} events, one every {@code every} back from now. */
    private static String events(String org, String type, String bounceType, String every, int n) {
        return "insert into senders_email_events (sns_message_id, event_type, ses_message_id, organization_id,"
                + " recipient, bounce_type, occurred_at, created_at) select 'sns-test', '" + type + "', 'm' || g,"
                + " '" + org + "', 'r' || g || '@inbox.net', " + bounceType + ", t, t from (select g, now() - g"
                + " * interval '" + every + "' as t from generate_series(0, " + (n - 1) + ") g) x";
    }
}
