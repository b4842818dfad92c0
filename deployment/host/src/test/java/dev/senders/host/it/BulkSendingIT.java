package dev.senders.host.it;

import dev.senders.sandbox.ResendStub;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15 on the deployed module: the batch path through the Resend fallback (requests of up to 100 emails, a 422
 * of one invalid email, a 429 on a batch), and the claim before every provider call as a host sees it through the
 * SPI ({@code /probe/send}, a host's own code calling {@code EmailProviderFactory}): one key, one send, however many
 * calls at once; two organizations with the same key both send.
 */
@ExtendWith(ArquillianExtension.class)
class BulkSendingIT {

    @ArquillianResource
    URL base;

    private String tag;
    private TestUsers.User user;
    private Api api;

    @BeforeEach
    void freshOrganization() {
        tag = UUID.randomUUID().toString().substring(0, 8);
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
    }

    private List<String> recipients(int n) {
        return IntStream.range(0, n).mapToObj(i -> "b" + i + "-" + tag + "@inbox-bulk.net").toList();
    }

    /** Requests to the Resend stub that carried any of these recipients (replays of the same key included). */
    private static List<ResendStub.Request> requestsFor(List<String> recipients) {
        return TestEnvironment.resend().requests().stream()
                .filter(r -> r.body() != null && recipients.stream().anyMatch(r.body()::contains)).toList();
    }

    private static Map<String, Long> emailsPerRecipient(List<String> recipients) {
        return TestEnvironment.resend().sentEmails().stream().flatMap(e -> e.to().stream())
                .filter(recipients::contains).collect(Collectors.groupingBy(r -> r, Collectors.counting()));
    }

    @Test
    void aCampaignOf250ThroughResendGoesOutAs3Requests() {
        List<String> to = recipients(250);
        long id = Campaigns.startAndAwait(api, Campaigns.create(api, "news@fallback-" + tag + ".com", "Bulk", to));

        assertThat(Campaigns.items(id)).hasSize(250).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo("sent");
            assertThat(i.providerUsed()).isEqualTo("resend");
        });
        List<ResendStub.Request> requests = requestsFor(to);
        assertThat(requests).as("POST /emails/batch requests").hasSize(3)
                .allSatisfy(r -> assertThat(r.path()).isEqualTo("/emails/batch"));
        assertThat(requests.stream().map(r -> Json.createReader(new java.io.StringReader(r.body())).readArray().size())
                .sorted().toList()).containsExactly(50, 100, 100);
        assertThat(emailsPerRecipient(to)).hasSize(250).allSatisfy((r, n) -> assertThat(n).as(r).isEqualTo(1));
    }

    @Test
    void aThrottledBatchWaitsAndEachEmailGoesOnce() {
        List<String> to = recipients(30);
        TestEnvironment.resend().failNext(1, 429, "rate_limit_exceeded", "Too many requests", 1);
        JsonObject answer = probe(user.organizationId(), "news@throttled-" + tag + ".com", to, keys(to), true);

        assertThat(statuses(answer)).containsOnly("SENT").hasSize(30);
        assertThat(requestsFor(to)).as("the 429, then the same batch again").hasSize(2);
        assertThat(emailsPerRecipient(to)).hasSize(30).allSatisfy((r, n) -> assertThat(n).isEqualTo(1));
    }

    @Test
    void oneInvalidEmailInABatchFailsAloneAndTheOthersGoOnce() {
        List<String> to = recipients(100);
        String refused = to.get(37);
        TestEnvironment.resend().refuseRecipient(refused, "The `to` field contains an address Resend refuses.");
        try {
            JsonObject answer = probe(user.organizationId(), "news@invalid-" + tag + ".com", to, keys(to), true);
            List<JsonObject> results = answer.getJsonArray("results").getValuesAs(JsonObject.class);
            for (int i = 0; i < to.size(); i++) {
                JsonObject r = results.get(i);
                if (i == 37) {
                    assertThat(r.getString("status")).isEqualTo("FAILED");
                    assertThat(r.getString("failure")).isEqualTo("INVALID");
                    assertThat(r.getBoolean("retryable")).isFalse();
                    assertThat(r.getString("error")).contains("422").contains("Resend refuses");
                } else {
                    assertThat(r.getString("status")).as(to.get(i)).isEqualTo("SENT");
                }
            }
            Map<String, Long> per = emailsPerRecipient(to);
            assertThat(per).hasSize(99).doesNotContainKey(refused).allSatisfy((r, n) -> assertThat(n).isEqualTo(1));
        } finally {
            TestEnvironment.resend().refuseRecipient(null, null);
        }
    }

    @Test
    void oneKeySentFromTwentyCallsAtOnceGoesOutOnce() throws Exception {
        String to = "once-" + tag + "@inbox-bulk.net";
        String from = "news@once-" + tag + ".com";
        List<JsonObject> answers = Parallel.run(20, (Callable<JsonObject>) () ->
                probe(user.organizationId(), from, List.of(to), List.of("only-key-" + tag), false));
        List<String> statuses = answers.stream().map(a -> statuses(a).get(0)).toList();
        // the first sends; the others either find it sent (its record) or still in progress (retryable)
        assertThat(statuses).contains("SENT").containsOnly("SENT", "FAILED");
        answers.stream().map(a -> a.getJsonArray("results").getJsonObject(0))
                .filter(r -> r.getString("status").equals("FAILED"))
                .forEach(r -> {
                    assertThat(r.getString("failure")).isEqualTo("IN_PROGRESS");
                    assertThat(r.getBoolean("retryable")).isTrue();
                });
        assertThat(requestsFor(List.of(to))).as("provider calls").hasSize(1);
        // afterwards, the same key answers from its record, with the same message id, and sends nothing
        JsonObject again = probe(user.organizationId(), from, List.of(to), List.of("only-key-" + tag), true);
        assertThat(statuses(again)).containsExactly("SENT");
        assertThat(answers.stream().map(a -> a.getJsonArray("results").getJsonObject(0))
                .filter(r -> r.getString("status").equals("SENT")).map(r -> r.getString("messageId")).distinct())
                .containsExactly(again.getJsonArray("results").getJsonObject(0).getString("messageId"));
        assertThat(requestsFor(List.of(to))).hasSize(1);
    }

    @Test
    void singleSendsMadeAtOnceGoTogetherEachOnceWithItsOwnResult() {
        List<String> to = recipients(24);
        JsonObject answer = probe(user.organizationId(), "news@joined-" + tag + ".com", to, keys(to), "concurrent");

        List<JsonObject> results = answer.getJsonArray("results").getValuesAs(JsonObject.class);
        assertThat(results).hasSize(24).allSatisfy(r -> assertThat(r.getString("status")).isEqualTo("SENT"));
        assertThat(results.stream().map(r -> r.getString("messageId")).distinct()).hasSize(24);
        assertThat(emailsPerRecipient(to)).hasSize(24).allSatisfy((r, n) -> assertThat(n).as(r).isEqualTo(1));
        // each result is its own message's: the stub's id for that recipient
        Map<String, String> idOf = TestEnvironment.resend().sentEmails().stream()
                .filter(e -> to.contains(e.to().get(0))).collect(Collectors.toMap(e -> e.to().get(0),
                        ResendStub.SentEmail::id));
        for (int i = 0; i < to.size(); i++) {
            assertThat(results.get(i).getString("messageId")).as(to.get(i)).isEqualTo(idOf.get(to.get(i)));
        }
        // sent together: fewer Resend requests than sends (alone, each would be a request of its own)
        List<ResendStub.Request> requests = requestsFor(to);
        assertThat(requests).as("Resend requests for 24 single sends made at once").hasSizeLessThan(24);
        assertThat(requests).anySatisfy(r -> assertThat(r.path()).isEqualTo("/emails/batch"));
    }

    @Test
    void twoOrganizationsWithTheSameKeyBothSend() {
        TestUsers.User other = TestUsers.inNewOrganization();
        String key = "shared-key-" + tag;
        String toA = "a-" + tag + "@inbox-bulk.net";
        String toB = "b-" + tag + "@inbox-bulk.net";
        assertThat(statuses(probe(user.organizationId(), "news@a-" + tag + ".com", List.of(toA), List.of(key), false)))
                .containsExactly("SENT");
        assertThat(statuses(probe(other.organizationId(), "news@b-" + tag + ".com", List.of(toB), List.of(key),
                true))).containsExactly("SENT");
        assertThat(emailsPerRecipient(List.of(toA, toB))).containsEntry(toA, 1L).containsEntry(toB, 1L);
        // and the Idempotency-Keys Resend saw differ
        List<String> keys = requestsFor(List.of(toA, toB)).stream().map(ResendStub.Request::idempotencyKey).toList();
        assertThat(keys).hasSize(2).doesNotHaveDuplicates().doesNotContainNull();
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> keys(List<String> recipients) {
        return recipients.stream().map(r -> "key-" + r).toList();
    }

    private JsonObject probe(String organizationId, String from, List<String> to, List<String> keys, boolean batch) {
        return probe(organizationId, from, to, keys, batch ? "batch" : "single");
    }

    /** {@code how}: "batch" (one sendBatch), "single" (send, one after another) or "concurrent" (send, all at once). */
    private JsonObject probe(String organizationId, String from, List<String> to, List<String> keys, String how) {
        JsonArrayBuilder messages = Json.createArrayBuilder();
        for (int i = 0; i < to.size(); i++) {
            messages.add(Json.createObjectBuilder().add("to", to.get(i)).add("key", keys.get(i)));
        }
        Api anonymous = Api.anonymous(base);
        Api.Reply reply = anonymous.post("probe/send", Json.createObjectBuilder().add("organizationId", organizationId)
                .add("from", from).add("batch", how.equals("batch")).add("concurrent", how.equals("concurrent"))
                .add("messages", messages).build().toString());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    private static List<String> statuses(JsonObject answer) {
        return answer.getJsonArray("results").getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("status")).toList();
    }
}
