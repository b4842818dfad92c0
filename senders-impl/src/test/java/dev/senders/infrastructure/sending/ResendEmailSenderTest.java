package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.sending.ResendEmailSender.RequestOutcome;
import dev.senders.infrastructure.sending.ResendEmailSender.RequestOutcome.Kind;
import dev.senders.sandbox.ResendStub;
import jakarta.json.Json;
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

import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against the loopback Resend stub with the real Jersey client. */
class ResendEmailSenderTest {

    private static final String KEY = "re_test";

    private static ResendStub stub;
    private static Client client;
    private static ResendEmailSender sender;

    @BeforeAll
    static void start() {
        stub = ResendStub.start().expectApiKey(KEY);
        client = ClientBuilder.newBuilder().connectTimeout(5, TimeUnit.SECONDS).readTimeout(20, TimeUnit.SECONDS).build();
        sender = new ResendEmailSender(client, stub.endpoint(), KEY);
    }

    @AfterAll
    static void stop() {
        client.close();
        stub.close();
    }

    @BeforeEach
    void reset() {
        stub.reset();
    }

    private static EmailMessage.Builder message() {
        return EmailMessage.builder().to("bob@example.org").from("news@acme.com").subject("Hello")
                .html("<p>Hi Bob</p>").text("Hi Bob").organizationId("org-1").idempotencyKey("item-1");
    }

