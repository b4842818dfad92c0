package dev.senders.host.it;

import dev.senders.host.it.security.DbSnapshot;
import dev.senders.sandbox.ResendWebhooks;
import dev.senders.sandbox.TestCredentials;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.senders.host.it.ReputationFixtures.evaluateNow;
import static dev.senders.host.it.ReputationFixtures.postResend;
import static dev.senders.host.it.ReputationFixtures.postSes;
import static dev.senders.host.it.ReputationFixtures.provider;
import static dev.senders.host.it.ReputationFixtures.recipientOf;
import static dev.senders.host.it.ReputationFixtures.seedSends;
import static dev.senders.host.it.ReputationFixtures.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17, part 1 on the deployed module: the reputation guard. Volume is seeded as send records (as the send path
 * writes them); every bounce and complaint arrives through a real webhook: SNS messages signed by the test PKI for
 * SES, Svix-signed posts with the test secret for Resend. The organization's sends go through the host's own code
 * calling the SPI ({@code /probe/send}) and through the reference host's campaigns.
 */
@ExtendWith(ArquillianExtension.class)
class ReputationIT {

    private static final Duration EVALUATED_WITHIN = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    private String tag;
    private TestUsers.User user;
    private Api api;
    private Api admin;
    private final List<String> organizations = new ArrayList<>();

    @BeforeEach
    void freshOrganization() {
        tag = UUID.randomUUID().toString().substring(0, 8);
        user = TestUsers.inNewOrganization();
        organizations.add(user.organizationId());
        api = Api.as(base, user);
        admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
    }

    @AfterEach
    void leaveNoOrganizationWarnedOrPaused() {
        organizations.forEach(ReputationFixtures::forget);
    }

    // ------------------------------------------------------------------ rates

