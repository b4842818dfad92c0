package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.sandbox.ResendStub;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Against the loopback Resend stub with the real Jersey client. */
class ResendEmailSenderTest {

    private static final String KEY = "re_test";

    private static ResendStub stub;
    private static Client client;
    private static ResendEmailSender sender;

    @BeforeAll
    static void start() {
        stub = ResendStub.start().expectApiKey(KEY);
        client = ClientBuilder.newBuilder().connectTimeout(2, TimeUnit.SECONDS).readTimeout(3, TimeUnit.SECONDS).build();
        sender = new ResendEmailSender(client, stub.endpoint(), KEY, 3, Duration.ofSeconds(10));
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

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    @Test
    void sendsTheFieldsOfResendsPublishedApi() {
        SendResult result = sender.send(message().fromName("Acme, Inc.").subject("Grüße").addReplyTo("help@acme.com")
                .addReplyTo("Support <support@acme.com>").header("List-Unsubscribe", "<https://acme.com/u/1>")
                .tag("kind", "news letter").campaignId("spring/2025").build());

        assertThat(result.status()).as("%s", result).isEqualTo(SendResult.Status.SENT);
        assertThat(result.provider()).isEqualTo(ProviderName.RESEND);
        assertThat(stub.sentEmails()).hasSize(1);
        ResendStub.SentEmail sent = stub.sentEmails().get(0);
        assertThat(result.messageId()).isEqualTo(sent.id());

        JsonObject body = json(sent.json());
        assertThat(body.keySet()).containsExactlyInAnyOrder("from", "to", "subject", "html", "text", "reply_to",
                "headers", "tags");
        assertThat(body.getString("from")).isEqualTo("\"Acme, Inc.\" <news@acme.com>");
        assertThat(body.get("to").getValueType()).isEqualTo(JsonValue.ValueType.ARRAY);
        assertThat(body.getJsonArray("to").getString(0)).isEqualTo("bob@example.org");
        assertThat(body.getString("subject")).isEqualTo("Grüße");
        assertThat(body.getString("html")).isEqualTo("<p>Hi Bob</p>");
        assertThat(body.getString("text")).isEqualTo("Hi Bob");
        assertThat(body.getJsonArray("reply_to").getValuesAs(JsonValue::toString))
                .containsExactly("\"help@acme.com\"", "\"Support <support@acme.com>\"");
        assertThat(body.getJsonObject("headers")).isEqualTo(Json.createObjectBuilder()
                .add("List-Unsubscribe", "<https://acme.com/u/1>").build());
        assertThat(body.getJsonArray("tags")).isEqualTo(Json.createArrayBuilder()
                .add(Json.createObjectBuilder().add("name", "kind").add("value", "news_letter"))
                .add(Json.createObjectBuilder().add("name", "organization").add("value", "org-1"))
                .add(Json.createObjectBuilder().add("name", "campaign").add("value", "spring_2025"))
                .build());
        assertThat(sent.idempotencyKey()).isEqualTo("item-1");
        assertThat(sent.apiKey()).isEqualTo(KEY);
        assertThat(sent.requestHeaders().get("content-type").get(0)).startsWith("application/json");
    }

    @Test
    void encodesANonAsciiDisplayNameAndOmitsEmptyFields() {
        SendResult result = sender.send(message().fromName("Zoë Café").html(null).idempotencyKey(null).build());

        assertThat(result.success()).as("%s", result).isTrue();
        ResendStub.SentEmail sent = stub.sentEmails().get(0);
        assertThat(sent.from()).isEqualTo("=?UTF-8?Q?Zo=C3=AB_Caf=C3=A9?= <news@acme.com>");
        assertThat(json(sent.json()).keySet()).containsExactlyInAnyOrder("from", "to", "subject", "text", "tags");
        assertThat(sent.idempotencyKey()).isNull();
    }

    @Test
    void aReplayWithTheSameIdempotencyKeyReturnsTheSameIdWithoutASecondSend() {
        SendResult first = sender.send(message().build());
        SendResult replay = sender.send(message().build());

        assertThat(first.success()).isTrue();
        assertThat(replay.success()).isTrue();
        assertThat(replay.messageId()).isEqualTo(first.messageId());
        assertThat(stub.sentEmails()).hasSize(1);
        assertThat(stub.requestCount()).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherMessageIsRefused() {
        sender.send(message().build());
        SendResult other = sender.send(message().subject("Something else").build());

        assertThat(other.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(other.retryable()).isFalse();
        assertThat(other.error()).contains("409").contains("invalid_idempotent_request");
    }

    @Test
    void aThrottledSendIsRetriedAfterRetryAfter() {
        stub.failNext(1, 429, "rate_limit_exceeded", "Too many requests.", 1);

        long start = System.nanoTime();
        SendResult result = sender.send(message().build());

        assertThat(result.status()).as("%s", result).isEqualTo(SendResult.Status.SENT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(stub.requestCount()).isEqualTo(2);
        assertThat(stub.requests().get(1).idempotencyKey()).isEqualTo("item-1");
        assertThat(stub.sentEmails()).hasSize(1);
    }

    @Test
    void stillThrottledAfterTheRetriesIsRetryable() {
        ResendEmailSender twice = new ResendEmailSender(client, stub.endpoint(), KEY, 2, Duration.ofSeconds(10));
        stub.failNext(10, 429, "rate_limit_exceeded", "Too many requests.", 1);

        SendResult result = twice.send(message().build());

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.error()).contains("429").contains("rate_limit_exceeded").contains("after 2 retries");
        assertThat(stub.requestCount()).isEqualTo(3);
        assertThat(stub.sentEmails()).isEmpty();
    }

    @Test
    void aRetryAfterLongerThanTheMaximumIsNotWaitedFor() {
        stub.failNext(1, 429, "rate_limit_exceeded", "Too many requests.", 60);

        long start = System.nanoTime();
        SendResult result = sender.send(message().build());

        assertThat(result.retryable()).isTrue();
        assertThat(result.error()).contains("retry-after 60 s");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void serverErrorsAreRetryable() {
        stub.failNext(1, 500, "application_error", "Something went wrong.", 0);

        SendResult result = sender.send(message().build());

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.error()).contains("500").contains("application_error").contains("Something went wrong.");
        assertThat(stub.requestCount()).isEqualTo(1);
    }

    @Test
    void validationErrorsAreNotRetryable() {
        stub.failNext(1, 422, "validation_error", "Invalid `to` field.", 0);

        SendResult result = sender.send(message().build());

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isFalse();
        assertThat(result.error()).isEqualTo("Resend 422 validation_error: Invalid `to` field.");
    }

    @Test
    void aWrongKeyIsNotRetryableAndNeverShown() {
        ResendEmailSender wrong = new ResendEmailSender(client, stub.endpoint(), "re_wrong_secret", 3,
                Duration.ofSeconds(10));

        SendResult result = wrong.send(message().build());

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isFalse();
        assertThat(result.error()).contains("403").contains("invalid_api_key").doesNotContain("re_wrong_secret");
        assertThat(wrong.toString()).doesNotContain("re_wrong_secret").contains("apiKey=set");
        assertThat(sender.toString()).doesNotContain(KEY);
    }

    @Test
    void withoutAKeyNothingIsSent() {
        ResendEmailSender none = new ResendEmailSender(client, stub.endpoint(), " ", 3, Duration.ofSeconds(10));

        SendResult result = none.send(message().build());

        assertThat(result.retryable()).isFalse();
        assertThat(result.error()).contains("no Resend API key");
        assertThat(none.toString()).contains("apiKey=missing");
        assertThat(stub.requestCount()).isZero();
    }

    @Test
    void headerInjectionIsRefusedWithoutARequest() {
        for (EmailMessage m : List.of(message().subject("Hi\r\nBcc: victim@example.org").build(),
                message().fromName("Acme\nBcc: victim@example.org").build(),
                message().header("X-Campaign", "1\nBcc: victim@example.org").build())) {
            SendResult result = sender.send(m);
            assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
            assertThat(result.retryable()).isFalse();
        }
        assertThat(stub.requestCount()).isZero();
    }

    @Test
    void anUnreachableServerIsRetryable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ResendEmailSender down = new ResendEmailSender(client, URI.create("http://127.0.0.1:" + port), KEY, 3,
                Duration.ofSeconds(10));

        SendResult result = down.send(message().build());

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.error()).contains("could not reach Resend");
    }

    @Test
    void acceptedThenTimedOutIsRetryableAndTheRetryGetsTheSameId() throws Exception {
        Client impatient = ClientBuilder.newBuilder().readTimeout(300, TimeUnit.MILLISECONDS).build();
        try {
            ResendEmailSender s = new ResendEmailSender(impatient, stub.endpoint(), KEY, 3, Duration.ofSeconds(10));
            stub.delayNext(1, Duration.ofMillis(1200));

            SendResult timedOut = s.send(message().build());
            assertThat(timedOut.status()).isEqualTo(SendResult.Status.FAILED);
            assertThat(timedOut.retryable()).isTrue();

            SendResult whileInProgress = s.send(message().build());
            assertThat(whileInProgress.retryable()).as("%s", whileInProgress).isTrue();
            assertThat(whileInProgress.error()).contains("concurrent_idempotent_requests");

            Thread.sleep(1300);
            SendResult later = s.send(message().build());
            assertThat(later.status()).as("%s", later).isEqualTo(SendResult.Status.SENT);
            assertThat(stub.sentEmails()).hasSize(1);
            assertThat(later.messageId()).isEqualTo(stub.sentEmails().get(0).id());
        } finally {
            impatient.close();
        }
    }

    @Test
    void longOrUnprintableIdempotencyKeysAreHashed() {
        assertThat(ResendEmailSender.idempotencyKey("item-1")).isEqualTo("item-1");
        assertThat(ResendEmailSender.idempotencyKey(null)).isNull();
        assertThat(ResendEmailSender.idempotencyKey("x".repeat(300))).startsWith("sha256-").hasSize(71);
        assertThat(ResendEmailSender.idempotencyKey("a\r\nb")).startsWith("sha256-");

        SendResult result = sender.send(message().idempotencyKey("k".repeat(300)).build());
        assertThat(result.success()).as("%s", result).isTrue();
        assertThat(stub.sentEmails().get(0).idempotencyKey()).startsWith("sha256-");
    }

    @Test
    void sendsABatchInOrder() {
        List<EmailMessage> messages = List.of(
                message().to("a@example.org").idempotencyKey("b-1").build(),
                message().to("b@example.org").subject("bad\r\nBcc: x@evil.com").idempotencyKey("b-2").build(),
                message().to("c@example.org").idempotencyKey("b-3").build());

        List<SendResult> results = sender.sendBatch(messages);

        assertThat(results).extracting(SendResult::status).containsExactly(SendResult.Status.SENT,
                SendResult.Status.FAILED, SendResult.Status.SENT);
        List<ResendStub.SentEmail> sent = stub.sentEmails();
        assertThat(sent).hasSize(2).allMatch(ResendStub.SentEmail::batch);
        assertThat(sent).extracting(e -> e.to().get(0)).containsExactly("a@example.org", "c@example.org");
        assertThat(results.get(0).messageId()).isEqualTo(sent.get(0).id());
        assertThat(results.get(2).messageId()).isEqualTo(sent.get(1).id());
        assertThat(stub.requests().get(0).path()).isEqualTo("/emails/batch");
        assertThat(stub.requests().get(0).idempotencyKey()).startsWith("batch-");

        // the same batch again: the idempotency key makes it a replay
        assertThat(sender.sendBatch(messages)).extracting(SendResult::messageId)
                .containsExactlyElementsOf(results.stream().map(SendResult::messageId).toList());
        assertThat(stub.sentEmails()).hasSize(2);
    }

    @Test
    void aBatchIsSplitIntoCallsOfAtMostOneHundred() {
        List<EmailMessage> messages = java.util.stream.IntStream.range(0, 150)
                .mapToObj(i -> message().to("r" + i + "@example.org").idempotencyKey("k-" + i).build()).toList();

        List<SendResult> results = sender.sendBatch(messages);

        assertThat(results).hasSize(150).allMatch(SendResult::success);
        assertThat(stub.requestCount()).isEqualTo(2);
        assertThat(stub.sentEmails()).extracting(e -> e.to().get(0))
                .containsExactlyElementsOf(messages.stream().map(EmailMessage::to).toList());
        assertThat(results).extracting(SendResult::messageId)
                .containsExactlyElementsOf(stub.sentEmails().stream().map(ResendStub.SentEmail::id).toList());
    }

    @Test
    void aFailedBatchFailsEachOfItsMessages() {
        stub.failNext(1, 500, "application_error", "Boom.", 0);

        List<SendResult> results = sender.sendBatch(List.of(message().build(), message().to("x@example.org").build()));

        assertThat(results).allMatch(r -> r.status() == SendResult.Status.FAILED && r.retryable());
    }
}
