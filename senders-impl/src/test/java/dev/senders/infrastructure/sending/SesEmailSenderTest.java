package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.ratelimit.RateSlot;
import dev.senders.infrastructure.ratelimit.SlotTicket;
import dev.senders.sandbox.SesStub;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against the loopback SES stub with the real SDK client (Query protocol, standard retries, timeouts). */
class SesEmailSenderTest {

    private static final int MAX_ATTEMPTS = 2;
    private static final String CONFIG_SET = "senders-events";

    private static SesStub stub;
    private static SesClient client;
    private static SesEmailSender sender;

    @BeforeAll
    static void start() {
        System.setProperty("aws.disableEc2Metadata", "true");
        stub = SesStub.start();
        client = SesClient.builder()
                .endpointOverride(stub.endpoint())
                .region(Region.AP_SOUTHEAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(1))
                        .socketTimeout(Duration.ofMillis(700))
                        .build())
                .overrideConfiguration(c -> SesEmailSender.forSending(c
                        .apiCallAttemptTimeout(Duration.ofMillis(700))
                        .apiCallTimeout(Duration.ofSeconds(5)), MAX_ATTEMPTS))
                .build();
        sender = new SesEmailSender(client);
    }

    @Test
    void aClientNotBuiltForSendingIsRefused() {
        // its own policy (the SDK's standard one here) would repeat a timed-out send, which SES may have accepted
        try (SesClient plain = SesClient.builder().endpointOverride(stub.endpoint()).region(Region.AP_SOUTHEAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(ApacheHttpClient.builder().build())
                .overrideConfiguration(c -> c.retryStrategy(RetryMode.STANDARD))
                .build()) {
            assertThatThrownBy(() -> new SesEmailSender(plain)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("forSending");
        }
    }

    @AfterAll
    static void stop() {
        client.close();
        stub.close();
    }

    @BeforeEach
    void reset() {
        stub.reset();
        stub.verifyDomain("acme.com");
        client.createConfigurationSet(r -> r.configurationSet(c -> c.name(CONFIG_SET)));
    }

    private static EmailMessage.Builder message() {
        return EmailMessage.builder().to("bob@example.org").from("news@acme.com").subject("Hello")
                .html("<p>Hi Bob</p>").text("Hi Bob").organizationId("org-1");
    }

    @Test
    void sendsEverythingWithAnEncodedDisplayName() throws Exception {
        SendResult result = sender.send(message().fromName("Zoë Café").subject("Grüße").replyTo("help@acme.com")
                .campaignId("Spring 2025/€").tag("kind", "news letter!").build(), "acme.com", CONFIG_SET);

        assertThat(result.status()).as("%s", result).isEqualTo(SendResult.Status.SENT);
        assertThat(result.provider()).isEqualTo(ProviderName.SES);
        assertThat(stub.sentMessages()).hasSize(1);
        SesStub.SentMessage sent = stub.sentMessages().get(0);
        assertThat(result.messageId()).isEqualTo(sent.messageId());
        assertThat(sent.action()).isEqualTo("SendEmail");
        assertThat(sent.source()).startsWith("=?UTF-8?Q?Zo=C3=AB_Caf=C3=A9?=").endsWith(" <news@acme.com>");
        assertThat(new InternetAddress(sent.source(), true).getPersonal()).isEqualTo("Zoë Café");
        assertThat(sent.to()).containsExactly("bob@example.org");
        assertThat(sent.replyTo()).containsExactly("help@acme.com");
        assertThat(sent.subject()).isEqualTo("Grüße");
        assertThat(sent.html()).isEqualTo("<p>Hi Bob</p>");
        assertThat(sent.text()).isEqualTo("Hi Bob");
        assertThat(sent.configurationSet()).isEqualTo(CONFIG_SET);
        assertThat(sent.tags()).isEqualTo(Map.of("kind", "news_letter_", "organization", "org-1",
                "campaign", "Spring_2025__"));
        SesStub.Call call = stub.calls("SendEmail").get(0);
        assertThat(call.param("Message.Subject.Charset")).isEqualTo("UTF-8");
        assertThat(call.param("Message.Body.Html.Charset")).isEqualTo("UTF-8");
        assertThat(call.param("Message.Body.Text.Charset")).isEqualTo("UTF-8");
        assertThat(call.signed()).isTrue();
        assertThat(call.region()).isEqualTo("ap-southeast-1");
    }

    @Test
    void quotesADisplayNameWithAComma() {
        SendResult result = sender.send(message().fromName("Acme, Inc.").text(null).build(), "acme.com", null);

        assertThat(result.success()).as("%s", result).isTrue();
        SesStub.SentMessage sent = stub.sentMessages().get(0);
        assertThat(sent.source()).isEqualTo("\"Acme, Inc.\" <news@acme.com>");
        assertThat(sent.configurationSet()).isNull();
        assertThat(sent.text()).isNull();
        assertThat(sent.replyTo()).isEmpty();
        assertThat(sent.tags()).isEqualTo(Map.of("organization", "org-1"));
    }

    @Test
    void sendsFromASubdomainAndFromAnInternationalizedDomain() {
        assertThat(sender.send(message().from("news@mail.acme.com").build(), "acme.com", CONFIG_SET).success()).isTrue();

        stub.verifyDomain("xn--bcher-kva.example");
        SendResult result = sender.send(message().from("news@bücher.example").to("leser@bücher.example").build(),
                "bücher.example", CONFIG_SET);
        assertThat(result.success()).as("%s", result).isTrue();
        assertThat(stub.sentMessages().get(1).source()).isEqualTo("news@xn--bcher-kva.example");
        assertThat(stub.sentMessages().get(1).to()).containsExactly("leser@xn--bcher-kva.example");
    }

    @Test
    void refusesLineBreaksWithoutCallingSes() {
        for (EmailMessage m : new EmailMessage[] {
                message().subject("Hello\r\nBcc: victim@example.org").build(),
                message().fromName("Acme\nBcc: victim@example.org").build(),
                message().header("X-Campaign", "1\r\nBcc: victim@example.org").build(),
                message().to("bob@example.org\nBcc: victim@example.org").build()}) {
            SendResult result = sender.send(m, "acme.com", CONFIG_SET);
            assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
            assertThat(result.retryable()).isFalse();
            assertThat(result.error()).contains("line break");
        }
        assertThat(stub.calls("SendEmail")).isEmpty();
        assertThat(stub.calls("SendRawEmail")).isEmpty();
    }

    @Test
    void refusesAFromOnAnotherDomainWithoutCallingSes() {
        for (String from : new String[] {"news@evil.com", "news@notacme.com", "news@acme.com.evil.com"}) {
            SendResult result = sender.send(message().from(from).build(), "acme.com", CONFIG_SET);
            assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
            assertThat(result.retryable()).isFalse();
            assertThat(result.error()).contains("sender domain does not match the verified domain");
        }
        assertThat(stub.calls("SendEmail")).isEmpty();
        assertThat(stub.calls("SendRawEmail")).isEmpty();
    }

    @Test
    void aThrottledSendIsRetryableButNotRepeatedWithinTheCall() {
        // every attempt counts against SES's rate as it arrives: the caller sends again with a new rate-limit token
        stub.failNext("SendEmail", 1, 400, "Throttling", "Maximum sending rate exceeded.");

        SendResult result = sender.send(message().build(), "acme.com", CONFIG_SET);

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.error()).contains("Throttling").contains("Maximum sending rate exceeded.");
        assertThat(stub.callCount("SendEmail")).isEqualTo(1);
        assertThat(stub.sentMessages()).isEmpty();
    }

    @Test
    void anAttemptTooLateForItsRateSlotDoesNotGoOnTheWire() {
        RateSlot.hold(System.nanoTime() - 1);
        assertNothingGoesOutForTheHeldSlot();
    }

    /** The thread's held slot is too late: the send throws {@link RateSlot.Missed} and SES sees nothing. */
    private void assertNothingGoesOutForTheHeldSlot() {
        try {
            assertThatThrownBy(() -> sender.send(message().build(), "acme.com", CONFIG_SET))
                    .isInstanceOf(RateSlot.Missed.class);
        } finally {
            RateSlot.release();
        }
        assertThat(stub.callCount("SendEmail")).isZero();
    }

    @Test
    void aRequestHeldUntilTheWireIsBuiltAndSignedFirstThenWaitsForItsSlot() {
        long slot = System.nanoTime() + 300_000_000L;
        long[] ready = new long[1];
        SlotTicket ticket = new SlotTicket(at -> ready[0] = at);
        ticket.give(slot, slot + 15_000_000L, at -> { });
        RateSlot.holdUntilGiven(ticket);
        try {
            SendResult result = sender.send(message().build(), "acme.com", CONFIG_SET);
            assertThat(result.status()).isEqualTo(SendResult.Status.SENT);
            assertThat(RateSlot.wireAt()).as("on the wire at its slot, not before").isGreaterThanOrEqualTo(slot);
        } finally {
            RateSlot.release();
        }
        assertThat(ready[0]).as("ready (built and signed) before its slot").isPositive().isLessThan(slot);
        assertThat(stub.calls("SendEmail")).hasSize(1);
        assertThat(stub.calls("SendEmail").get(0).signed()).isTrue();
        assertThat(stub.calls("SendEmail").get(0).receivedNanos()).as("received after its slot")
                .isGreaterThanOrEqualTo(slot);
    }

    @Test
    void aRequestTooLateForItsTicketsSlotDoesNotGoOnTheWireInItButInTheNextOneGiven() {
        long stale = System.nanoTime() - 30_000_000L;
        long[] next = new long[1];
        SlotTicket[] ticket = new SlotTicket[1];
        ticket[0] = new SlotTicket(at -> {
            if (ticket[0].misses() == 0) {
                ticket[0].give(stale, stale + 15_000_000L, w -> { });
            } else {
                next[0] = System.nanoTime() + 50_000_000L;
                ticket[0].give(next[0], next[0] + 15_000_000L, w -> { });
            }
        });
        RateSlot.holdUntilGiven(ticket[0]);
        try {
            assertThat(sender.send(message().build(), "acme.com", CONFIG_SET).status())
                    .isEqualTo(SendResult.Status.SENT);
        } finally {
            RateSlot.release();
        }
        assertThat(ticket[0].misses()).isEqualTo(1);
        assertThat(stub.calls("SendEmail")).as("one request, in the second slot").hasSize(1);
        assertThat(stub.calls("SendEmail").get(0).receivedNanos()).isGreaterThanOrEqualTo(next[0]);
    }

    @Test
    void aRefusedTicketSendsNothing() {
        SlotTicket ticket = new SlotTicket(at -> { });
        ticket.refuse("the provider's rate limit did not free up in time");
        RateSlot.holdUntilGiven(ticket);
        assertNothingGoesOutForTheHeldSlot();
    }

    @Test
    void aRetryInsideTheCallNeedsARateSlotOfItsOwn() {
        stub.failNext("SendEmail", 1, 503, "ServiceUnavailable", "Service is unavailable.");
        RateSlot.hold(System.nanoTime() + 60_000_000_000L);
        try {
            assertThatThrownBy(() -> sender.send(message().build(), "acme.com", CONFIG_SET))
                    .isInstanceOf(RateSlot.Missed.class);
        } finally {
            RateSlot.release();
        }
        assertThat(stub.callCount("SendEmail")).as("the first attempt went out, the retry did not").isEqualTo(1);
        assertThat(stub.sentMessages()).isEmpty();
    }

    @Test
    void serverErrorsAreRetryable() {
        stub.failNext("SendEmail", MAX_ATTEMPTS, 503, "ServiceUnavailable", "Service is unavailable.");

        SendResult result = sender.send(message().build(), "acme.com", CONFIG_SET);

        assertThat(result.retryable()).as("%s", result).isTrue();
        assertThat(result.error()).contains("ServiceUnavailable");
        assertThat(stub.callCount("SendEmail")).isEqualTo(MAX_ATTEMPTS);
    }

    @Test
    void anUnreachableEndpointIsRetryable() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (SesClient down = SesClient.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
                .region(Region.AP_SOUTHEAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
                .httpClient(ApacheHttpClient.builder().build())
                .overrideConfiguration(c -> SesEmailSender.forSending(c, 1))
                .build()) {
            SendResult result = new SesEmailSender(down).send(message().build(), "acme.com", CONFIG_SET);
            assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
            assertThat(result.retryable()).isTrue();
            assertThat(result.error()).contains("could not reach Amazon SES");
        }
    }

    @Test
    void rejectionsAreNotRetryable() {
        stub.failNext("SendEmail", 1, 400, "MessageRejected", "Email address is not verified.");

        SendResult result = sender.send(message().build(), "acme.com", CONFIG_SET);

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isFalse();
        assertThat(result.error()).contains("MessageRejected").contains("Email address is not verified.");
        assertThat(stub.callCount("SendEmail")).isEqualTo(1);
    }

    @Test
    void aMissingConfigurationSetOrUnverifiedIdentityIsNotRetryable() {
        SendResult missingSet = sender.send(message().build(), "acme.com", "no-such-set");
        assertThat(missingSet.retryable()).isFalse();
        assertThat(missingSet.error()).contains("ConfigurationSetDoesNotExist");

        // the caller claims a domain SES has not verified: SES itself refuses
        SendResult unverified = sender.send(message().from("news@other.org").build(), "other.org", CONFIG_SET);
        assertThat(unverified.retryable()).isFalse();
        assertThat(unverified.error()).contains("MessageRejected");
    }

    @Test
    void anAnswerAfterTheAttemptTimeoutIsRetryable() {
        stub.delayNext("SendEmail", MAX_ATTEMPTS, Duration.ofMillis(2500));

        long start = System.nanoTime();
        SendResult result = sender.send(message().build(), "acme.com", CONFIG_SET);

        assertThat(result.status()).isEqualTo(SendResult.Status.FAILED);
        assertThat(result.retryable()).isTrue();
        assertThat(result.error()).contains("did not answer in time");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        // accepted, then the client gave up: SES did send it, and the SDK did not send it again
        assertThat(stub.sentMessages()).hasSize(1);
        assertThat(stub.callCount("SendEmail")).isEqualTo(1);
    }

    @Test
    void customHeadersGoOutAsRawMime() throws Exception {
        SendResult result = sender.send(message().fromName("Zoë Café").subject("Grüße").replyTo("help@acme.com")
                .header("List-Id", "<news.acme.com>")
                .header("Feedback-ID", "spring:news:acme")
                .header("X-Note", "Café").campaignId("c1").build(), "acme.com", CONFIG_SET);

        assertThat(result.success()).as("%s", result).isTrue();
        SesStub.SentMessage sent = stub.sentMessages().get(0);
        assertThat(sent.action()).isEqualTo("SendRawEmail");
        assertThat(result.messageId()).isEqualTo(sent.messageId());
        assertThat(sent.to()).containsExactly("bob@example.org");
        assertThat(sent.replyTo()).containsExactly("help@acme.com");
        assertThat(sent.subject()).isEqualTo("Grüße");
        assertThat(sent.configurationSet()).isEqualTo(CONFIG_SET);
        assertThat(sent.tags()).isEqualTo(Map.of("organization", "org-1", "campaign", "c1"));
        assertThat(sent.rawMessage()).isASCII();

        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(sent.rawMessage().getBytes(StandardCharsets.US_ASCII)));
        assertThat(((InternetAddress) mime.getFrom()[0]).getPersonal()).isEqualTo("Zoë Café");
        assertThat(((InternetAddress) mime.getFrom()[0]).getAddress()).isEqualTo("news@acme.com");
        assertThat(mime.getSubject()).isEqualTo("Grüße");
        assertThat(mime.getHeader("List-Id")).containsExactly("<news.acme.com>");
        assertThat(mime.getHeader("Feedback-ID")).containsExactly("spring:news:acme");
        assertThat(jakarta.mail.internet.MimeUtility.decodeText(mime.getHeader("X-Note")[0])).isEqualTo("Café");
        MimeMultipart alternative = (MimeMultipart) mime.getContent();
        assertThat(alternative.getContentType()).startsWith("multipart/alternative");
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo("Hi Bob");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo("<p>Hi Bob</p>");
        assertThat(alternative.getBodyPart(1).getContentType()).startsWith("text/html").contains("UTF-8");
    }

    @Test
    void aOneClickUnsubscribeLinkGoesOutAsRawMimeWithBothFields() throws Exception {
        var links = new dev.senders.infrastructure.unsubscribe.UnsubscribeLinks(java.net.URI.create("https://app.acme.io"),
                new dev.senders.infrastructure.unsubscribe.UnsubscribeTokens(java.util.List.of(
                        "unsubscribe-secret-for-the-ses-test-001")), 90, java.time.Clock.systemUTC());
        SesEmailSender withLinks = new SesEmailSender(client, links);

        SendResult result = withLinks.send(message().to("Bob <Bob@Example.org>").unsubscribe().build(), "acme.com",
                CONFIG_SET);

        assertThat(result.success()).as("%s", result).isTrue();
        SesStub.SentMessage sent = stub.sentMessages().get(0);
        assertThat(sent.action()).isEqualTo("SendRawEmail");
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(sent.rawMessage().getBytes(StandardCharsets.US_ASCII)));
        assertThat(mime.getHeader("List-Unsubscribe-Post")).containsExactly("List-Unsubscribe=One-Click");
        String[] link = mime.getHeader("List-Unsubscribe");
        assertThat(link).hasSize(1);
        assertThat(link[0]).startsWith("<https://app.acme.io/api/unsubscribe/").endsWith(">").doesNotContain(" ");
        var check = links.check(link[0].substring("<https://app.acme.io/api/unsubscribe/".length(),
                link[0].length() - 1));
        assertThat(check.valid()).isTrue();
        assertThat(check.token().organizationId()).isEqualTo("org-1");
        assertThat(check.token().recipient()).isEqualTo("bob@example.org");
        assertThat(check.token().listId()).isNull();
        assertThat(sent.rawMessage().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(998));

        // the same sender without links refuses such a message before any call
        stub.reset();
        stub.verifyDomain("acme.com");
        assertThat(sender.invalid(message().unsubscribe().build(), "acme.com")).isPresent();
        SendResult refused = sender.send(message().unsubscribe().build(), "acme.com", CONFIG_SET);
        assertThat(refused.failure()).isEqualTo(SendResult.Failure.INVALID);
        assertThat(refused.retryable()).isFalse();
        assertThat(stub.sentMessages()).isEmpty();
    }
}