    @Test
    void bouncesAndComplaintsOfBothWebhooksCountPerProviderForTheOrganizationThatSent() {
        String ses = "ses-" + tag + "-";
        String re = "re-" + tag + "-";
        List<String> sesIds = seedSends(user.organizationId(), "ses", ses, 10_000);
        List<String> resendIds = seedSends(user.organizationId(), "resend", re, 10_000);

        // SES, through SNS: 3 permanent bounces, 1 transient, 2 complaints
        for (int i = 0; i < 3; i++) {
            ok(postSes(base, SesEvents.bounce(sesIds.get(i), recipientOf(sesIds.get(i), ses), "Permanent")));
        }
        ok(postSes(base, SesEvents.bounce(sesIds.get(3), recipientOf(sesIds.get(3), ses), "Transient")));
        ok(postSes(base, SesEvents.complaint(sesIds.get(4), recipientOf(sesIds.get(4), ses))));
        ok(postSes(base, SesEvents.complaint(sesIds.get(5), recipientOf(sesIds.get(5), ses))));
        // Resend, through its webhook: 2 permanent bounces, 1 transient, 1 complaint, a delivery, a "sent"
        String gone = recipientOf(resendIds.get(0), re);
        ok(postResend(base, ResendWebhooks.bounced(resendIds.get(0), gone, "Permanent")));
        ok(postResend(base, ResendWebhooks.bounced(resendIds.get(1), recipientOf(resendIds.get(1), re), "Permanent")));
        String full = recipientOf(resendIds.get(2), re);
        ok(postResend(base, ResendWebhooks.bounced(resendIds.get(2), full, "Transient")));
        String annoyed = recipientOf(resendIds.get(3), re);
        ok(postResend(base, ResendWebhooks.complained(resendIds.get(3), annoyed)));
        ok(postResend(base, ResendWebhooks.delivered(resendIds.get(4), recipientOf(resendIds.get(4), re))));
        ok(postResend(base, ResendWebhooks.sent(resendIds.get(5), recipientOf(resendIds.get(5), re))));

        JsonObject reputation = evaluateNow(admin, user.organizationId());
        assertThat(reputation.getString("state")).isEqualTo("ok");
        JsonObject sesFigures = provider(reputation, "ses");
        assertThat(sesFigures.getJsonNumber("sends").longValue()).isEqualTo(10_000);
        assertThat(sesFigures.getJsonNumber("permanentBounces").longValue()).isEqualTo(3);
        assertThat(sesFigures.getJsonNumber("complaints").longValue()).isEqualTo(2);
        assertThat(sesFigures.getJsonNumber("bounceRate").doubleValue()).isCloseTo(0.0003, within(1e-9));
        assertThat(sesFigures.getJsonNumber("complaintRate").doubleValue()).isCloseTo(0.0002, within(1e-9));
        assertThat(sesFigures.getBoolean("minimumMet")).isTrue();
        JsonObject resendFigures = provider(reputation, "resend");
        assertThat(resendFigures.getJsonNumber("sends").longValue()).isEqualTo(10_000);
        assertThat(resendFigures.getJsonNumber("permanentBounces").longValue()).isEqualTo(2);
        assertThat(resendFigures.getJsonNumber("complaints").longValue()).isEqualTo(1);
        assertThat(reputation.getJsonArray("events")).as("the permanent bounces and complaints behind the rates")
                .hasSize(8);
        // the organization sees the same on its own endpoint
        JsonObject own = api.get("api/senders/reputation").json();
        assertThat(provider(own, "resend").getJsonNumber("permanentBounces").longValue()).isEqualTo(2);
        assertThat(own.getInt("minSends")).isEqualTo(500);
        assertThat(own.getJsonObject("window").getString("length")).isEqualTo("PT168H");

        // Resend's events: the organization and campaign of the module's own send record, not the payload's tags
        assertThat(Campaigns.query("select count(*) from senders_email_events where provider = 'resend'"
                + " and organization_id = '" + user.organizationId() + "' and campaign_id = '77'",
                rs -> rs.getLong(1)).get(0)).isEqualTo(5);
        assertThat(Campaigns.query("select count(*) from senders_email_events where organization_id = 'acme'"
                + " and ses_message_id like '" + re + "%'", rs -> rs.getLong(1)).get(0)).isZero();
        // the same suppressions as SES's: a permanent bounce platform-wide, a complaint for the organization
        assertThat(Campaigns.query("select coalesce(organization_id, 'platform'), source_organization_id, type"
                + " from senders_suppressions where email = '" + gone + "'", rs -> rs.getString(1) + "/"
                + rs.getString(2) + "/" + rs.getString(3))).containsExactly("platform/" + user.organizationId()
                + "/bounce");
        assertThat(Campaigns.query("select organization_id from senders_suppressions where email = '" + annoyed
                + "'", rs -> rs.getString(1))).containsExactly(user.organizationId());
        assertThat(Campaigns.query("select count(*) from senders_suppressions where email = '" + full + "'",
                rs -> rs.getLong(1)).get(0)).as("a transient bounce suppresses no one").isZero();
        // and the host heard of them (the message id is Resend's email id)
        assertThat(Campaigns.query("select kind from email_events where organization_id = '"
                + user.organizationId() + "' and message_id like '" + re + "%' order by kind", rs -> rs.getString(1)))
                .containsExactly("bounced", "bounced", "bounced", "complained", "delivered");

        // another organization sees none of it
        Api other = Api.as(base, TestUsers.inNewOrganization());
        JsonObject theirs = other.get("api/senders/reputation").json();
        assertThat(theirs.getString("state")).isEqualTo("ok");
        assertThat(theirs.getJsonArray("events")).isEmpty();
        assertThat(theirs.getJsonArray("providers").getValuesAs(JsonObject.class))
                .allSatisfy(p -> assertThat(p.getJsonNumber("sends").longValue()).isZero());
    }

    @Test
    void belowTheMinimumVolumeNothingIsPaused() {
        String ses = "ses-" + tag + "-";
        List<String> ids = seedSends(user.organizationId(), "ses", ses, 100);
        for (int i = 0; i < 30; i++) {
            ok(postSes(base, SesEvents.bounce(ids.get(i), recipientOf(ids.get(i), ses), "Permanent")));
        }
        for (int i = 30; i < 35; i++) {
            ok(postSes(base, SesEvents.complaint(ids.get(i), recipientOf(ids.get(i), ses))));
        }
        // the events were evaluated as they arrived, and once more now
        await().atMost(EVALUATED_WITHIN).until(() -> ReputationFixtures.evaluatedAt(user.organizationId()) != null);
        JsonObject reputation = evaluateNow(admin, user.organizationId());
        JsonObject figures = provider(reputation, "ses");
        assertThat(figures.getJsonNumber("bounceRate").doubleValue()).isCloseTo(0.30, within(1e-9));
        assertThat(figures.getBoolean("minimumMet")).isFalse();
        assertThat(figures.getString("level")).isEqualTo("ok");
        assertThat(reputation.getString("state")).isEqualTo("ok");
        assertThat(state(user.organizationId())).isEqualTo("ok");

        JsonObject sent = probe(user.organizationId(), List.of("after-" + tag + "@inbox-rep.net"), "k-" + tag);
        assertThat(status(sent, 0)).isEqualTo("SENT");
    }

