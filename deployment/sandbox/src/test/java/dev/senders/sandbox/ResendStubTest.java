package dev.senders.sandbox;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** Drives {@link ResendStub} over real HTTP (java.net.http and a Jersey JAX-RS client). */
class ResendStubTest {
    private static final String KEY = "re_test_123";
    private static final String UUID_RE = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
    private static final String MAIL = """
            {"from":"Acme <hello@acme.com>","to":"ann@example.org","subject":"Hi","text":"Hello"}""";

    static ResendStub stub;
    static HttpClient http;

    @BeforeAll
    static void startStub() {
        stub = ResendStub.start();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @BeforeEach
    void clean() {
        stub.reset();
        stub.expectApiKey(KEY);
        stub.clock(java.time.Clock.systemUTC());
    }

    @Test
    void sendsAnEmailAndRecordsAllFields() throws Exception {
        HttpResponse<String> r = post("/emails", """
                {"from":"Acme <hello@acme.com>","to":["ann@example.org","Bob <bob@example.org>"],
                 "subject":"Welcome","html":"<p>Hi</p>","text":"Hi","reply_to":"help@acme.com",
                 "cc":"cc@example.org","bcc":["audit@acme.com"],"headers":{"X-Entity-Ref-ID":"42"},
                 "tags":[{"name":"tenant","value":"t_7"},{"name":"kind","value":"welcome-mail"}]}""", KEY, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        JsonObject body = json(r).asJsonObject();
        assertThat(body.keySet()).containsExactly("id");
        String id = body.getString("id");
        assertThat(id).matches(UUID_RE);

        assertThat(stub.sentEmails()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo(id);
            assertThat(e.from()).isEqualTo("Acme <hello@acme.com>");
            assertThat(e.to()).containsExactly("ann@example.org", "Bob <bob@example.org>");
            assertThat(e.cc()).containsExactly("cc@example.org");
            assertThat(e.bcc()).containsExactly("audit@acme.com");
            assertThat(e.replyTo()).containsExactly("help@acme.com");
            assertThat(e.subject()).isEqualTo("Welcome");
            assertThat(e.html()).isEqualTo("<p>Hi</p>");
            assertThat(e.text()).isEqualTo("Hi");
            assertThat(e.headers()).containsExactly(entry("X-Entity-Ref-ID", "42"));
            assertThat(e.tags()).containsExactly(entry("tenant", "t_7"), entry("kind", "welcome-mail"));
            assertThat(e.apiKey()).isEqualTo(KEY);
            assertThat(e.batch()).isFalse();
            assertThat(e.idempotencyKey()).isNull();
            assertThat(e.requestHeaders().get("authorization")).containsExactly("Bearer " + KEY);
            assertThat(e.receivedAt()).isNotNull();
        });

        HttpResponse<String> got = http.send(HttpRequest.newBuilder(uri("/emails/" + id)).header("Authorization", "Bearer " + KEY)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(got.statusCode()).isEqualTo(200);
        JsonObject email = json(got).asJsonObject();
        assertThat(email.getString("object")).isEqualTo("email");
        assertThat(email.getString("id")).isEqualTo(id);
        assertThat(email.getString("subject")).isEqualTo("Welcome");
        assertThat(email.getString("last_event")).isEqualTo("delivered");
        assertThat(email.getJsonArray("to").getString(1)).isEqualTo("Bob <bob@example.org>");
        assertThat(http.send(HttpRequest.newBuilder(uri("/emails/00000000-0000-4000-8000-000000000000"))
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }

    @Test
    void authenticationErrors() throws Exception {
        assertError(post("/emails", MAIL, null, null), 401, "missing_api_key");
        HttpResponse<String> wrong = post("/emails", MAIL, "re_wrong", null);
        assertError(wrong, 403, "invalid_api_key");
        assertThat(json(wrong).asJsonObject().getString("message")).isEqualTo("API key is invalid.");
        assertThat(stub.sentEmails()).isEmpty();
        assertThat(stub.requestCount()).isEqualTo(2);
        assertThat(stub.requests()).extracting(ResendStub.Request::errorName).containsExactly("missing_api_key", "invalid_api_key");

        stub.expectApiKey(null);
        assertThat(post("/emails", MAIL, "re_anything", null).statusCode()).isEqualTo(200);
    }

    @Test
    void validationErrors() throws Exception {
        assertError(post("/emails", "{\"to\":\"a@b.com\",\"subject\":\"x\"}", KEY, null), 422, "missing_required_field");
        HttpResponse<String> noTo = post("/emails", "{\"from\":\"a@acme.com\",\"subject\":\"x\"}", KEY, null);
        assertError(noTo, 422, "missing_required_field");
        assertThat(json(noTo).asJsonObject().getString("message")).isEqualTo("Missing `to` field.");
        assertError(post("/emails", "{\"from\":\"a@acme.com\",\"to\":\"b@x.com\"}", KEY, null), 422, "missing_required_field");
        assertError(post("/emails", "{\"from\":\"not an address\",\"to\":\"b@x.com\",\"subject\":\"s\"}", KEY, null), 422, "validation_error");
        assertError(post("/emails", "{\"from\":\"a@acme.com\",\"to\":[\"b@x.com\",\"nope\"],\"subject\":\"s\"}", KEY, null), 422, "validation_error");
        String tooMany = IntStream.range(0, 51).mapToObj(i -> "\"r" + i + "@x.com\"").collect(Collectors.joining(","));
        assertError(post("/emails", "{\"from\":\"a@acme.com\",\"to\":[" + tooMany + "],\"subject\":\"s\"}", KEY, null), 422, "validation_error");
        assertError(post("/emails", MAIL.replace("}", ",\"tags\":[{\"name\":\"bad name\",\"value\":\"v\"}]}"), KEY, null), 422, "validation_error");
        assertError(post("/emails", MAIL.replace("}", ",\"tags\":[{\"name\":\"ok\",\"value\":\"caf\u00e9\"}]}"), KEY, null), 422, "validation_error");
        assertError(post("/emails", MAIL.replace("}", ",\"tags\":[{\"name\":\"" + "n".repeat(257) + "\",\"value\":\"v\"}]}"), KEY, null), 422, "validation_error");
        assertThat(post("/emails", MAIL.replace("}", ",\"tags\":[{\"name\":\"" + "n".repeat(256) + "\",\"value\":\"A-z_0\"}]}"), KEY, null)
                .statusCode()).isEqualTo(200);
        assertError(post("/emails", MAIL.replace("}", ",\"headers\":[\"x\"]}"), KEY, null), 422, "validation_error");
        assertError(post("/emails", "{not json", KEY, null), 400, "validation_error");
        assertError(post("/emails", MAIL, KEY, "k".repeat(257)), 400, "invalid_idempotency_key");
        assertThat(stub.sentEmails()).hasSize(1);
    }

    @Test
    void wrongPathsAndMethods() throws Exception {
        assertError(post("/domains", MAIL, KEY, null), 404, "not_found");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/emails/batch")).header("Authorization", "Bearer " + KEY)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertError(r, 405, "method_not_allowed");
    }

    @Test
    void idempotencyKeyReplaysTheFirstAnswerAndRejectsADifferentPayload() throws Exception {
        HttpResponse<String> first = post("/emails", MAIL, KEY, "order-17/welcome");
        HttpResponse<String> again = post("/emails", MAIL.replace("{\"from\"", "{ \"from\""), KEY, "order-17/welcome");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).asJsonObject().getString("id")).isEqualTo(json(first).asJsonObject().getString("id"));
        assertThat(stub.sentEmails()).singleElement().satisfies(e -> assertThat(e.idempotencyKey()).isEqualTo("order-17/welcome"));
        assertThat(stub.requestCount()).isEqualTo(2);

        HttpResponse<String> different = post("/emails", MAIL.replace("\"Hi\"", "\"Hi again\""), KEY, "order-17/welcome");
        assertError(different, 409, "invalid_idempotent_request");
        assertThat(stub.sentEmails()).hasSize(1);

        HttpResponse<String> otherKey = post("/emails", MAIL, KEY, "order-18/welcome");
        assertThat(json(otherKey).asJsonObject().getString("id")).isNotEqualTo(json(first).asJsonObject().getString("id"));
        assertThat(stub.sentEmails()).hasSize(2);
    }

    @Test
    void idempotencyKeysExpireAfter24Hours() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
        stub.clock(clock);
        String id1 = json(post("/emails", MAIL, KEY, "k1")).asJsonObject().getString("id");
        clock.advance(Duration.ofHours(23));
        assertThat(json(post("/emails", MAIL, KEY, "k1")).asJsonObject().getString("id")).isEqualTo(id1);
        clock.advance(Duration.ofHours(1));
        assertThat(json(post("/emails", MAIL, KEY, "k1")).asJsonObject().getString("id")).isNotEqualTo(id1);
        assertThat(stub.sentEmails()).hasSize(2);
    }

    @Test
    void aRetryWhileTheOriginalIsInProgressIsAConflict() throws Exception {
        stub.delayNext(1, Duration.ofMillis(800));
        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(request("/emails", MAIL, KEY, "k-slow"),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(250);
        assertError(post("/emails", MAIL, KEY, "k-slow"), 409, "concurrent_idempotent_requests");
        HttpResponse<String> original = slow.get();
        assertThat(original.statusCode()).isEqualTo(200);
        assertThat(json(post("/emails", MAIL, KEY, "k-slow")).asJsonObject().getString("id"))
                .isEqualTo(json(original).asJsonObject().getString("id"));
        assertThat(stub.sentEmails()).hasSize(1);
    }

    @Test
    void batch() throws Exception {
        String three = "[" + String.join(",", MAIL, MAIL.replace("ann@", "bob@"), MAIL.replace("ann@", "cy@")) + "]";
        HttpResponse<String> r = post("/emails/batch", three, KEY, "batch-1");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonArray data = json(r).asJsonObject().getJsonArray("data");
        assertThat(data).hasSize(3);
        List<String> ids = data.getValuesAs(JsonObject.class).stream().map(o -> o.getString("id")).toList();
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches(UUID_RE));
        assertThat(stub.sentEmails()).extracting(ResendStub.SentEmail::id).containsExactlyElementsOf(ids);
        assertThat(stub.sentEmails()).allSatisfy(e -> assertThat(e.batch()).isTrue());
        assertThat(stub.sentEmails()).extracting(e -> e.to().get(0)).containsExactly("ann@example.org", "bob@example.org", "cy@example.org");
        assertThat(json(post("/emails/batch", three, KEY, "batch-1")).asJsonObject().getJsonArray("data")).isEqualTo(data);
        assertThat(stub.sentEmails()).hasSize(3);

        String tooMany = IntStream.range(0, 101).mapToObj(i -> MAIL).collect(Collectors.joining(",", "[", "]"));
        assertError(post("/emails/batch", tooMany, KEY, null), 422, "validation_error");
        String hundred = IntStream.range(0, 100).mapToObj(i -> MAIL).collect(Collectors.joining(",", "[", "]"));
        assertThat(json(post("/emails/batch", hundred, KEY, null)).asJsonObject().getJsonArray("data")).hasSize(100);
        assertError(post("/emails/batch", "[" + MAIL + ",{\"from\":\"a@acme.com\"}]", KEY, null), 422, "missing_required_field");
        assertError(post("/emails/batch", MAIL, KEY, null), 422, "validation_error");
        assertThat(stub.sentEmails()).hasSize(103);
    }

    @Test
    void aBatchWithOneInvalidEmailIsRefusedWholeWithoutNamingIt() throws Exception {
        List<String> emails = new ArrayList<>(IntStream.range(0, 100).mapToObj(i -> MAIL.replace("ann@", "u" + i + "@")).toList());
        emails.set(42, MAIL.replace("ann@example.org", "ann@localhost"));
        HttpResponse<String> r = post("/emails/batch", "[" + String.join(",", emails) + "]", KEY, "b-invalid");
        assertError(r, 422, "validation_error");
        assertThat(json(r).asJsonObject().getString("message")).doesNotContain("42").doesNotContain("index");
        assertThat(stub.sentEmails()).isEmpty();
        assertThat(stub.requests()).singleElement().satisfies(req -> {
            assertThat(req.emails()).isEqualTo(100);
            assertThat(req.accepted()).isZero();
        });

        emails.remove(42);
        HttpResponse<String> rest = post("/emails/batch", "[" + String.join(",", emails) + "]", KEY, "b-invalid");
        assertThat(rest.statusCode()).as("a refused request leaves no key behind").isEqualTo(200);
        assertThat(stub.sentEmails()).hasSize(99);
    }

    @Test
    void everyEmailNeedsABodyAndAtMost40Megabytes() throws Exception {
        String noBody = "{\"from\":\"a@acme.com\",\"to\":\"b@x.com\",\"subject\":\"s\"}";
        assertError(post("/emails", noBody, KEY, null), 422, "missing_required_field");
        assertError(post("/emails", noBody.replace("}", ",\"html\":\"\",\"text\":\"\"}"), KEY, null), 422, "missing_required_field");
        assertThat(post("/emails", noBody.replace("}", ",\"html\":\"<p>x</p>\"}"), KEY, null).statusCode()).isEqualTo(200);
        assertThat(post("/emails", noBody.replace("}", ",\"html\":\"\",\"text\":\"x\"}"), KEY, null).statusCode()).isEqualTo(200);

        String huge = noBody.replace("}", ",\"text\":\"" + "x".repeat(ResendStub.MAX_EMAIL_BYTES) + "\"}");
        assertError(post("/emails", huge, KEY, null), 422, "validation_error");
        assertThat(stub.sentEmails()).hasSize(2);
    }

    @Test
    void requestsCountTheEmailsTheyCarriedAndSent() throws Exception {
        String two = "[" + MAIL + "," + MAIL.replace("ann@", "bob@") + "]";
        post("/emails", MAIL, KEY, null);
        post("/emails/batch", two, KEY, "count-1");
        post("/emails/batch", two, KEY, "count-1");
        post("/emails/batch", "[" + MAIL + ",{\"from\":\"a@acme.com\"}]", KEY, null);
        post("/emails", "{not json", KEY, null);
        stub.failNext(1, 500, "application_error", "Boom.", 0);
        post("/emails/batch", two, KEY, null);
        get("/emails/" + stub.sentEmails().get(0).id());

        assertThat(stub.requests()).extracting(ResendStub.Request::emails).containsExactly(1, 2, 2, 2, 0, 2, 0);
        assertThat(stub.requests()).extracting(ResendStub.Request::accepted).containsExactly(1, 2, 0, 0, 0, 0, 0);
        assertThat(stub.requests()).noneMatch(ResendStub.Request::dropped);
        assertThat(stub.sentEmails()).hasSize(3);
    }

    @Test
    void aDroppedConnectionStillSendsAndTheKeyReplaysTheAnswer() throws Exception {
        String two = "[" + MAIL + "," + MAIL.replace("ann@", "bob@") + "]";
        stub.dropNext(1);
        assertThatThrownBy(() -> post("/emails/batch", two, KEY, "dropped-1")).isInstanceOf(java.io.IOException.class);
        assertThat(stub.sentEmails()).hasSize(2);
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.dropped()).isTrue();
            assertThat(r.accepted()).isEqualTo(2);
            assertThat(r.status()).isEqualTo(200);
        });

        HttpResponse<String> again = post("/emails/batch", two, KEY, "dropped-1");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).asJsonObject().getJsonArray("data").getValuesAs(JsonObject.class))
                .extracting(o -> o.getString("id"))
                .containsExactlyElementsOf(stub.sentEmails().stream().map(ResendStub.SentEmail::id).toList());
        assertThat(stub.sentEmails()).hasSize(2);
        assertError(post("/emails/batch", "[" + MAIL + "]", KEY, "dropped-1"), 409, "invalid_idempotent_request");
        assertThat(stub.sentEmails()).hasSize(2);
    }

    @Test
    void rateLimitPerKey() throws Exception {
        stub.enforceRateLimit(true).expectApiKey(null);
        HttpResponse<String> r1 = post("/emails", MAIL, "re_a", null);
        HttpResponse<String> r2 = post("/emails", MAIL, "re_a", null);
        HttpResponse<String> r3 = post("/emails", MAIL, "re_a", null);
        assertThat(r1.statusCode()).isEqualTo(200);
        assertThat(r1.headers().firstValue("ratelimit-limit")).hasValue("2");
        assertThat(r1.headers().firstValue("ratelimit-remaining")).hasValue("1");
        assertThat(r2.statusCode()).isEqualTo(200);
        assertThat(r2.headers().firstValue("ratelimit-remaining")).hasValue("0");
        assertError(r3, 429, "rate_limit_exceeded");
        assertThat(r3.headers().firstValue("retry-after")).hasValue("1");
        assertThat(r3.headers().firstValue("ratelimit-limit")).hasValue("2");
        assertThat(r3.headers().firstValue("ratelimit-remaining")).hasValue("0");
        assertThat(r3.headers().firstValue("ratelimit-reset")).hasValue("1");
        assertThat(post("/emails", MAIL, "re_b", null).statusCode()).as("another key has its own budget").isEqualTo(200);
        Thread.sleep(1050);
        assertThat(post("/emails", MAIL, "re_a", null).statusCode()).isEqualTo(200);
        assertThat(stub.sentEmails()).hasSize(4);
        assertThat(stub.requests()).extracting(ResendStub.Request::status).containsExactly(200, 200, 429, 200, 200);

        stub.enforceRateLimit(false);
        for (int i = 0; i < 5; i++) {
            assertThat(post("/emails", MAIL, "re_a", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void injectedFaults() throws Exception {
        stub.failNext(2, 500, "application_error", "Something went wrong.", 0);
        stub.failNext(1, 429, "daily_quota_exceeded", "You have reached your daily email sending quota.", 7);
        assertError(post("/emails", MAIL, KEY, null), 500, "application_error");
        assertError(post("/emails", MAIL, KEY, null), 500, "application_error");
        HttpResponse<String> quota = post("/emails", MAIL, KEY, null);
        assertError(quota, 429, "daily_quota_exceeded");
        assertThat(quota.headers().firstValue("retry-after")).hasValue("7");
        assertThat(post("/emails", MAIL, KEY, null).statusCode()).isEqualTo(200);
        assertThat(stub.sentEmails()).hasSize(1);
        assertThat(stub.requestCount()).isEqualTo(4);
    }

    @Test
    void concurrentSendsAreAllRecorded() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            all.add(http.sendAsync(request("/emails", MAIL.replace("ann@", "u" + i + "@"), KEY, "c-" + i),
                    HttpResponse.BodyHandlers.ofString()));
        }
        List<String> ids = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> f : all) {
            assertThat(f.get().statusCode()).isEqualTo(200);
            ids.add(json(f.get()).asJsonObject().getString("id"));
        }
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(stub.sentEmails()).hasSize(60);
    }

    @Test
    void jaxRsClient() {
        Client client = ClientBuilder.newClient();
        try {
            Response ok = client.target(stub.endpoint()).path("emails").request(MediaType.APPLICATION_JSON_TYPE)
                    .header("Authorization", "Bearer " + KEY).header("Idempotency-Key", "jaxrs-1")
                    .post(Entity.entity(MAIL, MediaType.APPLICATION_JSON_TYPE));
            assertThat(ok.getStatus()).isEqualTo(200);
            assertThat(ok.getMediaType().isCompatible(MediaType.APPLICATION_JSON_TYPE)).isTrue();
            String body = ok.readEntity(String.class);
            assertThat(Json.parse(body).asJsonObject().getString("id")).matches(UUID_RE);

            Response unauthorized = client.target(stub.endpoint()).path("emails").request()
                    .post(Entity.entity(MAIL, MediaType.APPLICATION_JSON_TYPE));
            assertThat(unauthorized.getStatus()).isEqualTo(401);
            JsonObject err = Json.parse(unauthorized.readEntity(String.class)).asJsonObject();
            assertThat(err.getInt("statusCode")).isEqualTo(401);
            assertThat(err.getString("name")).isEqualTo("missing_api_key");
        } finally {
            client.close();
        }
        assertThat(stub.sentEmails()).singleElement().satisfies(e -> assertThat(e.idempotencyKey()).isEqualTo("jaxrs-1"));
    }

    @Test
    void controlApiOverHttp() throws Exception {
        HttpResponse<String> s = post("/_stub/settings", "{\"rateLimit\":1,\"enforceRateLimit\":true}", null, null);
        assertThat(s.statusCode()).isEqualTo(200);
        assertThat(s.body()).contains("\"rateLimit\": 1").contains("\"apiKey\": \"" + KEY + "\"");
        assertThat(post("/emails", MAIL, KEY, null).statusCode()).isEqualTo(200);
        assertThat(post("/emails", MAIL, KEY, null).statusCode()).isEqualTo(429);

        assertThat(post("/_stub/faults", "{\"times\":1,\"status\":503,\"name\":\"internal_server_error\",\"message\":\"down\"}",
                null, null).statusCode()).isEqualTo(200);
        assertError(post("/emails", MAIL, KEY, null), 503, "internal_server_error");

        assertThat(post("/_stub/settings", "{\"enforceRateLimit\":false}", null, null).statusCode()).isEqualTo(200);
        assertThat(post("/_stub/faults", "{\"times\":1,\"drop\":true}", null, null).statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> post("/emails", MAIL, KEY, null)).isInstanceOf(java.io.IOException.class);

        String requests = get("/_stub/requests").body();
        assertThat(requests).contains("\"errorName\": \"rate_limit_exceeded\"").contains("\"status\": 503")
                .contains("\"emails\": 1").contains("\"accepted\": 1").contains("\"dropped\": true");
        assertThat(get("/_stub/counts").body()).contains("\"requests\": 4").contains("\"emails\": 2");
        assertThat(get("/_stub/mail.json").body()).contains("\"subject\": \"Hi\"").contains("Bearer <redacted>").doesNotContain(KEY);
        assertThat(get("/_stub/mail").body()).contains("hello@acme.com").contains("ann@example.org");

        assertThat(post("/_stub/reset", "", null, null).statusCode()).isEqualTo(200);
        assertThat(stub.sentEmails()).isEmpty();
        assertThat(stub.requestCount()).isZero();
        assertThat(get("/_stub/settings").body()).contains("\"rateLimit\": 2").contains("\"enforceRateLimit\": false");
    }

    // ------------------------------------------------------------------ helpers

    private static URI uri(String path) {
        return URI.create(stub.endpoint() + path);
    }

    private static HttpRequest request(String path, String body, String key, String idempotencyKey) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b.build();
    }

    private static HttpResponse<String> post(String path, String body, String key, String idempotencyKey) throws Exception {
        return http.send(request(path, body, key, idempotencyKey), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static jakarta.json.JsonValue json(HttpResponse<String> r) {
        return Json.parse(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String name) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonObject o = json(r).asJsonObject();
        assertThat(o.keySet()).containsExactlyInAnyOrder("statusCode", "name", "message");
        assertThat(o.getInt("statusCode")).isEqualTo(status);
        assertThat(o.getString("name")).isEqualTo(name);
        assertThat(o.getString("message")).isNotBlank();
    }
}