    private static List<EmailMessage> batch(int size, String prefix) {
        return IntStream.range(0, size).mapToObj(i -> message().to("r" + i + "@example.org")
                .idempotencyKey(prefix + i).build()).toList();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    // ------------------------------------------------------------------ keys

    @Test
    void aMessageKeyIsScopedByOrganizationAndStable() {
        assertThat(ResendEmailSender.messageKey("org-1", "campaign-item-42"))
                .as("SHA-256 of the length-prefixed fields, computed independently")
                .isEqualTo("msg-7e12d1ea25df528c5d79c1b1c4bd1d805865cce5a9165490f751b7339f3fdf45");
        assertThat(ResendEmailSender.messageKey("org-1", "k")).isEqualTo(ResendEmailSender.messageKey("org-1", "k"))
                .isNotEqualTo(ResendEmailSender.messageKey("org-2", "k"));
        assertThat(ResendEmailSender.messageKey("a", "b:c")).isNotEqualTo(ResendEmailSender.messageKey("a:b", "c"));
        assertThat(ResendEmailSender.messageKey("a", "b\nc")).isNotEqualTo(ResendEmailSender.messageKey("a\nb", "c"));
        assertThat(ResendEmailSender.messageKey("a", "\0b")).isNotEqualTo(ResendEmailSender.messageKey("a\0", "b"));
        assertThat(ResendEmailSender.messageKey(message().organizationId("o").idempotencyKey("k").build()))
                .isEqualTo(ResendEmailSender.messageKey("o", "k"));
        assertThat(ResendEmailSender.messageKey("org-1", null)).isNull();
        assertThat(ResendEmailSender.messageKey("org-1", " ")).isNull();
        for (String key : List.of("x".repeat(10_000), "zoë\r\n\u2028", "k")) {
            assertThat(ResendEmailSender.messageKey("ö".repeat(500), key)).hasSize(68).matches("[\\x21-\\x7e]+");
        }
    }

    @Test
    void aBatchKeyIsScopedByOrganizationAndOrder() {
        assertThat(ResendEmailSender.batchKey("org-1", List.of("k-1", "k-2")))
                .isEqualTo("batch-e7a6c0ed2548d57b19e5509152c2cd547ac81f9e656bdc2827c1ba04f9e9d3df");
        String key = ResendEmailSender.batchKey("org-1", List.of("k-1", "k-2"));
        assertThat(key).hasSize(70).matches("[\\x21-\\x7e]+");
        assertThat(ResendEmailSender.batchKey("org-2", List.of("k-1", "k-2"))).isNotEqualTo(key);
        assertThat(ResendEmailSender.batchKey("org-1", List.of("k-2", "k-1"))).isNotEqualTo(key);
        assertThat(ResendEmailSender.batchKey("org-1", List.of("k-1"))).isNotEqualTo(key)
                .isNotEqualTo(ResendEmailSender.messageKey("org-1", "k-1"));
        assertThat(ResendEmailSender.batchKey("o", List.of("a", "b"))).isNotEqualTo(ResendEmailSender.batchKey("o", List.of("ab")))
                .isNotEqualTo(ResendEmailSender.batchKey("o", List.of("a\nb")));
        assertThat(ResendEmailSender.batchKey("org-1", List.of())).isNull();
        assertThat(ResendEmailSender.batchKey("org-1", java.util.Arrays.asList("k-1", null))).isNull();
        assertThat(ResendEmailSender.batchKey("org-1", List.of("k-1", ""))).isNull();

        List<EmailMessage> sameOrganization = List.of(message().idempotencyKey("k-1").build(),
                message().idempotencyKey("k-2").build());
        assertThat(ResendEmailSender.batchKey(sameOrganization)).isEqualTo(key);
        List<EmailMessage> mixed = List.of(message().idempotencyKey("k-1").build(),
                message().organizationId("org-2").idempotencyKey("k-2").build());
        assertThat(ResendEmailSender.batchKey(mixed)).isNotNull().isNotEqualTo(key);
    }

    @Test
    void twoOrganizationsWithTheSameKeyBothSend() {
        EmailMessage a = message().organizationId("org-a").idempotencyKey("welcome-1").build();
        EmailMessage b = message().organizationId("org-b").idempotencyKey("welcome-1").build();

        RequestOutcome first = sender.sendOne(a, ResendEmailSender.messageKey(a));
        RequestOutcome second = sender.sendOne(b, ResendEmailSender.messageKey(b));
        RequestOutcome again = sender.sendOne(a, ResendEmailSender.messageKey(a));

        assertThat(first.kind()).isEqualTo(Kind.ACCEPTED);
        assertThat(second.kind()).isEqualTo(Kind.ACCEPTED);
        assertThat(second.ids()).isNotEqualTo(first.ids());
        assertThat(again.ids()).as("a replay").isEqualTo(first.ids());
        assertThat(stub.sentEmails()).extracting(ResendStub.SentEmail::idempotencyKey)
                .containsExactly(ResendEmailSender.messageKey("org-a", "welcome-1"),
                        ResendEmailSender.messageKey("org-b", "welcome-1"));
    }

    // ------------------------------------------------------------------ the request body

    @Test
    void sendsTheFieldsOfResendsPublishedApiInAFixedOrder() {
        EmailMessage m = message().fromName("Acme, Inc.").subject("Grüße").addReplyTo("help@acme.com")
                .addReplyTo("Support <support@acme.com>").header("X-E", "5").header("X-B", "2")
                .header("X-C", "<https://acme.com/u/1>").header("X-D", "4").header("X-A", "1")
                .tag("kind", "news letter").tag("a", "1").tag("z", "26").campaignId("spring/2025").build();

        RequestOutcome outcome = sender.sendOne(m, ResendEmailSender.messageKey(m));

        assertThat(outcome.kind()).as("%s", outcome).isEqualTo(Kind.ACCEPTED);
        ResendStub.SentEmail sent = stub.sentEmails().get(0);
        assertThat(outcome.ids()).containsExactly(sent.id());
        assertThat(outcome.error()).isNull();
        assertThat(stub.requests().get(0).body()).isEqualTo("{\"from\":\"\\\"Acme, Inc.\\\" <news@acme.com>\","
                + "\"to\":[\"bob@example.org\"],\"subject\":\"Grüße\",\"html\":\"<p>Hi Bob</p>\",\"text\":\"Hi Bob\","
                + "\"reply_to\":[\"help@acme.com\",\"Support <support@acme.com>\"],"
                + "\"headers\":{\"X-A\":\"1\",\"X-B\":\"2\",\"X-C\":\"<https://acme.com/u/1>\",\"X-D\":\"4\",\"X-E\":\"5\"},"
                + "\"tags\":[{\"name\":\"a\",\"value\":\"1\"},{\"name\":\"campaign\",\"value\":\"spring_2025\"},"
                + "{\"name\":\"kind\",\"value\":\"news_letter\"},{\"name\":\"organization\",\"value\":\"org-1\"},"
                + "{\"name\":\"z\",\"value\":\"26\"}]}");
        assertThat(stub.requests().get(0).path()).isEqualTo("/emails");
        assertThat(sent.idempotencyKey()).isEqualTo(ResendEmailSender.messageKey("org-1", "item-1"));
        assertThat(sent.apiKey()).isEqualTo(KEY);
        assertThat(sent.requestHeaders().get("content-type").get(0)).startsWith("application/json");
    }

    @Test
    void encodesANonAsciiDisplayNameAndOmitsEmptyFields() {
        RequestOutcome outcome = sender.sendOne(message().fromName("Zoë Café").html(null).idempotencyKey(null).build(), null);

        assertThat(outcome.kind()).as("%s", outcome).isEqualTo(Kind.ACCEPTED);
        ResendStub.SentEmail sent = stub.sentEmails().get(0);
        assertThat(sent.from()).isEqualTo("=?UTF-8?Q?Zo=C3=AB_Caf=C3=A9?= <news@acme.com>");
        assertThat(json(sent.json()).keySet()).containsExactlyInAnyOrder("from", "to", "subject", "text", "tags");
        assertThat(sent.idempotencyKey()).isNull();
    }

    @Test
    void theSameBatchGivesTheSameBytes() {
        List<EmailMessage> messages = List.of(
                message().to("a@example.org").idempotencyKey("b-1").tag("t2", "x").tag("t1", "y").header("X-2", "b").header("X-1", "a").build(),
                message().to("b@example.org").idempotencyKey("b-2").build());
        List<EmailMessage> rebuilt = messages.stream().map(m -> m.toBuilder().build()).toList();

        assertThat(sender.sendBatch(messages, null).kind()).isEqualTo(Kind.ACCEPTED);
        assertThat(sender.sendBatch(rebuilt, null).kind()).isEqualTo(Kind.ACCEPTED);

        List<ResendStub.Request> requests = stub.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
        assertThat(requests.get(0).body()).startsWith("[{").contains("\"headers\":{\"X-1\":\"a\",\"X-2\":\"b\"}");
        assertThat(stub.sentEmails()).as("no key: both sent").hasSize(4);
    }

    // ------------------------------------------------------------------ batches

    @Test
    void aBatchOfOneHundredIsOneRequestWithTheIdsInOrder() {
        List<EmailMessage> messages = batch(100, "k-");
        String key = ResendEmailSender.batchKey(messages);

        RequestOutcome outcome = sender.sendBatch(messages, key);

        assertThat(outcome.kind()).as("%s", outcome).isEqualTo(Kind.ACCEPTED);
        assertThat(stub.requests()).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/emails/batch");
            assertThat(r.emails()).isEqualTo(100);
            assertThat(r.accepted()).isEqualTo(100);
            assertThat(r.idempotencyKey()).isEqualTo(key);
        });
        assertThat(stub.sentEmails()).extracting(e -> e.to().get(0))
                .containsExactlyElementsOf(messages.stream().map(EmailMessage::to).toList());
        assertThat(outcome.ids()).containsExactlyElementsOf(stub.sentEmails().stream().map(ResendStub.SentEmail::id).toList());
    }

    @Test
    void oneInvalidEmailInABatchOfOneHundredSendsNothingAndNamesIt() {
        List<EmailMessage> messages = new ArrayList<>(batch(100, "k-"));
        messages.set(37, message().to("bob smith@example.org").idempotencyKey("k-37").build());

        RequestOutcome outcome = sender.sendBatch(messages, ResendEmailSender.batchKey(messages));

        assertThat(outcome.kind()).isEqualTo(Kind.INVALID);
        assertThat(outcome.invalidIndex()).isEqualTo(37);
        assertThat(outcome.error()).startsWith("to ").doesNotContain("bob smith");
        assertThat(outcome.ids()).isEmpty();
        assertThat(stub.requestCount()).as("refused before any request").isZero();

        messages.remove(37);
        RequestOutcome rest = sender.sendBatch(messages, ResendEmailSender.batchKey(messages));
        assertThat(rest.kind()).isEqualTo(Kind.ACCEPTED);
        assertThat(rest.ids()).hasSize(99).doesNotContainNull();
        assertThat(stub.sentEmails()).hasSize(99);
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void aBatchThatResendRefusesSendsNothingAndCannotNameTheEmail() {
        stub.failNext(1, 422, "validation_error", "Invalid `to` field.", 0);
        List<EmailMessage> messages = batch(100, "k-");

        RequestOutcome outcome = sender.sendBatch(messages, ResendEmailSender.batchKey(messages));

        assertThat(outcome.kind()).isEqualTo(Kind.INVALID);
        assertThat(outcome.invalidIndex()).isNull();
        assertThat(outcome.error()).isEqualTo("Resend 422 validation_error: Invalid `to` field.");
        assertThat(outcome.maybeSent()).isFalse();
        assertThat(stub.sentEmails()).isEmpty();
    }

    @Test
    void aBatchSentAgainAfterALostAnswerIsSentOnce() {
        List<EmailMessage> messages = batch(100, "lost-");
        String key = ResendEmailSender.batchKey(messages);
        stub.dropNext(1);

        RequestOutcome lost = sender.sendBatch(messages, key);
        assertThat(lost.kind()).as("%s", lost).isEqualTo(Kind.TIMEOUT);
        assertThat(lost.maybeSent()).isTrue();
        assertThat(stub.requests()).as("the client did not send it again by itself").hasSize(1);

        RequestOutcome again = sender.sendBatch(messages.stream().map(m -> m.toBuilder().build()).toList(), key);

        assertThat(again.kind()).as("%s", again).isEqualTo(Kind.ACCEPTED);
        assertThat(stub.sentEmails()).hasSize(100);
        assertThat(again.ids()).containsExactlyElementsOf(stub.sentEmails().stream().map(ResendStub.SentEmail::id).toList());
        List<ResendStub.Request> requests = stub.requests();
        assertThat(requests).extracting(ResendStub.Request::accepted).containsExactly(100, 0);
        assertThat(requests.get(1).body()).isEqualTo(requests.get(0).body());
    }

    @Test
    void aBatchIsOneToOneHundredEmailsAndKeysArePrintable() {
        assertThatThrownBy(() -> sender.sendBatch(List.of(), null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sender.sendBatch(batch(101, "k-"), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101");
        assertThatThrownBy(() -> sender.sendOne(message().build(), "x".repeat(257)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sender.sendOne(message().build(), "a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sender.sendOne(message().build(), "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(stub.requestCount()).isZero();
    }

    // ------------------------------------------------------------------ every outcome

    @Test
    void throttledCarriesRetryAfterAndIsNotRetriedHere() {
        stub.failNext(1, 429, "rate_limit_exceeded", "Too many requests.", 7);

        RequestOutcome outcome = sender.sendOne(message().build(), "k");

        assertThat(outcome.kind()).isEqualTo(Kind.THROTTLED);
        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(outcome.error()).contains("429").contains("rate_limit_exceeded");
        assertThat(stub.requestCount()).isEqualTo(1);
        assertThat(stub.sentEmails()).isEmpty();
    }

    @Test
    void retryAfterIsReadAsSecondsAnHttpDateOrTheRateLimitReset() {
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        assertThat(ResendEmailSender.retryAfter(Response.status(429).header("retry-after", inAMinute).build()))
                .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
        assertThat(ResendEmailSender.retryAfter(Response.status(429).header("retry-after", "3").build()))
                .isEqualTo(Duration.ofSeconds(3));
        assertThat(ResendEmailSender.retryAfter(Response.status(429).header("ratelimit-reset", "2").build()))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(ResendEmailSender.retryAfter(Response.status(429).build())).isEqualTo(Duration.ofSeconds(1));
        assertThat(ResendEmailSender.retryAfter(Response.status(429).header("retry-after", "soon").build()))
                .isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aQuotaIsNotThrottling() {
        stub.failNext(1, 429, "daily_quota_exceeded", "You have reached your daily email sending quota.", 0);

        RequestOutcome outcome = sender.sendOne(message().build(), "k");

        assertThat(outcome.kind()).isEqualTo(Kind.QUOTA_EXCEEDED);
        assertThat(outcome.retryAfter()).isNull();
        assertThat(outcome.error()).contains("daily_quota_exceeded");
    }

    @Test
    void aRefusedPayloadIsInvalid() {
        stub.failNext(1, 422, "validation_error", "Invalid `to` field.", 0);
        stub.failNext(1, 400, "validation_error", "The request body is not valid JSON.", 0);
        stub.failNext(1, 422, "missing_required_field", "Missing `to` field.", 0);

        for (int i = 0; i < 3; i++) {
            RequestOutcome outcome = sender.sendOne(message().build(), "k");
            assertThat(outcome.kind()).isEqualTo(Kind.INVALID);
            assertThat(outcome.invalidIndex()).isNull();
        }
        assertThat(stub.sentEmails()).isEmpty();
    }

    @Test
    void otherClientErrorsAreRejectedAndNeverShowTheKey() {
        ResendEmailSender wrong = new ResendEmailSender(client, stub.endpoint(), "re_wrong_secret");

        RequestOutcome outcome = wrong.sendOne(message().build(), "k");

        assertThat(outcome.kind()).isEqualTo(Kind.REJECTED);
        assertThat(outcome.error()).contains("403").contains("invalid_api_key").doesNotContain("re_wrong_secret");
        assertThat(wrong.toString()).doesNotContain("re_wrong_secret").contains("apiKey=set");
        assertThat(sender.toString()).doesNotContain(KEY);

        stub.failNext(1, 400, "invalid_idempotency_key", "The key must be between 1-256 chars.", 0);
        stub.failNext(1, 403, "validation_error", "The acme.com domain is not verified.", 0);
        stub.failNext(1, 409, "something_else", "?", 0);
        for (int i = 0; i < 3; i++) {
            assertThat(sender.sendOne(message().build(), "k").kind()).isEqualTo(Kind.REJECTED);
        }
        assertThat(stub.sentEmails()).isEmpty();
    }

    @Test
    void theSameKeyWithAnotherPayloadIsAConflict() {
        assertThat(sender.sendOne(message().build(), "k").kind()).isEqualTo(Kind.ACCEPTED);

        RequestOutcome other = sender.sendOne(message().subject("Something else").build(), "k");

        assertThat(other.kind()).isEqualTo(Kind.CONFLICT);
        assertThat(other.error()).contains("409").contains("invalid_idempotent_request");
        assertThat(stub.sentEmails()).hasSize(1);
    }

    @Test
    void theSameKeyWhileTheFirstRequestRunsIsInProgress() throws Exception {
        stub.delayNext(1, Duration.ofSeconds(2));
        CompletableFuture<RequestOutcome> first = CompletableFuture.supplyAsync(() -> sender.sendOne(message().build(), "k"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stub.requestCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        RequestOutcome second = sender.sendOne(message().build(), "k");

        assertThat(second.kind()).as("%s", second).isEqualTo(Kind.IN_PROGRESS);
        assertThat(second.maybeSent()).isFalse();
        RequestOutcome original = first.get(20, TimeUnit.SECONDS);
        assertThat(original.kind()).isEqualTo(Kind.ACCEPTED);
        assertThat(sender.sendOne(message().build(), "k").ids()).isEqualTo(original.ids());
        assertThat(stub.sentEmails()).hasSize(1);
    }

    @Test
    void serverErrorsAreUnavailableExceptAGatewayTimeout() {
        stub.failNext(1, 500, "application_error", "Something went wrong.", 0);
        stub.failNext(1, 503, "internal_server_error", "Down.", 0);
        stub.failNext(1, 408, "request_timeout", "Too slow.", 0);
        stub.failNext(1, 504, "gateway_timeout", "Upstream did not answer.", 0);

        RequestOutcome first = sender.sendOne(message().build(), "k");
        assertThat(first.kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(first.error()).isEqualTo("Resend 500 application_error: Something went wrong.");
        assertThat(sender.sendOne(message().build(), "k").kind()).isEqualTo(Kind.UNAVAILABLE);
        assertThat(sender.sendOne(message().build(), "k").kind()).isEqualTo(Kind.UNAVAILABLE);
        RequestOutcome gateway = sender.sendOne(message().build(), "k");
        assertThat(gateway.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(gateway.maybeSent()).isTrue();
    }

    @Test
    void anUnreachableServerIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ResendEmailSender down = new ResendEmailSender(client, URI.create("http://127.0.0.1:" + port), KEY);

        RequestOutcome outcome = down.sendBatch(batch(2, "k-"), "k");

        assertThat(outcome.kind()).as("%s", outcome).isEqualTo(Kind.UNAVAILABLE);
        assertThat(outcome.maybeSent()).isFalse();
        assertThat(outcome.error()).contains("could not reach Resend");
    }

    @Test
    void noAnswerInTimeIsATimeoutAndTheSameRequestLaterGetsTheFirstAnswer() throws Exception {
        Client impatient = ClientBuilder.newBuilder().readTimeout(500, TimeUnit.MILLISECONDS).build();
        try {
            ResendEmailSender s = new ResendEmailSender(impatient, stub.endpoint(), KEY);
            stub.delayNext(1, Duration.ofSeconds(3));
            List<EmailMessage> messages = batch(3, "slow-");
            String key = ResendEmailSender.batchKey(messages);

            RequestOutcome timedOut = s.sendBatch(messages, key);
            assertThat(timedOut.kind()).as("%s", timedOut).isEqualTo(Kind.TIMEOUT);
            assertThat(timedOut.error()).contains("may have been accepted");

            RequestOutcome later;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                Thread.sleep(200);
                later = sender.sendBatch(messages, key);
            } while (later.kind() == Kind.IN_PROGRESS && System.nanoTime() < deadline);
            assertThat(later.kind()).as("%s", later).isEqualTo(Kind.ACCEPTED);
            assertThat(stub.sentEmails()).hasSize(3);
            assertThat(later.ids()).containsExactlyElementsOf(stub.sentEmails().stream().map(ResendStub.SentEmail::id).toList());
        } finally {
            impatient.close();
        }
    }

    @Test
    void withoutAKeyNothingIsSent() {
        ResendEmailSender none = new ResendEmailSender(client, stub.endpoint(), " ");

        assertThat(none.sendOne(message().build(), "k").kind()).isEqualTo(Kind.NOT_CONFIGURED);
        RequestOutcome batch = none.sendBatch(batch(2, "k-"), "k");
        assertThat(batch.kind()).isEqualTo(Kind.NOT_CONFIGURED);
        assertThat(batch.error()).contains("no Resend API key");
        assertThat(none.toString()).contains("apiKey=missing");
        assertThat(stub.requestCount()).isZero();
    }

    // ------------------------------------------------------------------ local checks

    @Test
    void invalidCatchesWhatResendRefuses() {
        List<EmailMessage> refusedByResend = List.of(
                message().to("bob@localhost").build(),
                message().to("\"bob smith\"@example.org").build(),
                message().from("news@acme").build(),
                message().addReplyTo("help@acme").build(),
                message().subject(" ").build(),
                message().html("").text(null).build(),
                message().html(null).text("").build());
        for (EmailMessage m : refusedByResend) {
            assertThat(sender.invalid(m)).as("%s", m).isPresent();
            assertThat(sender.sendOne(m, null).kind()).isEqualTo(Kind.INVALID);
            assertThat(post("emails", sender.email(m).toString())).as("the stub refuses %s", m).isEqualTo(422);
        }
        assertThat(stub.sentEmails()).isEmpty();

        List<EmailMessage> headerInjection = List.of(message().subject("Hi\r\nBcc: victim@example.org").build(),
                message().fromName("Acme\nBcc: victim@example.org").build(),
                message().header("X-Campaign", "1\nBcc: victim@example.org").build());
        for (EmailMessage m : headerInjection) {
            assertThat(sender.invalid(m)).as("%s", m).get().asString().contains("line break");
        }
        EmailMessage huge = message().html("x".repeat(ResendEmailSender.MAX_EMAIL_BYTES)).build();
        assertThat(sender.invalid(huge)).contains("the email is larger than Resend's 40 MB");
        assertThat(stub.requestCount()).as("only the direct posts above").isEqualTo(refusedByResend.size());
    }

    @Test
    void invalidLetsThroughWhatResendAccepts() {
        List<EmailMessage> accepted = List.of(
                message().build(),
                message().to("Bob Büchner <bob+news@bücher.example>").build(),
                message().to("o'brien@mail.example.co.uk").fromName("\"Quoted\" <Name>, Inc.").build(),
                message().fromName("Zoë").addReplyTo("Help Desk <help@acme.com>").addReplyTo("x@sub.acme.com").build(),
                message().html(null).build(),
                message().text(null).build());
        for (EmailMessage m : accepted) {
            assertThat(sender.invalid(m)).as("%s", m).isEmpty();
        }
        RequestOutcome outcome = sender.sendBatch(accepted, null);
        assertThat(outcome.kind()).as("%s", outcome).isEqualTo(Kind.ACCEPTED);
        assertThat(stub.sentEmails()).hasSize(accepted.size());
    }

    private static int post(String path, String body) {
        try (Response r = client.target(stub.endpoint()).path(path).request()
                .header("Authorization", "Bearer " + KEY).post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE))) {
            return r.getStatus();
        }
    }

    // ------------------------------------------------------------------ one-click unsubscribe (issue 17)

    @Test
    void aOneClickUnsubscribeLinkGoesInTheHeadersTheSameOnAReplay() {
        var links = new dev.senders.infrastructure.unsubscribe.UnsubscribeLinks(java.net.URI.create("https://app.acme.io"),
                new dev.senders.infrastructure.unsubscribe.UnsubscribeTokens(List.of("unsubscribe-secret-for-resend-test-01")),
                90, java.time.Clock.systemUTC());
        ResendEmailSender withLinks = new ResendEmailSender(client, stub.endpoint(), KEY, links);
        EmailMessage m = message().unsubscribe("spring").header("X-Campaign", "7").build();

        assertThat(withLinks.invalid(m)).isEmpty();
        assertThat(withLinks.sendOne(m, ResendEmailSender.messageKey(m)).kind()).isEqualTo(Kind.ACCEPTED);
        assertThat(withLinks.sendOne(m, ResendEmailSender.messageKey(m)).kind()).as("a replay: the same body")
                .isEqualTo(Kind.ACCEPTED);

        assertThat(stub.sentEmails()).hasSize(1);
        java.util.Map<String, String> headers = stub.sentEmails().get(0).headers();
        assertThat(headers).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .containsEntry("X-Campaign", "7");
        String token = headers.get("List-Unsubscribe").replaceFirst("^<https://app\\.acme\\.io/api/unsubscribe/", "")
                .replaceFirst(">$", "");
        assertThat(links.check(token).token().recipient()).isEqualTo("bob@example.org");
        assertThat(stub.requests().get(1).body()).isEqualTo(stub.requests().get(0).body());
        // without links, a message asking for one is not sent
        assertThat(sender.invalid(m)).hasValueSatisfying(why -> assertThat(why).contains("senders.unsubscribe"));
        assertThat(sender.sendOne(m, null).kind()).isEqualTo(Kind.INVALID);
        assertThat(stub.requests()).hasSize(2);
    }
}