    // ------------------------------------------------------------------ thresholds, pause, resume

    @Test
    void sesBouncesWarnThenPauseAtTheThresholdsAndAnAdminResumeRestoresSending() {
        String ses = "ses-" + tag + "-";
        List<String> ids = seedSends(user.organizationId(), "ses", ses, 1000);
        bounces(ids, ses, 0, 19);
        await().atMost(EVALUATED_WITHIN).until(() -> "ok".equals(state(user.organizationId())));
        assertThat(evaluateNow(admin, user.organizationId()).getString("state")).as("1.9%").isEqualTo("ok");

        bounces(ids, ses, 19, 20);
        await().atMost(EVALUATED_WITHIN).until(() -> "warning".equals(state(user.organizationId())));
        JsonObject warned = api.get("api/senders/reputation").json();
        assertThat(warned.getString("state")).isEqualTo("warning");
        assertThat(warned.getJsonObject("cause").getString("provider")).isEqualTo("ses");
        assertThat(warned.getJsonObject("cause").getString("rate")).isEqualTo("bounce");
        assertThat(warned.getJsonObject("cause").getJsonNumber("value").doubleValue()).isCloseTo(0.02, within(1e-9));
        assertThat(warned.getJsonObject("cause").getJsonNumber("threshold").doubleValue()).isEqualTo(0.02);
        assertThat(hostEvents("paused")).isZero();

        bounces(ids, ses, 20, 39);
        assertThat(evaluateNow(admin, user.organizationId()).getString("state")).as("3.9%").isEqualTo("warning");
        String before = "before-" + tag + "@inbox-rep.net";
        assertThat(status(probe(user.organizationId(), List.of(before), "b-" + tag), 0)).isEqualTo("SENT");

        bounces(ids, ses, 39, 40);
        await().atMost(EVALUATED_WITHIN).until(() -> "paused".equals(state(user.organizationId())));
        JsonObject paused = api.get("api/senders/reputation").json();
        assertThat(paused.getJsonObject("cause").getJsonNumber("value").doubleValue()).isCloseTo(0.04, within(1e-9));
        assertThat(paused.getJsonObject("cause").getJsonNumber("threshold").doubleValue()).isEqualTo(0.04);
        assertThat(paused.getJsonArray("events")).as("the latest events behind it").hasSize(20);
        assertThat(paused.getJsonArray("events").getJsonObject(0).getString("rate")).isEqualTo("bounce");
        await().atMost(EVALUATED_WITHIN).until(() -> hostEvents("paused") == 1);
        assertThat(audit("organization.paused")).containsExactly("senders-reputation-guard: ses bounce rate 4.00%"
                + " (threshold 4.00%) over 1000 sends");

        // the next sends: PAUSED, not retryable, no provider call, recorded as paused
        List<String> to = List.of("p1-" + tag + "@inbox-rep.net", "p2-" + tag + "@inbox-rep.net");
        int resendEmails = TestEnvironment.resend().sentEmails().size();
        JsonObject refused = probe(user.organizationId(), to, "p-" + tag);
        for (int i = 0; i < to.size(); i++) {
            assertThat(status(refused, i)).isEqualTo("PAUSED");
            assertThat(refused.getJsonArray("results").getJsonObject(i).getBoolean("retryable")).isFalse();
            assertThat(refused.getJsonArray("results").getJsonObject(i).isNull("failure")).isTrue();
        }
        assertThat(TestEnvironment.resend().sentEmails().stream().skip(resendEmails)
                .filter(e -> to.contains(e.to().get(0)))).isEmpty();
        assertThat(Campaigns.query("select status from senders_sends where organization_id = '"
                + user.organizationId() + "' and idempotency_key like 'p-" + tag + "%'", rs -> rs.getString(1)))
                .containsOnly("paused").hasSize(2);
        Api server = Api.anonymous(root());
        String metrics = server.send(server.request("metrics").setHeader("Accept", "text/plain").GET()).body();
        assertThat(Campaigns.metric(root(), "senders_organizations", "(?=[^}]*state=\"paused\")"))
                .as(metrics.lines().filter(l -> l.contains("organizations") || l.contains("reputation")).toList()
                        .toString()).isGreaterThanOrEqualTo(1);
        assertThat(Campaigns.metric(root(), "senders_reputation_transitions_total",
                "(?=[^}]*state=\"paused\")"))
                .isGreaterThanOrEqualTo(1);

        // a platform admin resumes it, with a reason: audited, the host hears it, the same keys now send
        Api.Reply resumed = admin.post("api/admin/organizations/" + user.organizationId() + "/resume",
                "{\"reason\": \"List cleaned; ticket 4711\"}");
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
        assertThat(resumed.json().getString("state")).isEqualTo("ok");
        assertThat(resumed.json().getJsonObject("window").isNull("countingSince")).isFalse();
        assertThat(state(user.organizationId())).isEqualTo("ok");
        assertThat(audit("organization.resumed")).hasSize(1)
                .allSatisfy(a -> assertThat(a).endsWith(": List cleaned; ticket 4711"));
        await().atMost(EVALUATED_WITHIN).until(() -> hostEvents("resumed") == 1);
        JsonObject again = probe(user.organizationId(), to, "p-" + tag);
        assertThat(status(again, 0)).isEqualTo("SENT");
        assertThat(status(again, 1)).isEqualTo("SENT");
        // counted afresh: the old bounces no longer count
        bounces(ids, ses, 40, 41);
        assertThat(evaluateNow(admin, user.organizationId()).getString("state")).isEqualTo("ok");
        assertThat(admin.post("api/admin/organizations/" + user.organizationId() + "/resume",
                "{\"reason\": \"again\"}").status()).as("not paused").isEqualTo(409);
    }

