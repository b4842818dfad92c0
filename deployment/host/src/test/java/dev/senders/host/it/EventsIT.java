package dev.senders.host.it;

import dev.senders.sandbox.TestKeys;
import dev.senders.sandbox.SesStub;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import dev.senders.sandbox.sns.SnsPki;
import dev.senders.sandbox.sns.SnsMessage;
import dev.senders.sandbox.sns.SnsCertificateHost;

import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.senders.host.it.SesEvents.bounce;
import static dev.senders.host.it.SesEvents.click;
import static dev.senders.host.it.SesEvents.complaint;
import static dev.senders.host.it.SesEvents.delivery;
import static dev.senders.host.it.SesEvents.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 6 on the deployed module: the signed SNS webhook for SES events, the suppression list and its API, the events
 * the host records, and the organizations' SES configuration sets.
 *
 * <p>SNS is played by the test: a throw-away CA and an SNS-like signing certificate (CN and DNS name
 * {@code sns.amazonaws.com}) made with the JDK's {@code keytool}, served over TLS by a local https server on
 * 127.0.0.1, which the module trusts only through its test-only setting ({@code senders.sns.test.trusted-cert-host}
 * and a trust store holding the test CA, see {@link TestEnvironment#sns()}); every other rule is production's.
 * Messages are signed here, with the string to sign built from AWS's documentation.
 */
@ExtendWith(ArquillianExtension.class)
class EventsIT {

    private static final String WEBHOOK = "api/webhooks/ses-events";

    private static SnsPki pki;
    private static SnsCertificateHost sns;

    @ArquillianResource
    URL base;

    private TestUsers.User user;
    private Api api;
    private Api anonymous;
    private String tag;

    @BeforeAll
    static void startSns() {
        pki = SnsFixtures.pki();
        sns = SnsFixtures.host();
    }

    @BeforeEach
    void freshOrganization() {
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
        anonymous = Api.anonymous(base);
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    // ------------------------------------------------------------------ the webhook's checks

    @Test
    void validVersion1AndVersion2NotificationsAreRecorded() {
        String recipient = "ann-" + tag + "@inbox-" + tag + ".net";
        String v1Message = sent(user.organizationId(), "41", recipient);
        String v2Message = sent(user.organizationId(), "41", recipient);
        SnsMessage v1 = SnsFixtures.notification(delivery(v1Message, recipient)).with(m -> m.signatureVersion = "1");
        SnsMessage v2 = SnsFixtures.notification(delivery(v2Message, recipient)).with(m -> {
            m.signatureVersion = "2";
            m.subject = "Amazon SES Email Event Notification";
        });

        for (SnsMessage m : List.of(v1, v2)) {
            Api.Reply reply = post(m);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            assertThat(reply.json().getString("outcome")).isEqualTo("accepted");
            assertThat(count("select count(*) from senders_sns_messages where message_id = '" + m.messageId + "'"))
                    .isEqualTo(1);
        }
        assertThat(count("select count(*) from senders_email_events where event_type = 'delivery'"
                + " and organization_id = '" + user.organizationId() + "' and campaign_id = '41'"
                + " and recipient = '" + recipient + "'")).isEqualTo(2);
        assertThat(hostEvents("delivered")).isEqualTo(2);
    }

    @Test
    void aForgedSignatureIsRefusedAndNothingIsStored() {
        String messageId = sent(user.organizationId(), null, "x@inbox-" + tag + ".net");
        SnsMessage genuine = SnsFixtures.notification(bounce(messageId, "x@inbox-" + tag + ".net", "Transient"));
        String signature = pki.sign(genuine.stringToSign(), "2");
        // an attacker turns a transient bounce into a permanent one
        SnsMessage forged = genuine.with(m -> m.message = bounce(messageId, "x@inbox-" + tag + ".net", "Permanent"));
        Api.Reply reply = post(forged.type, forged.body(signature));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getString("type")).endsWith("sns-signature-invalid");
        assertThat(storedMessages(forged.messageId)).isZero();
        assertThat(suppressions("x@inbox-" + tag + ".net")).isZero();
        // signed with a key of its own
        SnsMessage ownKey = SnsFixtures.notification(delivery(messageId, "x@inbox-" + tag + ".net"));
        Api.Reply selfSigned = post(ownKey.type, ownKey.body(dev.senders.sandbox.TestKeys.snsSignature(ownKey.stringToSign(), "2", pki.tlsKey())));
        assertThat(selfSigned.status()).isEqualTo(403);
        assertThat(storedMessages(ownKey.messageId)).isZero();
    }

    @Test
    void anotherTopicIsRefusedWith403AndNothingIsStoredOrFetched() {
        String certificate = "/topic-" + tag + ".pem";
        sns.serve(certificate, 200, pki.signerPem());
        SnsMessage other = SnsFixtures.notification(delivery("m-" + tag, "a@b-" + tag + ".net")).with(m -> {
            m.topicArn = "arn:aws:sns:ap-southeast-1:123456789012:someone-elses-topic";
            m.signingCertUrl = sns.url(certificate);
        });
        Api.Reply reply = post(other);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
        assertThat(reply.json().getString("type")).endsWith("sns-topic-not-allowed");
        assertThat(storedMessages(other.messageId)).isZero();
        assertThat(sns.requests()).noneMatch(r -> r.contains(certificate));
    }

    @Test
    void anHttpOrOffHostCertificateUrlIsRefusedAndNeverFetched() {
        String certificate = "/offhost-" + tag + ".pem";
        sns.serve(certificate, 200, pki.signerPem());
        for (String url : List.of("http://127.0.0.1:" + sns.port() + certificate,
                "https://localhost:" + sns.port() + certificate,
                "https://sns.ap-southeast-1.amazonaws.com.evil.example" + certificate,
                sns.url("/offhost-" + tag + ".txt"))) {
            SnsMessage m = SnsFixtures.notification(delivery("m-" + tag, "a@b-" + tag + ".net")).with(x -> x.signingCertUrl = url);
            Api.Reply reply = post(m);
            assertThat(reply.status()).as(url + ": " + reply).isEqualTo(403);
            assertThat(reply.json().getString("type")).endsWith("sns-certificate-url");
            assertThat(storedMessages(m.messageId)).isZero();
        }
        assertThat(sns.requests()).noneMatch(r -> r.contains("offhost-" + tag));
    }

    @Test
    void aSubscriptionIsConfirmedOnlyOnTheSnsHostOfTheTopic() {
        String token = "token-" + tag;
        String query = "?Action=ConfirmSubscription&TopicArn=" + TestEnvironment.sns().topicArn() + "&Token=" + token;
        // off-host (the same local server under another name): refused, never fetched
        SnsMessage offHost = SnsFixtures.confirmation("https://localhost:" + sns.port() + "/" + query, token);
        Api.Reply refused = post(offHost);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().getString("type")).endsWith("sns-subscribe-url");
        assertThat(sns.requests()).noneMatch(r -> r.contains(token));
        assertThat(storedMessages(offHost.messageId)).isZero();

        // on the topic's SNS host (here, the trusted test host): confirmed by one GET, once
        SnsMessage onHost = SnsFixtures.confirmation(sns.url("/" + query), token);
        Api.Reply confirmed = post(onHost);
        assertThat(confirmed.status()).as(confirmed.toString()).isEqualTo(200);
        assertThat(confirmed.json().getString("outcome")).isEqualTo("confirmed");
        assertThat(post(onHost).json().getString("outcome")).isEqualTo("duplicate");
        assertThat(sns.requests()).filteredOn(r -> r.contains(token)).containsExactly("GET /" + query);
    }

    @Test
    void aReplayIsAcceptedOnceAndChangesNothing() {
        String recipient = "replay-" + tag + "@inbox-" + tag + ".net";
        String messageId = sent(user.organizationId(), "7", recipient);
        SnsMessage m = SnsFixtures.notification(complaint(messageId, recipient));
        String body = m.body(pki);
        Api.Reply first = post(m.type, body);
        Api.Reply again = post(m.type, body);
        assertThat(first.json().getString("outcome")).isEqualTo("accepted");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("outcome")).isEqualTo("duplicate");
        assertThat(storedMessages(m.messageId)).isEqualTo(1);
        assertThat(count("select count(*) from senders_email_events where sns_message_id = '" + m.messageId + "'"))
                .isEqualTo(1);
        assertThat(suppressions(recipient)).isEqualTo(1);
        assertThat(hostEvents("complained")).isEqualTo(1);
    }

    @Test
    void theWebhookTakesOnlyPostAndAnswersInJson() {
        Api.Reply get = anonymous.send(anonymous.request(WEBHOOK).GET());
        assertThat(get.status()).as(get.toString()).isEqualTo(405);
        assertThat(get.header("Allow")).isEqualTo("POST");
        assertThat(get.contentType()).startsWith("application/problem+json");
        assertThat(get.json().getString("instance")).isEqualTo("/" + WEBHOOK);
        assertThat(get.header("Cache-Control")).as("the API's headers on the webhook too").isEqualTo("no-store");

        SnsMessage m = SnsFixtures.notification(delivery("m-" + tag, "a@b-" + tag + ".net"));
        Api.Reply accepted = post(m);
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.contentType()).startsWith("application/json");
        assertThat(accepted.json().getString("outcome")).isEqualTo("accepted");
        assertThat(post(m).json().getString("outcome")).isEqualTo("duplicate");
    }

    @Test
    void aDeliveryCutOffMidBodyStoresAndClaimsNothingSoItsRetryIsAccepted() throws Exception {
        SnsMessage m = SnsFixtures.notification(delivery("m-" + tag, "a@b-" + tag + ".net"));
        byte[] whole = m.body(pki).getBytes(StandardCharsets.UTF_8);
        String reply;
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST " + base.getPath() + WEBHOOK + " HTTP/1.1\r\nHost: " + base.getHost() + "\r\n"
                    + "Content-Type: text/plain; charset=UTF-8\r\nx-amz-sns-message-type: Notification\r\n"
                    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + Integer.toHexString(whole.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(whole, 0, whole.length / 2);   // half of the chunk it announced, then the client is gone
            out.flush();
            socket.shutdownOutput();
            reply = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
        // the server answers a client that is gone with nothing, or with a refusal; never as if it were stored
        assertThat(reply).satisfiesAnyOf(r -> assertThat(r).isEmpty(), r -> assertThat(r).startsWith("HTTP/1.1 4"));
        assertThat(storedMessages(m.messageId)).isZero();
        // and nothing of it was claimed: SNS's retry of the same message is stored, not taken for a duplicate
        Api.Reply retry = post(m);
        assertThat(retry.status()).as(retry.toString()).isEqualTo(200);
        assertThat(retry.json().getString("outcome")).isEqualTo("accepted");
        assertThat(storedMessages(m.messageId)).isEqualTo(1);
    }

    @Test
    void anOldMessageIsRefusedWith400() {
        SnsMessage old = SnsFixtures.notification(delivery("m-" + tag, "a@b-" + tag + ".net"))
                .with(m -> m.timestamp = Instant.now().minus(Duration.ofMinutes(61)).toString());
        Api.Reply reply = post(old);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().getString("type")).endsWith("sns-message-too-old");
        assertThat(storedMessages(old.messageId)).isZero();
        // and a body that is not SNS's
        assertThat(post("Notification", "{\"hello\":\"world\"}").status()).isEqualTo(400);
        assertThat(post("Notification", "not json").status()).isEqualTo(400);
    }

    @Test
    void aBurstOf1000NotificationsWithDuplicatesStoresExactlyTheDistinctOnes() throws Exception {
        int distinct = 700;
        List<SnsMessage> messages = new ArrayList<>();
        List<String> sesIds = new ArrayList<>();
        for (int i = 0; i < distinct; i++) {
            String recipient = "burst" + i + "-" + tag + "@inbox-" + tag + ".net";
            String sesId = "burst-" + tag + "-" + i;
            sesIds.add(sesId);
            SnsMessage m = SnsFixtures.notification(delivery(sesId, recipient));
            m.messageId = "burst-" + tag + "-" + UUID.randomUUID();
            messages.add(m);
        }
        sentInBulk(user.organizationId(), "burst", sesIds);
        List<String> bodies = new ArrayList<>(messages.stream().map(m -> m.body(pki)).toList());
        Random random = new Random(42);
        for (int i = 0; i < 1000 - distinct; i++) {
            bodies.add(bodies.get(random.nextInt(distinct)));
        }
        Collections.shuffle(bodies, random);

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Api.Reply>> replies = new ArrayList<>();
        try {
            for (String body : bodies) {
                replies.add(pool.submit(() -> post("Notification", body)));
            }
            Map<String, Long> outcomes = new java.util.HashMap<>();
            for (Future<Api.Reply> f : replies) {
                Api.Reply reply = f.get(2, TimeUnit.MINUTES);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                outcomes.merge(reply.json().getString("outcome"), 1L, Long::sum);
            }
            assertThat(outcomes).containsEntry("accepted", (long) distinct).containsEntry("duplicate",
                    (long) (1000 - distinct));
        } finally {
            pool.shutdownNow();
        }
        String prefix = "'burst-" + tag + "-%'";
        assertThat(count("select count(*) from senders_sns_messages where message_id like " + prefix))
                .isEqualTo(distinct);
        assertThat(count("select count(distinct sns_message_id) from senders_email_events where sns_message_id like "
                + prefix)).isEqualTo(distinct);
        assertThat(count("select count(*) from senders_email_events where sns_message_id like " + prefix))
                .isEqualTo(distinct);
        assertThat(hostEvents("delivered")).as("the host heard of each, once").isEqualTo(distinct);
    }

    /**
     * Notifications arriving at once are written together; each is still recorded for its own send's organization
     * and recipient (opens and clicks name none: it is their send's), whatever else shares its batch: deliveries,
     * opens, clicks and transient bounces of two organizations, messages that are not ours, and repeats.
     */
    @Test
    void concurrentNotificationsOfEveryKindAreEachRecordedForTheirOwnSend() throws Exception {
        TestUsers.User other = TestUsers.inNewOrganization();
        List<String> kinds = List.of("delivery", "open", "click", "bounce");
        List<SnsMessage> messages = new ArrayList<>();
        Map<String, Long> expected = new java.util.HashMap<>();
        for (int i = 0; i < 120; i++) {
            String org = i % 2 == 0 ? user.organizationId() : other.organizationId();
            String recipient = "mix" + i + "-" + tag + "@inbox-" + tag + ".net";
            String sesId = sent(org, "mix", recipient);
            String kind = kinds.get(i % kinds.size());
            String event = switch (kind) {
                case "delivery" -> delivery(sesId, recipient);
                case "open" -> open(sesId);
                case "click" -> click(sesId, "https://acme.example/" + i);
                default -> bounce(sesId, recipient, "Transient");
            };
            messages.add(SnsFixtures.notification(event).with(m -> m.messageId = "mix-" + tag + "-" + m.messageId));
            expected.merge(org + "|" + kind, 1L, Long::sum);
        }
        for (int i = 0; i < 10; i++) {
            String notOurs = "not-ours-" + tag + "-" + i;
            messages.add(SnsFixtures.notification(delivery(notOurs, "who" + i + "@inbox-" + tag + ".net"))
                    .with(m -> m.messageId = "mix-" + tag + "-" + m.messageId));
        }
        List<String> bodies = new ArrayList<>(messages.stream().map(m -> m.body(pki)).toList());
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            bodies.add(bodies.get(random.nextInt(messages.size())));
        }
        Collections.shuffle(bodies, random);

        ExecutorService pool = Executors.newFixedThreadPool(16);
        Map<String, Long> outcomes = new java.util.HashMap<>();
        try {
            List<Future<Api.Reply>> replies = new ArrayList<>();
            for (String body : bodies) {
                replies.add(pool.submit(() -> post("Notification", body)));
            }
            for (Future<Api.Reply> f : replies) {
                Api.Reply reply = f.get(2, TimeUnit.MINUTES);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                outcomes.merge(reply.json().getString("outcome"), 1L, Long::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes).containsEntry("accepted", (long) messages.size()).containsEntry("duplicate", 40L);

        String ours = "e.sns_message_id like 'mix-" + tag + "-%' and e.ses_message_id not like 'not-ours-%'";
        assertThat(count("select count(*) from senders_email_events e where " + ours)).isEqualTo(120);
        assertThat(count("select count(*) from senders_email_events e join senders_sends s"
                + " on s.message_id = e.ses_message_id where " + ours + " and e.organization_id = s.organization_id"
                + " and e.campaign_id = 'mix' and e.recipient = s.recipient")).as("each for its own send").isEqualTo(120);
        assertThat(count("select count(*) from senders_email_events e where e.sns_message_id like 'mix-" + tag
                + "-%' and e.ses_message_id like 'not-ours-%' and e.organization_id is null")).isEqualTo(10);
        assertThat(count("select count(*) from senders_sns_messages where message_id like 'mix-" + tag + "-%'"))
                .isEqualTo(messages.size());
        Map<String, String> hostKind = Map.of("delivery", "delivered", "open", "opened", "click", "clicked",
                "bounce", "bounced");
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            String[] orgAndKind = e.getKey().split("\\|");
            assertThat(count("select count(*) from email_events where organization_id = '" + orgAndKind[0]
                    + "' and campaign_id = 'mix' and kind = '" + hostKind.get(orgAndKind[1]) + "'"))
                    .as("the host heard " + e.getKey() + " once each").isEqualTo(e.getValue());
        }
    }

    /** Where a notification's time goes: the webhook's stage timers, as an operator reads them at /metrics. */
    @Test
    void eachNotificationIsTimedByStage() {
        List<String> stages = List.of("parse", "verify", "store", "events");
        Map<String, Double> before = stages.stream().collect(Collectors.toMap(s -> s, this::webhookStageCount));
        String recipient = "timed-" + tag + "@inbox-" + tag + ".net";
        SnsMessage m = SnsFixtures.notification(delivery(sent(user.organizationId(), "t", recipient), recipient));
        assertThat(post(m).json().getString("outcome")).isEqualTo("accepted");
        assertThat(post(m).json().getString("outcome")).isEqualTo("duplicate");
        // the accepted one went through every stage, the duplicate through all but the host's events
        assertThat(webhookStageCount("parse") - before.get("parse")).isGreaterThanOrEqualTo(2);
        assertThat(webhookStageCount("verify") - before.get("verify")).isGreaterThanOrEqualTo(2);
        assertThat(webhookStageCount("store") - before.get("store")).isGreaterThanOrEqualTo(2);
        assertThat(webhookStageCount("events") - before.get("events")).isGreaterThanOrEqualTo(1);
        assertThat(metric("senders_webhook_stage_seconds_sum", "(?=[^}]*stage=\"store\")")).isPositive();
    }

    private double webhookStageCount(String stage) {
        return metric("senders_webhook_stage_seconds_count", "(?=[^}]*stage=\"" + stage + "\")");
    }

    private double metric(String name, String labels) {
        try {
            return Campaigns.metric(new URL(base, "/"), name, labels);
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ the epic's checks

    @Test
    void v3_9_aPermanentBounceSuppressesTheAddress() {
        String gone = "gone-" + tag + "@inbox-" + tag + ".net";
        String full = "full-" + tag + "@inbox-" + tag + ".net";
        Api.Reply reply = post(SnsFixtures.notification(bounce(sent(user.organizationId(), "91", gone), gone, "Permanent")));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        post(SnsFixtures.notification(bounce(sent(user.organizationId(), "91", full), full, "Transient")));

        // platform-wide: the address does not exist, whoever sends
        JsonObject mine = only(api, gone);
        assertThat(mine.getString("scope")).isEqualTo("platform");
        assertThat(mine.getString("type")).isEqualTo("bounce");
        assertThat(mine.getString("reason")).contains("Permanent bounce").contains("550 5.1.1");
        assertThat(mine.getString("campaignId")).isEqualTo("91");
        JsonObject theirs = only(Api.as(base, TestUsers.inNewOrganization()), gone);
        assertThat(theirs.getString("scope")).isEqualTo("platform");
        assertThat(theirs.isNull("campaignId")).as("another organization's campaign is not shown").isTrue();
        assertThat(count("select count(*) from senders_suppressions where email = '" + gone + "'"
                + " and organization_id is null")).isEqualTo(1);

        // a transient bounce is recorded only
        assertThat(suppressions(full)).isZero();
        assertThat(count("select count(*) from senders_email_events where recipient = '" + full + "'"
                + " and bounce_type = 'Transient'")).isEqualTo(1);
        // the organization came from our send record, not from the payload's tags (which name someone else)
        assertThat(count("select count(*) from senders_email_events where recipient = '" + gone + "'"
                + " and organization_id = '" + user.organizationId() + "'")).isEqualTo(1);
    }

    @Test
    void v3_10_sendingToASuppressedAddressGivesStatusSuppressedAndNothingReachesSes() {
        String domain = "suppress-" + tag + ".com";
        verifiedDefault("news@" + domain);
        String suppressed = "gone-" + tag + "@inbox-" + tag + ".net";
        String fine = "fine-" + tag + "@inbox-" + tag + ".net";
        post(SnsFixtures.notification(bounce(sent(user.organizationId(), null, suppressed), suppressed, "Permanent")));
        // the organization's configuration set exists before the campaign, so its messages publish their events
        String configurationSet = "senders-" + user.organizationId();
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from senders where organization_id = '"
                + user.organizationId() + "' and configuration_set_name = '" + configurationSet + "'") == 1);

        long campaign = startCampaign("news@" + domain, List.of(suppressed, fine));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> "sent".equals(
                query("select status from campaigns where id = " + campaign, rs -> rs.getString(1)).get(0)));

        Map<String, String> items = query("select recipient, status from campaign_items where campaign_id = "
                + campaign, rs -> Map.entry(rs.getString(1), rs.getString(2))).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(items).containsEntry(suppressed, "suppressed").containsEntry(fine, "sent");
        List<SesStub.SentMessage> sesMessages = TestEnvironment.ses().sentMessages().stream()
                .filter(m -> m.to().contains(suppressed) || m.to().contains(fine)).toList();
        assertThat(sesMessages).singleElement().satisfies(m -> {
            assertThat(m.to()).containsExactly(fine);
            assertThat(m.configurationSet()).isEqualTo(configurationSet);
        });
        assertThat(query("select status from senders_sends where recipient = '" + suppressed + "' and campaign_id = '"
                + campaign + "'", rs -> rs.getString(1))).containsExactly("suppressed");
    }

    @Test
    void v3_11_theHostRecordsEveryEmailEventInItsEmailEventsTable() {
        String recipient = "events-" + tag + "@inbox-" + tag + ".net";
        String messageId = sent(user.organizationId(), "311", recipient);
        for (String message : List.of(bounce(messageId, recipient, "Transient"), complaint(messageId, recipient),
                delivery(messageId, recipient), open(messageId), click(messageId, "https://acme.example/offer"))) {
            Api.Reply reply = post(SnsFixtures.notification(message));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        }
        // an event for a message the module did not send tells the host nothing
        post(SnsFixtures.notification(delivery("not-ours-" + tag, recipient)));

        List<String> rows = query("select kind || '|' || campaign_id || '|' || message_id || '|' || recipient"
                + " || '|' || coalesce(detail, '') from email_events where organization_id = '" + user.organizationId()
                + "' order by kind", rs -> rs.getString(1));
        String common = "|311|" + messageId + "|" + recipient + "|";
        assertThat(rows).containsExactly(
                "bounced" + common + "Transient/General: smtp; 550 5.1.1 user unknown",
                "clicked" + common + "https://acme.example/offer",
                "complained" + common + "abuse",
                "delivered" + common,
                "opened" + common);
        assertThat(count("select count(*) from email_events where message_id = 'not-ours-" + tag + "'")).isZero();
    }

    // ------------------------------------------------------------------ the suppression API

    @Test
    void suppressionsArePagedSearchableScopedAndUnsuppressingIsAudited() {
        List<String> complainers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String r = "c" + i + "-" + tag + "@inbox-" + tag + ".net";
            complainers.add(r);
            post(SnsFixtures.notification(complaint(sent(user.organizationId(), "5", r), r)));
        }
        String bounced = "b-" + tag + "@inbox-" + tag + ".net";
        post(SnsFixtures.notification(bounce(sent(user.organizationId(), "5", bounced), bounced, "Permanent")));

        JsonObject page = api.get("api/suppressions?page=1&size=2&q=" + tag).json();
        assertThat(page.getJsonNumber("total").longValue()).isEqualTo(4);
        assertThat(page.getJsonArray("items")).hasSize(2);
        assertThat(page.getJsonArray("items").getJsonObject(0).getString("email")).isEqualTo(bounced);
        JsonObject searched = api.get("api/suppressions?q=C1-" + tag.toUpperCase()).json();
        assertThat(searched.getJsonNumber("total").longValue()).isEqualTo(1);
        JsonObject complaintEntry = searched.getJsonArray("items").getJsonObject(0);
        assertThat(complaintEntry.getString("scope")).isEqualTo("organization");
        assertThat(complaintEntry.getString("type")).isEqualTo("complaint");
        assertThat(complaintEntry.getString("createdAt")).isNotBlank();
        assertThat(api.get("api/suppressions?q=%25").json().getJsonNumber("total").longValue())
                .as("a LIKE wildcard is taken literally").isZero();
        long complaintId = complaintEntry.getJsonNumber("id").longValue();
        long bounceId = page.getJsonArray("items").getJsonObject(0).getJsonNumber("id").longValue();

        // another organization sees none of them by searching, the platform-wide bounce only when it asks about that
        // very address (issue 16, TenantWallsIT), and cannot touch the complaint
        Api stranger = Api.as(base, TestUsers.inNewOrganization());
        assertThat(stranger.get("api/suppressions?q=" + tag).json().getJsonNumber("total").longValue()).isZero();
        assertThat(stranger.get("api/suppressions?q=" + bounced).json().getJsonNumber("total").longValue())
                .isEqualTo(1);
        assertThat(stranger.delete("api/suppressions/" + complaintId).status()).isEqualTo(404);
        assertThat(api.delete("api/suppressions/" + bounceId).status()).as("platform-wide: admins only")
                .isEqualTo(403);
        assertThat(api.delete("api/suppressions/not-a-number").status()).isEqualTo(404);

        // the organization unsuppresses its own complaint: gone, audited, and sending to it is allowed again
        Api.Reply removed = api.delete("api/suppressions/" + complaintId);
        assertThat(removed.status()).as(removed.toString()).isEqualTo(204);
        assertThat(api.delete("api/suppressions/" + complaintId).status()).isEqualTo(404);
        assertThat(api.get("api/suppressions?q=" + tag).json().getJsonNumber("total").longValue()).isEqualTo(3);
        assertThat(query("select actor || '|' || organization_id || '|' || action || '|' || target_id"
                + " from senders_audit where target_type = 'suppression' and target_id = '" + complaintId + "'",
                rs -> rs.getString(1))).containsExactly(user.name() + "|" + user.organizationId()
                + "|suppression.removed|" + complaintId);

        // a platform admin removes the platform-wide entry
        TestUsers.User admin = TestUsers.create("platform", "user", "senders-admin");
        assertThat(Api.as(base, admin).delete("api/suppressions/" + bounceId).status()).isEqualTo(204);
        assertThat(suppressions(bounced)).isZero();
        assertThat(count("select count(*) from senders_audit where action = 'suppression.removed' and target_id = '"
                + bounceId + "' and actor = '" + admin.name() + "' and organization_id = 'platform'")).isEqualTo(1);

        assertThat(api.get("api/suppressions?size=101").status()).isEqualTo(400);
        assertThat(api.get("api/suppressions?page=0").status()).isEqualTo(400);
        assertThat(anonymous.get("api/suppressions").status()).isEqualTo(401);
    }

    // ------------------------------------------------------------------ configuration sets

    @Test
    void theFirstVerifiedDomainCreatesTheOrganizationsConfigurationSetOnce() {
        String name = "senders-" + user.organizationId();
        long first = verifiedDefault("news@first-" + tag + ".com");
        await().atMost(Duration.ofSeconds(30)).until(() -> configurationSetOf(first) != null);
        assertThat(configurationSetOf(first)).isEqualTo(name);

        long second = senderId("hello@second-" + tag + ".com");
        TestEnvironment.ses().verifyDomain("second-" + tag + ".com");
        assertThat(api.post("api/senders/" + second + "/verify", "").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> configurationSetOf(second) != null);
        assertThat(configurationSetOf(second)).isEqualTo(name);
        assertThat(api.get("api/senders/" + second).json().getJsonObject("sender").getString("configurationSetName"))
                .isEqualTo(name);

        SesStub ses = TestEnvironment.ses();
        assertThat(ses.calls("CreateConfigurationSet")).filteredOn(c -> name.equals(c.param("ConfigurationSet.Name")))
                .as("created once, for the first verified domain").hasSize(1)
                .allSatisfy(c -> assertThat(c.errorCode()).isNull());
        assertThat(ses.calls("CreateConfigurationSetEventDestination"))
                .filteredOn(c -> name.equals(c.param("ConfigurationSetName"))).singleElement().satisfies(c -> {
                    assertThat(c.errorCode()).isNull();
                    assertThat(c.param("EventDestination.SNSDestination.TopicARN"))
                            .isEqualTo(TestEnvironment.sns().topicArn());
                    assertThat(c.param("EventDestination.Enabled")).isEqualTo("true");
                });
    }

    // ------------------------------------------------------------------ helpers

    private Api.Reply post(SnsMessage message) {
        return post(message.type, message.body(pki));
    }

    /** As SNS posts: JSON as text/plain, with the message type header, and no credentials. */
    private Api.Reply post(String messageType, String body) {
        return anonymous.send(anonymous.request(WEBHOOK)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", messageType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** A message the module "sent" through SES: its record in senders_sends, as SesProvider writes it. */
    private static String sent(String organizationId, String campaignId, String recipient) {
        String messageId = "0102" + UUID.randomUUID().toString().replace("-", "") + "-000000";
        sentInBulk(organizationId, campaignId, List.of(messageId), recipient);
        return messageId;
    }

    private static void sentInBulk(String organizationId, String campaignId, List<String> messageIds) {
        sentInBulk(organizationId, campaignId, messageIds, null);
    }

    private static void sentInBulk(String organizationId, String campaignId, List<String> messageIds,
                                   String recipient) {
        try (var c = TestEnvironment.db().getConnection(); var insert = c.prepareStatement("insert into senders_sends"
                + " (organization_id, campaign_id, recipient, from_address, provider, message_id, status)"
                + " values (?, ?, ?, 'news@acme.example', 'ses', ?, 'sent')")) {
            for (String id : messageIds) {
                insert.setString(1, organizationId);
                insert.setString(2, campaignId);
                insert.setString(3, recipient == null ? id + "@inbox.example" : recipient);
                insert.setString(4, id);
                insert.addBatch();
            }
            insert.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long hostEvents(String kind) {
        return count("select count(*) from email_events where organization_id = '" + user.organizationId()
                + "' and kind = '" + kind + "'");
    }

    private static long storedMessages(String snsMessageId) {
        return count("select count(*) from senders_sns_messages where message_id = '" + snsMessageId + "'");
    }

    private static long suppressions(String email) {
        return count("select count(*) from senders_suppressions where email = '" + email + "'");
    }

    private static JsonObject only(Api as, String email) {
        JsonObject page = as.get("api/suppressions?q=" + email).json();
        assertThat(page.getJsonArray("items")).as(page.toString()).hasSize(1);
        return page.getJsonArray("items").getJsonObject(0);
    }

    private static String configurationSetOf(long senderId) {
        return query("select configuration_set_name from senders where id = " + senderId, rs -> rs.getString(1))
                .get(0);
    }

    private long verifiedDefault(String email) {
        long id = senderId(email);
        TestEnvironment.ses().verifyDomain(email.substring(email.indexOf('@') + 1));
        Api.Reply verified = api.post("api/senders/" + id + "/verify", "");
        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
        assertThat(verified.json().getJsonObject("sender").getString("verificationStatus")).isEqualTo("verified");
        Api.Reply set = api.post("api/senders/" + id + "/set-default", "");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        return id;
    }

    private long senderId(String email) {
        Api.Reply reply = api.post("api/senders", "{\"emailAddress\":\"" + email + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().getJsonObject("sender").getJsonNumber("id").longValue();
    }

    /** Through the host's campaigns API, as its Analytics page does. */
    private long startCampaign(String from, List<String> recipients) {
        JsonArrayBuilder to = Json.createArrayBuilder();
        recipients.forEach(to::add);
        Api.Reply created = api.post("host-api/campaigns", Json.createObjectBuilder()
                .add("name", "Events " + tag).add("senderEmail", from).add("subject", "Hello")
                .add("html", "<p>Hello</p>").add("recipients", to).build().toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().getJsonNumber("id").longValue();
        Api.Reply started = api.post("host-api/campaigns/" + id + "/start", "{}");
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        return id;
    }

    private static <T> List<T> query(String sql, Campaigns.Row<T> row) {
        return Campaigns.query(sql, row);
    }

    private static long count(String sql) {
        return query(sql, rs -> rs.getLong(1)).get(0);
    }
}
