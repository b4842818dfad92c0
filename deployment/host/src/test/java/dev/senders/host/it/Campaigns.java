package dev.senders.host.it;

import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.SesStub;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.net.URL;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The host's campaigns as the end-to-end tests drive and inspect them (moved out of CampaignsIT so that the fault
 * suite shares them): creating and starting one through the host's API, a verified default sender, the items as the
 * database holds them, and what the stub providers received for them.
 */
public final class Campaigns {

    public static final Duration DONE_WITHIN = Duration.ofSeconds(90);

    private Campaigns() {
    }

    /** Creates a draft campaign through the host's API (as its Analytics page does); 201 expected. */
    public static JsonObject create(Api as, String from, String subject, List<String> recipients) {
        JsonArrayBuilder to = Json.createArrayBuilder();
        recipients.forEach(to::add);
        String body = Json.createObjectBuilder()
                .add("name", "Campaign " + UUID.randomUUID().toString().substring(0, 6))
                .add("senderEmail", from)
                .add("senderName", "Newsletter")
                .add("subject", subject)
                .add("html", "<p>Hello</p>")
                .add("recipients", to)
                .build().toString();
        Api.Reply reply = as.post("host-api/campaigns", body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json();
    }

    /** One row of campaign_items. */
    public record Item(long id, String recipient, String status, String providerUsed, String messageId, Timestamp sentAt,
                String error, String warning, int attempts) {
    }

    public static long start(Api as, JsonObject campaign) {
        long id = campaign.getJsonNumber("id").longValue();
        Api.Reply reply = as.post("host-api/campaigns/" + id + "/start", "{}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().getString("status")).isEqualTo("sending");
        return id;
    }

    public static long startAndAwait(Api as, JsonObject campaign) {
        long id = start(as, campaign);
        awaitSent(id);
        return id;
    }

    public static void awaitSent(long id) {
        await().atMost(DONE_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> "sent".equals(campaignStatus(id)));
    }

    /** Adds a sender, has the stub SES verify its domain, verifies it and makes it the default. */
    public static long verifiedDefault(Api as, String email) {
        long id = senderId(as, email);
        TestEnvironment.ses().verifyDomain(email.substring(email.indexOf('@') + 1));
        Api.Reply verified = as.post("api/senders/" + id + "/verify", "");
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().getJsonObject("sender").getString("verificationStatus")).isEqualTo("verified");
        Api.Reply set = as.post("api/senders/" + id + "/set-default", "");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return id;
    }

    public static long senderId(Api as, String email) {
        Api.Reply reply = as.post("api/senders", "{\"emailAddress\":\"" + email + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().getJsonObject("sender").getJsonNumber("id").longValue();
    }

    /** What the Resend stub accepted for these items (matched by recipient: a batch carries one key for all). */
    public static List<ResendStub.SentEmail> resendEmailsOf(Collection<Item> items) {
        List<String> recipients = items.stream().map(Item::recipient).toList();
        return TestEnvironment.resend().sentEmails().stream()
                .filter(e -> !e.to().isEmpty() && recipients.contains(e.to().get(0))).toList();
    }

    public static List<SesStub.SentMessage> sesMessagesTo(Collection<Item> items) {
        List<String> recipients = items.stream().map(Item::recipient).toList();
        return TestEnvironment.ses().sentMessages().stream().filter(m -> recipients.contains(m.to().get(0))).toList();
    }

    public static String campaignStatus(long id) {
        return query("select status from campaigns where id = " + id, rs -> rs.getString(1)).get(0);
    }

    public static List<Item> items(long campaignId) {
        return query("select id, recipient, status, provider_used, message_id, sent_at, error, warning, attempts"
                + " from campaign_items where campaign_id = " + campaignId + " order by id", rs -> new Item(
                rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getTimestamp(6), rs.getString(7), rs.getString(8), rs.getInt(9)));
    }

    public interface Row<T> {
        T read(java.sql.ResultSet rs) throws SQLException;
    }

    public static <T> List<T> query(String sql, Row<T> row) {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.read(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void sql(String statement) {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A metric's value at a server's /metrics ({@code serverRoot}: the server's root URL), summed over the series of
     * {@code name} whose labels match {@code labels} (regex lookaheads, or "" for all); 0 when there is none.
     */
    public static double metric(URL serverRoot, String name, String labels) {
        Api root = Api.anonymous(serverRoot);
        String metrics = root.send(root.request("metrics").setHeader("Accept", "text/plain").GET()).body();
        Matcher m = Pattern.compile("(?m)^" + name + "\\{" + labels + "[^}]*} ([0-9.Ee+-]+)$").matcher(metrics);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }

    /** The most arrivals (nanoTime, sorted) within any 1-second window. */
    public static int maxInAnySecond(List<Long> sortedNanos) {
        int most = 0;
        for (int i = 0, j = 0; i < sortedNanos.size(); i++) {
            while (sortedNanos.get(i) - sortedNanos.get(j) >= 1_000_000_000L) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        return most;
    }

    /** The shortest time, in ms, between the first and the last of any {@code n} consecutive arrivals (sorted). */
    public static long tightestSpanMillis(List<Long> sortedNanos, int n) {
        long tightest = Long.MAX_VALUE;
        for (int i = 0; i + n - 1 < sortedNanos.size(); i++) {
            tightest = Math.min(tightest, sortedNanos.get(i + n - 1) - sortedNanos.get(i));
        }
        return tightest / 1_000_000;
    }
}