    @Test
    void resendComplaintsPauseTheOrganizationAndTheHostsCampaignWaitsForTheResume() {
        String re = "re-" + tag + "-";
        List<String> ids = seedSends(user.organizationId(), "resend", re, 2000);
        ResendWebhooks.Delivery first = ResendWebhooks.signed(TestCredentials.RESEND_WEBHOOK_SECRET,
                ResendWebhooks.complained(ids.get(0), recipientOf(ids.get(0), re)));
        ok(postResend(base, first));
        await().atMost(EVALUATED_WITHIN).until(() -> "warning".equals(state(user.organizationId())));
        assertThat(api.get("api/senders/reputation").json().getJsonObject("cause").getString("rate"))
                .isEqualTo("complaint");
        // the same delivery again (Resend retries): a duplicate, nothing changes
        Api.Reply duplicate = postResend(base, first);
        assertThat(duplicate.status()).isEqualTo(200);
        assertThat(duplicate.json().getString("outcome")).isEqualTo("duplicate");
        assertThat(evaluateNow(admin, user.organizationId()).getString("state")).isEqualTo("warning");

        // signed with the second configured secret (a rotation): 2 complaints in 2000 sends, 0.1%
        ok(postResend(base, ResendWebhooks.signed(TestCredentials.RESEND_WEBHOOK_SECRET_NEXT,
                ResendWebhooks.complained(ids.get(1), recipientOf(ids.get(1), re)))));
        await().atMost(EVALUATED_WITHIN).until(() -> "paused".equals(state(user.organizationId())));
        JsonObject figures = provider(api.get("api/senders/reputation").json(), "resend");
        assertThat(figures.getJsonNumber("complaints").longValue()).isEqualTo(2);
        assertThat(figures.getString("level")).isEqualTo("paused");

        // the host's campaign: its items come back PAUSED, so it pauses, its items waiting
        List<String> recipients = List.of("c1-" + tag + "@inbox-rep.net", "c2-" + tag + "@inbox-rep.net",
                "c3-" + tag + "@inbox-rep.net");
        long id = Campaigns.start(api, Campaigns.create(api, "news@unverified-" + tag + ".com", "Hi", recipients));
        await().atMost(Campaigns.DONE_WITHIN).until(() -> "paused".equals(Campaigns.campaignStatus(id)));
        assertThat(Campaigns.items(id)).allSatisfy(i -> assertThat(i.status()).isEqualTo("queued"));
        assertThat(TestEnvironment.resend().sentEmails().stream().filter(e -> recipients.contains(e.to().get(0))))
                .isEmpty();

        Api.Reply resumed = admin.post("api/admin/organizations/" + user.organizationId() + "/resume",
                "{\"reason\": \"complainers removed\"}");
        assertThat(resumed.status()).as(resumed.toString()).isEqualTo(200);
        Campaigns.awaitSent(id);
        assertThat(Campaigns.items(id)).allSatisfy(i -> assertThat(i.status()).isEqualTo("sent"));
        assertThat(TestEnvironment.resend().sentEmails().stream().filter(e -> recipients.contains(e.to().get(0))))
                .hasSize(3);
    }

