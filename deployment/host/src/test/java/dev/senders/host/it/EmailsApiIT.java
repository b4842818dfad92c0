package dev.senders.host.it;

import dev.senders.sandbox.sns.SnsMessage;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: GET /api/emails and /api/emails/{id} on the deployed host, over sends made through the real send path
 * (the host's campaigns, through the stub SES and the stub Resend) and provider events fed through the signed SNS
 * webhook as SES would post them: keyset pages, the filters, the timeline, the organization's walls and the
 * problem+json of bad query values.
 */
@ExtendWith(ArquillianExtension.class)
class EmailsApiIT {

    @ArquillianResource
    URL base;

    private TestUsers.User user;
    private Api api;
    private String tag;

    @BeforeAll
    static void startSns() {
        SnsFixtures.pki();
        SnsFixtures.host();
    }

    @BeforeEach
    void freshOrganization() {
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
        tag = UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void pagesGoNewestFirstByCursorWithoutGapsOrRepeats() {
        verifiedDefault();
        long campaign = send("news@verified-" + tag + ".com", recipients("page", 25));

        List<JsonObject> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = get("api/emails?size=10" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.getInt("size")).isEqualTo(10);
            page.getJsonArray("items").forEach(v -> seen.add(v.asJsonObject()));
            cursor = page.isNull("next") ? null : page.getString("next");
            pages++;
            assertThat(page.getJsonArray("items")).hasSize(pages < 3 ? 10 : 5);
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25);
        assertThat(seen.stream().map(e -> e.getJsonNumber("id").longValue()).distinct()).hasSize(25);
        for (int i = 1; i < seen.size(); i++) {
            JsonObject newer = seen.get(i - 1);
            JsonObject older = seen.get(i);
            OffsetDateTime a = OffsetDateTime.parse(newer.getString("createdAt"));
            OffsetDateTime b = OffsetDateTime.parse(older.getString("createdAt"));
            assertThat(a.isAfter(b) || a.isEqual(b) && newer.getJsonNumber("id").longValue()
                    > older.getJsonNumber("id").longValue()).as("newest first at " + i).isTrue();
        }
        assertThat(seen).allSatisfy(e -> {
            assertThat(e.getString("status")).isEqualTo("sent");
            assertThat(e.getString("provider")).isEqualTo("ses");
            assertThat(e.getString("campaignId")).isEqualTo(String.valueOf(campaign));
            assertThat(e.getString("messageId")).isNotBlank();
            assertThat(e.getString("from")).isEqualTo("news@verified-" + tag + ".com");
        });
        Set<String> recipients = new HashSet<>();
        seen.forEach(e -> recipients.add(e.getString("recipient")));
        assertThat(recipients).containsExactlyInAnyOrderElementsOf(recipients("page", 25));
    }

    @Test
    void searchStatusProviderAndCampaignFilter() {
        verifiedDefault();
        String suppressed = "gone-" + tag + "@inbox-" + tag + ".net";
        Campaigns.sql("insert into senders_suppressions (organization_id, email, type, reason) values ('"
                + user.organizationId() + "', '" + suppressed + "', 'complaint', 'abuse')");
        List<String> viaSes = new ArrayList<>(recipients("ses", 3));
        viaSes.add(suppressed);
        long sesCampaign = send("news@verified-" + tag + ".com", viaSes);
        // not a verified domain: the platform's Resend address, with a routing warning
        long resendCampaign = send("news@unverified-" + tag + ".com", recipients("resend", 2));

        assertThat(recipientsOf("api/emails")).hasSize(6);
        assertThat(recipientsOf("api/emails?provider=resend")).containsExactlyInAnyOrderElementsOf(
                recipients("resend", 2));
        assertThat(recipientsOf("api/emails?provider=ses")).hasSize(4);
        assertThat(recipientsOf("api/emails?campaign=" + sesCampaign)).containsExactlyInAnyOrderElementsOf(viaSes);
        assertThat(recipientsOf("api/emails?campaign=" + resendCampaign + "&provider=ses")).isEmpty();
        assertThat(recipientsOf("api/emails?status=suppressed")).containsExactly(suppressed);
        assertThat(recipientsOf("api/emails?status=sent")).hasSize(5);
        assertThat(recipientsOf("api/emails?status=failed")).isEmpty();
        // the start of the address, in any case; a whole address finds that recipient
        assertThat(recipientsOf("api/emails?q=" + enc("RESEND-" + tag))).hasSize(2);
        assertThat(recipientsOf("api/emails?q=" + enc("ses-" + tag + "-2@"))).containsExactly(
                "ses-" + tag + "-2@inbox-" + tag + ".net");
        assertThat(recipientsOf("api/emails?q=" + enc("inbox-"))).as("not a part in the middle").isEmpty();
        assertThat(recipientsOf("api/emails?q=" + enc("%"))).as("wildcards are literal").isEmpty();

        JsonObject viaResend = get("api/emails?provider=resend").getJsonArray("items").getJsonObject(0);
        assertThat(viaResend.getString("warning")).contains("sent through the platform's address");
        JsonObject refused = get("api/emails?status=suppressed").getJsonArray("items").getJsonObject(0);
        assertThat(refused.isNull("messageId")).isTrue();
        List<JsonObject> timeline = timeline(refused.getJsonNumber("id").longValue());
        assertThat(timeline.stream().map(s -> s.getString("type"))).containsExactly("queued", "suppressed");
    }

    @Test
    void theTimelineShowsTheModulesRecordAndTheProvidersEvents() {
        verifiedDefault();
        String delivered = "ann-" + tag + "@inbox-" + tag + ".net";
        String bounced = "bob-" + tag + "@inbox-" + tag + ".net";
        send("news@verified-" + tag + ".com", List.of(delivered, bounced));
        JsonObject ann = only("api/emails?q=" + enc(delivered));
        JsonObject bob = only("api/emails?q=" + enc(bounced));

        postSns(SnsFixtures.notification(SesEvents.delivery(ann.getString("messageId"), delivered)));
        postSns(SnsFixtures.notification(SesEvents.open(ann.getString("messageId"))));
        postSns(SnsFixtures.notification(SesEvents.bounce(bob.getString("messageId"), bounced, "Permanent")));

        JsonObject annDetails = get("api/emails/" + ann.getJsonNumber("id"));
        assertThat(annDetails.getJsonObject("email").getString("provider")).isEqualTo("ses");
        assertThat(annDetails.getJsonObject("email").getString("messageId")).isEqualTo(ann.getString("messageId"));
        List<JsonObject> annSteps = annDetails.getJsonArray("timeline").stream().map(v -> v.asJsonObject()).toList();
        assertThat(annSteps.stream().map(s -> s.getString("type")))
                .containsExactly("queued", "sent", "delivered", "opened");
        assertThat(annSteps.get(0).getString("source")).isEqualTo("module");
        assertThat(annSteps.get(2).getString("source")).isEqualTo("ses");

        List<JsonObject> bobSteps = timeline(bob.getJsonNumber("id").longValue());
        assertThat(bobSteps.stream().map(s -> s.getString("type"))).containsExactly("queued", "sent", "bounced");
        assertThat(bobSteps.get(2).getString("detail")).isEqualTo("Permanent (General): smtp; 550 5.1.1 user unknown");

        // the list shows the latest provider event of each
        assertThat(only("api/emails?q=" + enc(delivered)).getString("lastEvent")).isEqualTo("opened");
        assertThat(only("api/emails?q=" + enc(bounced)).getString("lastEvent")).isEqualTo("bounced");
    }

    @Test
    void anotherOrganizationsEmailIsNotFound() {
        verifiedDefault();
        send("news@verified-" + tag + ".com", recipients("mine", 1));
        long id = get("api/emails").getJsonArray("items").getJsonObject(0).getJsonNumber("id").longValue();
        assertThat(api.get("api/emails/" + id).status()).isEqualTo(200);

        Api other = Api.as(base, TestUsers.inNewOrganization());
        Api.Reply theirs = other.get("api/emails/" + id);
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.contentType()).startsWith("application/problem+json");
        assertThat(other.get("api/emails").json().getJsonArray("items")).isEmpty();
        for (String bad : List.of("0", "-1", "abc", "99999999999999999999")) {
            assertThat(api.get("api/emails/" + bad).status()).as(bad).isEqualTo(404);
        }
        assertThat(Api.anonymous(base).get("api/emails").status()).isEqualTo(401);
    }

    @Test
    void badQueryValuesAreProblemsNamingTheField() {
        assertProblem("api/emails?size=abc", "size");
        assertProblem("api/emails?size=0", "size");
        assertProblem("api/emails?size=101", "size");
        assertProblem("api/emails?status=bounced", "status", "unknown-status");
        assertProblem("api/emails?provider=mailgun", "provider", "unknown-provider");
        assertProblem("api/emails?cursor=not-a-cursor", "cursor", "malformed");
        assertProblem("api/emails?q=" + "a".repeat(321), "q", "too-long");
        assertProblem("api/emails?campaign=" + "c".repeat(256), "campaign", "too-long");
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void assertProblem(String path, String field) {
        assertProblem(path, field, null);
    }

    private void assertProblem(String path, String field, String reason) {
        Api.Reply reply = api.get(path);
        assertThat(reply.status()).as(path + ": " + reply).isEqualTo(400);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonObject problem = reply.json();
        assertThat(problem.getString("field")).isEqualTo(field);
        if (reason != null) {
            assertThat(problem.getString("reason")).isEqualTo(reason);
        }
        assertThat(problem.getString("type")).isEqualTo("urn:senders:problem:validation");
    }

    private void verifiedDefault() {
        Campaigns.verifiedDefault(api, "news@verified-" + tag + ".com");
    }

    private long send(String from, List<String> to) {
        return Campaigns.startAndAwait(api, Campaigns.create(api, from, "Hello " + tag, to));
    }

    private List<String> recipients(String prefix, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + "-" + tag + "-" + i + "@inbox-" + tag + ".net")
                .toList();
    }

    private JsonObject get(String path) {
        Api.Reply reply = api.get(path);
        assertThat(reply.status()).as(path + ": " + reply).isEqualTo(200);
        return reply.json();
    }

    private List<String> recipientsOf(String path) {
        return get(path).getJsonArray("items").stream().map(v -> v.asJsonObject().getString("recipient")).toList();
    }

    private JsonObject only(String path) {
        var items = get(path).getJsonArray("items");
        assertThat(items).as(path).hasSize(1);
        return items.getJsonObject(0);
    }

    private List<JsonObject> timeline(long id) {
        return get("api/emails/" + id).getJsonArray("timeline").stream().map(v -> v.asJsonObject()).toList();
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** As SNS posts: JSON as text/plain, with the message type header, and no credentials. */
    private void postSns(SnsMessage message) {
        Api anonymous = Api.anonymous(base);
        Api.Reply reply = anonymous.send(anonymous.request("api/webhooks/ses-events")
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", message.type)
                .POST(HttpRequest.BodyPublishers.ofString(message.body(SnsFixtures.pki()), StandardCharsets.UTF_8)));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }
}