    @Test
    void resumingNeedsAPlatformAdminAReasonAndAPausedOrganization() {
        String path = "api/admin/organizations/" + user.organizationId() + "/resume";
        assertThat(api.post(path, "{\"reason\": \"me\"}").status()).as("not an admin").isEqualTo(403);
        for (String body : List.of("{}", "{\"reason\": \"   \"}", "{\"reason\": null}")) {
            Api.Reply reply = admin.post(path, body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.contentType()).startsWith("application/problem+json");
            assertThat(reply.json().getString("field")).isEqualTo("reason");
            assertThat(reply.json().getString("reason")).isEqualTo("required");
        }
        Api.Reply unknown = admin.post(path, "{\"reason\": \"x\", \"organizationId\": \"other\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getString("reason")).isEqualTo("unknown field");
        assertThat(admin.post(path, "{\"reason\": \"" + "x".repeat(1001) + "\"}").json().getString("reason"))
                .isEqualTo("too-long");
        assertThat(admin.post(path, "text/plain", "{\"reason\": \"x\"}").status()).isEqualTo(415);
        Api.Reply notPaused = admin.post(path, "{\"reason\": \"x\"}");
        assertThat(notPaused.status()).isEqualTo(409);
        assertThat(notPaused.json().getString("type")).endsWith("not-paused");
        assertThat(audit("organization.resumed")).isEmpty();
    }

    // ------------------------------------------------------------------ the Resend webhook's checks

    @Test
    void theResendWebhookRefusesForgedOldUnknownAndMalformedPostsAndStoresNothing() {
        String re = "re-" + tag + "-";
        List<String> ids = seedSends(user.organizationId(), "resend", re, 3);
        String to = recipientOf(ids.get(0), re);
        String genuine = ResendWebhooks.bounced(ids.get(0), to, "Transient");
        String secret = TestCredentials.RESEND_WEBHOOK_SECRET;
        ResendWebhooks.Delivery signed = ResendWebhooks.signed(secret, genuine);
        String other = "whsec_" + java.util.Base64.getEncoder().encodeToString("not-our-secret".getBytes());
        String tenMinutesAgo = ResendWebhooks.bounced(ids.get(0), to, "Permanent");

        record Case(String name, ResendWebhooks.Delivery delivery, int status, String type) {
        }
        List<Case> cases = List.of(
                new Case("body changed after signing", new ResendWebhooks.Delivery(signed.headers(),
                        genuine.replace("Transient", "Permanent")), 403, "resend-signature-invalid"),
                new Case("another secret", ResendWebhooks.signed(other, genuine), 403, "resend-signature-invalid"),
                new Case("old timestamp", ResendWebhooks.signed(secret, "msg_old_" + tag,
                        Instant.now().minus(Duration.ofMinutes(10)), tenMinutesAgo), 400,
                        "resend-timestamp-out-of-tolerance"),
                new Case("future timestamp", ResendWebhooks.signed(secret, "msg_new_" + tag,
                        Instant.now().plus(Duration.ofMinutes(10)), tenMinutesAgo), 400,
                        "resend-timestamp-out-of-tolerance"),
                new Case("no signature", new ResendWebhooks.Delivery(java.util.Map.of("svix-id", "msg_x",
                        "svix-timestamp", signed.headers().get("svix-timestamp")), genuine), 400,
                        "resend-signature-missing"),
                new Case("unknown type", ResendWebhooks.signed(secret, ResendWebhooks.event("email.exploded",
                        ids.get(1), to, d -> { })), 400, "resend-event-unknown-type"),
                new Case("malformed JSON", ResendWebhooks.signed(secret, "{\"type\": \"email.bounced\", \"data\":"),
                        400, "resend-event-malformed"),
                new Case("no email id", ResendWebhooks.signed(secret, "{\"type\": \"email.bounced\", \"created_at\":"
                        + " \"2026-12-04T10:00:00Z\", \"data\": {\"to\": [\"" + to + "\"]}}"), 400,
                        "resend-event-malformed"));

        DbSnapshot before = DbSnapshot.awaitQuiet();
        for (Case c : cases) {
            Api.Reply reply = postResend(base, c.delivery());
            assertThat(reply.status()).as(c.name() + ": " + reply).isEqualTo(c.status());
            assertThat(reply.contentType()).as(c.name()).startsWith("application/problem+json");
            assertThat(reply.json().getString("type")).as(c.name()).endsWith(c.type());
        }
        // a body over the webhooks' limit: 413 before anything reads it
        String huge = "{\"type\": \"email.bounced\", \"pad\": \"" + "x".repeat(400_000) + "\"}";
        Api.Reply tooLarge = postResend(base, ResendWebhooks.signed(secret, huge));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(DbSnapshot.take().changedSince(before)).as("nothing stored").isEmpty();

        // the genuine one is accepted, once
        assertThat(postResend(base, signed).json().getString("outcome")).isEqualTo("accepted");
        assertThat(postResend(base, signed).json().getString("outcome")).isEqualTo("duplicate");
        assertThat(Campaigns.query("select count(*) from senders_email_events where resend_message_id = '"
                + signed.id() + "'", rs -> rs.getLong(1)).get(0)).isEqualTo(1);
        // through the Standard Webhooks header names too
        ResendWebhooks.Delivery plain = ResendWebhooks.signed(secret, ResendWebhooks.delivered(ids.get(2),
                recipientOf(ids.get(2), re)));
        Api anonymous = Api.anonymous(base);
        HttpRequest.Builder request = anonymous.request("api/webhooks/resend-events")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(plain.body(), StandardCharsets.UTF_8));
        plain.headers().forEach((name, value) -> request.header(name.replace("svix-", "webhook-"), value));
        assertThat(anonymous.send(request).status()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    private void bounces(List<String> ids, String prefix, int from, int to) {
        for (int i = from; i < to; i++) {
            ok(postSes(base, SesEvents.bounce(ids.get(i), recipientOf(ids.get(i), prefix), "Permanent")));
        }
    }

    private static void ok(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().getString("outcome")).isEqualTo("accepted");
    }

    private URL root() {
        try {
            return base.toURI().resolve("/").toURL();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The host's own code sending through the SPI (one batch; keys {@code keyPrefix-<i>}). */
    private JsonObject probe(String organizationId, List<String> to, String keyPrefix) {
        JsonArrayBuilder messages = Json.createArrayBuilder();
        for (int i = 0; i < to.size(); i++) {
            messages.add(Json.createObjectBuilder().add("to", to.get(i)).add("key", keyPrefix + "-" + i));
        }
        Api.Reply reply = Api.anonymous(base).post("probe/send", Json.createObjectBuilder()
                .add("organizationId", organizationId).add("from", "news@unverified-" + tag + ".com")
                .add("batch", true).add("messages", messages).build().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static String status(JsonObject answer, int i) {
        return answer.getJsonArray("results").getJsonObject(i).getString("status");
    }

    private long hostEvents(String kind) {
        return Campaigns.query("select count(*) from host_reputation_events where organization_id = '"
                + user.organizationId() + "' and kind = '" + kind + "'", rs -> rs.getLong(1)).get(0);
    }

    /** The organization's audit entries of the action, as "actor: detail". */
    private List<String> audit(String action) {
        return Campaigns.query("select actor, detail from senders_audit where organization_id = '"
                + user.organizationId() + "' and action = '" + action + "' order by id",
                rs -> rs.getString(1) + ": " + rs.getString(2));
    }
}
