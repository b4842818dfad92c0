package dev.senders.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.SesClientBuilder;
import software.amazon.awssdk.services.ses.model.AccountSendingPausedException;
import software.amazon.awssdk.services.ses.model.BehaviorOnMXFailure;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.ConfigurationSet;
import software.amazon.awssdk.services.ses.model.ConfigurationSetAlreadyExistsException;
import software.amazon.awssdk.services.ses.model.ConfigurationSetAttribute;
import software.amazon.awssdk.services.ses.model.ConfigurationSetDoesNotExistException;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.CustomMailFromStatus;
import software.amazon.awssdk.services.ses.model.DescribeConfigurationSetResponse;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.EventDestination;
import software.amazon.awssdk.services.ses.model.EventDestinationAlreadyExistsException;
import software.amazon.awssdk.services.ses.model.EventType;
import software.amazon.awssdk.services.ses.model.GetIdentityDkimAttributesResponse;
import software.amazon.awssdk.services.ses.model.GetIdentityMailFromDomainAttributesResponse;
import software.amazon.awssdk.services.ses.model.GetIdentityVerificationAttributesResponse;
import software.amazon.awssdk.services.ses.model.GetSendQuotaResponse;
import software.amazon.awssdk.services.ses.model.IdentityDkimAttributes;
import software.amazon.awssdk.services.ses.model.IdentityType;
import software.amazon.awssdk.services.ses.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.ses.model.Message;
import software.amazon.awssdk.services.ses.model.MessageRejectedException;
import software.amazon.awssdk.services.ses.model.MessageTag;
import software.amazon.awssdk.services.ses.model.RawMessage;
import software.amazon.awssdk.services.ses.model.SNSDestination;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;
import software.amazon.awssdk.services.ses.model.SesException;
import software.amazon.awssdk.services.ses.model.VerificationStatus;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Drives {@link SesStub} with the real AWS SDK v2 {@code SesClient} (Query protocol over HTTP). */
class SesStubTest {
    private static final String MESSAGE_ID = "0102[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000";

    static SesStub stub;
    static SesClient ses;
    static HttpClient http;

    @BeforeAll
    static void startStub() {
        System.setProperty("aws.disableEc2Metadata", "true");
        stub = SesStub.start();
        ses = client(b -> { });
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopStub() {
        ses.close();
        stub.close();
    }

    @BeforeEach
    void clean() {
        stub.reset();
        stub.verificationPolicy(VerificationPolicy.manual());
        stub.pendingExpiry(SesStub.DEFAULT_PENDING_EXPIRY);
    }

    static SesClient client(Consumer<SesClientBuilder> extra) {
        SesClientBuilder b = SesClient.builder()
                .endpointOverride(stub.endpoint())
                .region(Region.AP_SOUTHEAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDSANDBOX", "sandbox-secret")))
                .httpClient(UrlConnectionHttpClient.create());
        extra.accept(b);
        return b.build();
    }

    private static SendEmailRequest simpleMail(String from, String to) {
        return SendEmailRequest.builder().source(from).destination(Destination.builder().toAddresses(to).build())
                .message(Message.builder().subject(Content.builder().data("Hello").build())
                        .body(Body.builder().text(Content.builder().data("Hi there").build()).build()).build())
                .build();
    }

    // ------------------------------------------------------------------ identities

    @Test
    void verifyDomainIdentityReturnsAStableTokenAndCreatesAPendingIdentity() {
        String token = ses.verifyDomainIdentity(r -> r.domain("acme.com")).verificationToken();
        assertThat(token).hasSize(44).matches("[A-Za-z0-9+/]{43}=");
        assertThat(ses.verifyDomainIdentity(r -> r.domain("ACME.com")).verificationToken()).isEqualTo(token);
        assertThat(token).isEqualTo(SesStub.verificationTokenFor("acme.com"))
                .isNotEqualTo(SesStub.verificationTokenFor("other.com"));

        GetIdentityVerificationAttributesResponse attrs =
                ses.getIdentityVerificationAttributes(r -> r.identities("acme.com", "unknown.org"));
        assertThat(attrs.verificationAttributes()).containsOnlyKeys("acme.com");
        assertThat(attrs.verificationAttributes().get("acme.com").verificationStatus()).isEqualTo(VerificationStatus.PENDING);
        assertThat(attrs.verificationAttributes().get("acme.com").verificationToken()).isEqualTo(token);
        assertThat(stub.identity("acme.com")).get().satisfies(i -> {
            assertThat(i.type()).isEqualTo("Domain");
            assertThat(i.createdAt()).isNotNull();
        });
    }

    @Test
    void verifyDomainDkimReturnsThreeStableTokens() {
        List<String> tokens = ses.verifyDomainDkim(r -> r.domain("acme.com")).dkimTokens();
        assertThat(tokens).hasSize(3).doesNotHaveDuplicates().allMatch(t -> t.matches("[a-z0-9]{32}"));
        assertThat(ses.verifyDomainDkim(r -> r.domain("acme.com")).dkimTokens()).isEqualTo(tokens);

        ses.verifyDomainIdentity(r -> r.domain("nodkim.com"));
        GetIdentityDkimAttributesResponse dkim = ses.getIdentityDkimAttributes(r -> r.identities("acme.com", "nodkim.com", "nope.com"));
        assertThat(dkim.dkimAttributes()).containsOnlyKeys("acme.com", "nodkim.com");
        IdentityDkimAttributes acme = dkim.dkimAttributes().get("acme.com");
        assertThat(acme.dkimEnabled()).isTrue();
        assertThat(acme.dkimVerificationStatus()).isEqualTo(VerificationStatus.PENDING);
        assertThat(acme.dkimTokens()).isEqualTo(tokens);
        IdentityDkimAttributes none = dkim.dkimAttributes().get("nodkim.com");
        assertThat(none.dkimEnabled()).isFalse();
        assertThat(none.dkimVerificationStatus()).isEqualTo(VerificationStatus.NOT_STARTED);
        assertThat(none.dkimTokens()).isEmpty();
    }

    @Test
    void controlApiSetsStatusesSeenByTheSdk() {
        ses.verifyDomainIdentity(r -> r.domain("acme.com"));
        ses.verifyDomainDkim(r -> r.domain("acme.com"));
        stub.setVerificationStatus("acme.com", "Success");
        stub.setDkimStatus("acme.com", "TemporaryFailure");
        stub.setVerificationStatus("blocked.com", "Failed");

        var v = ses.getIdentityVerificationAttributes(r -> r.identities("acme.com", "blocked.com")).verificationAttributes();
        assertThat(v.get("acme.com").verificationStatus()).isEqualTo(VerificationStatus.SUCCESS);
        assertThat(v.get("blocked.com").verificationStatus()).isEqualTo(VerificationStatus.FAILED);
        assertThat(ses.getIdentityDkimAttributes(r -> r.identities("acme.com")).dkimAttributes().get("acme.com")
                .dkimVerificationStatus()).isEqualTo(VerificationStatus.TEMPORARY_FAILURE);
    }

    @Test
    void afterDelayPolicyVerifiesOnceTheDelayHasPassed() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try {
            stub.clock(clock).verificationPolicy(VerificationPolicy.afterDelay(Duration.ofMinutes(5)));
            ses.verifyDomainIdentity(r -> r.domain("acme.com"));
            ses.verifyDomainDkim(r -> r.domain("acme.com"));
            clock.advance(Duration.ofMinutes(4));
            assertThat(status("acme.com")).isEqualTo(VerificationStatus.PENDING);
            assertThat(dkimStatus("acme.com")).isEqualTo(VerificationStatus.PENDING);
            clock.advance(Duration.ofMinutes(1));
            assertThat(status("acme.com")).isEqualTo(VerificationStatus.SUCCESS);
            assertThat(dkimStatus("acme.com")).isEqualTo(VerificationStatus.SUCCESS);
        } finally {
            stub.clock(java.time.Clock.systemUTC());
        }
    }

    @Test
    void pendingIdentitiesFailAfterTheExpiryAndCanBeRestarted() {
        MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
        try {
            stub.clock(clock);
            ses.verifyDomainIdentity(r -> r.domain("slow.com"));
            clock.advance(Duration.ofHours(71));
            assertThat(status("slow.com")).isEqualTo(VerificationStatus.PENDING);
            clock.advance(Duration.ofHours(2));
            assertThat(status("slow.com")).isEqualTo(VerificationStatus.FAILED);
            ses.verifyDomainIdentity(r -> r.domain("slow.com"));
            assertThat(status("slow.com")).isEqualTo(VerificationStatus.PENDING);

            stub.pendingExpiry(Duration.ofMinutes(1));
            clock.advance(Duration.ofMinutes(2));
            assertThat(status("slow.com")).isEqualTo(VerificationStatus.FAILED);
        } finally {
            stub.clock(java.time.Clock.systemUTC());
        }
    }

    @Test
    void dnsPolicyAsksTheHooks() {
        Set<String> txt = ConcurrentHashMap.newKeySet();
        Set<String> dkim = ConcurrentHashMap.newKeySet();
        stub.verificationPolicy(VerificationPolicy.whenDnsResolves(d -> {
            if (d.equals("broken.com")) {
                throw new IllegalStateException("SERVFAIL");
            }
            return txt.contains(d);
        }, dkim::contains));
        ses.verifyDomainIdentity(r -> r.domain("acme.com"));
        ses.verifyDomainDkim(r -> r.domain("acme.com"));
        ses.verifyDomainIdentity(r -> r.domain("broken.com"));
        assertThat(status("acme.com")).isEqualTo(VerificationStatus.PENDING);
        assertThat(status("broken.com")).isEqualTo(VerificationStatus.TEMPORARY_FAILURE);

        txt.add("acme.com");
        assertThat(status("acme.com")).isEqualTo(VerificationStatus.SUCCESS);
        assertThat(dkimStatus("acme.com")).isEqualTo(VerificationStatus.PENDING);
        dkim.add("acme.com");
        assertThat(dkimStatus("acme.com")).isEqualTo(VerificationStatus.SUCCESS);
        txt.remove("acme.com");
        assertThat(status("acme.com")).as("success is final").isEqualTo(VerificationStatus.SUCCESS);
    }

    @Test
    void atMost100IdentitiesPerAttributesCall() {
        List<String> hundred = IntStream.rangeClosed(1, 100).mapToObj(i -> "d" + i + ".example.com").toList();
        hundred.forEach(d -> stub.setVerificationStatus(d, "Pending"));
        assertThat(ses.getIdentityVerificationAttributes(r -> r.identities(hundred)).verificationAttributes()).hasSize(100);
        assertThat(ses.getIdentityDkimAttributes(r -> r.identities(hundred)).dkimAttributes()).hasSize(100);

        List<String> tooMany = new ArrayList<>(hundred);
        tooMany.add("d101.example.com");
        SesException e = catchThrowableOfType(SesException.class,
                () -> ses.getIdentityVerificationAttributes(r -> r.identities(tooMany)));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(stub.callCount("GetIdentityVerificationAttributes")).isEqualTo(2);
        SesException dkim = catchThrowableOfType(SesException.class, () -> ses.getIdentityDkimAttributes(r -> r.identities(tooMany)));
        assertThat(dkim.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");
    }

    @Test
    void listAndDeleteIdentities() {
        for (String d : List.of("a.com", "b.com", "c.com", "d.com", "e.com")) {
            ses.verifyDomainIdentity(r -> r.domain(d));
        }
        ses.verifyEmailIdentity(r -> r.emailAddress("ops@z.org"));
        assertThat(ses.listIdentities(r -> r.identityType(IdentityType.DOMAIN)).identities())
                .containsExactly("a.com", "b.com", "c.com", "d.com", "e.com");
        assertThat(ses.listIdentities(r -> r.identityType(IdentityType.EMAIL_ADDRESS)).identities()).containsExactly("ops@z.org");

        var firstPage = ses.listIdentities(r -> r.maxItems(2));
        assertThat(firstPage.identities()).containsExactly("a.com", "b.com");
        assertThat(firstPage.nextToken()).isNotBlank();
        List<String> all = new ArrayList<>();
        ses.listIdentitiesPaginator(r -> r.maxItems(2)).identities().forEach(all::add);
        assertThat(all).containsExactly("a.com", "b.com", "c.com", "d.com", "e.com", "ops@z.org");

        ses.deleteIdentity(r -> r.identity("c.com"));
        ses.deleteIdentity(r -> r.identity("never-existed.com"));
        assertThat(ses.listIdentities(r -> r.identityType(IdentityType.DOMAIN)).identities()).containsExactly("a.com", "b.com", "d.com", "e.com");
        assertThat(ses.getIdentityVerificationAttributes(r -> r.identities("c.com")).verificationAttributes()).isEmpty();
    }

    // ------------------------------------------------------------------ account

    @Test
    void sendQuotaAndSendingEnabled() {
        GetSendQuotaResponse q = ses.getSendQuota();
        assertThat(q.max24HourSend()).isEqualTo(50_000.0);
        assertThat(q.maxSendRate()).isEqualTo(14.0);
        assertThat(q.sentLast24Hours()).isEqualTo(0.0);

        stub.verifyDomain("acme.com");
        ses.sendEmail(simpleMail("a@acme.com", "x@example.org"));
        ses.sendEmail(simpleMail("a@acme.com", "y@example.org").toBuilder()
                .destination(Destination.builder().toAddresses("y@example.org").ccAddresses("z@example.org").build()).build());
        stub.setSendQuota(200, 1);
        q = ses.getSendQuota();
        assertThat(q.sentLast24Hours()).as("counts recipients").isEqualTo(3.0);
        assertThat(q.max24HourSend()).isEqualTo(200.0);
        assertThat(q.maxSendRate()).isEqualTo(1.0);

        assertThat(ses.getAccountSendingEnabled().enabled()).isTrue();
        stub.setSendingEnabled(false);
        assertThat(ses.getAccountSendingEnabled().enabled()).isFalse();
        assertThatThrownBy(() -> ses.sendEmail(simpleMail("a@acme.com", "x@example.org")))
                .isInstanceOf(AccountSendingPausedException.class)
                .satisfies(e -> assertThat(((SesException) e).awsErrorDetails().errorCode()).isEqualTo("AccountSendingPausedException"));
        ses.updateAccountSendingEnabled(r -> r.enabled(true));
        assertThat(ses.getAccountSendingEnabled().enabled()).isTrue();
    }

    @Test
    void dailyQuotaIsEnforced() {
        stub.verifyDomain("acme.com");
        stub.setSendQuota(2, 14);
        ses.sendEmail(simpleMail("a@acme.com", "x@example.org"));
        ses.sendEmail(simpleMail("a@acme.com", "x@example.org"));
        SesException e = catchThrowableOfType(SesException.class,
                () -> client(b -> b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))
                        .sendEmail(simpleMail("a@acme.com", "x@example.org")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Daily message quota exceeded.");
    }

    // ------------------------------------------------------------------ sending

    @Test
    void sendEmailRecordsEverything() {
        stub.verifyDomain("acme.com");
        ses.createConfigurationSet(r -> r.configurationSet(ConfigurationSet.builder().name("tenant-7").build()));
        String id = ses.sendEmail(SendEmailRequest.builder()
                .source("Acme Support <support@acme.com>")
                .destination(Destination.builder().toAddresses("ann@example.org", "bob@example.org")
                        .ccAddresses("cc@example.org").bccAddresses("audit@acme.com").build())
                .replyToAddresses("help@acme.com")
                .message(Message.builder()
                        .subject(Content.builder().data("Grüße & <welcome>").charset("UTF-8").build())
                        .body(Body.builder().html(Content.builder().data("<p>Hello <b>Ann</b> &amp; co</p>").build())
                                .text(Content.builder().data("Hello Ann & co").build()).build()).build())
                .configurationSetName("tenant-7")
                .tags(MessageTag.builder().name("tenant").value("t7").build(), MessageTag.builder().name("kind").value("welcome").build())
                .returnPath("bounces@acme.com")
                .build()).messageId();

        assertThat(id).matches(MESSAGE_ID);
        assertThat(stub.sentMessages()).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(id);
            assertThat(m.action()).isEqualTo("SendEmail");
            assertThat(m.source()).isEqualTo("Acme Support <support@acme.com>");
            assertThat(m.to()).containsExactly("ann@example.org", "bob@example.org");
            assertThat(m.cc()).containsExactly("cc@example.org");
            assertThat(m.bcc()).containsExactly("audit@acme.com");
            assertThat(m.replyTo()).containsExactly("help@acme.com");
            assertThat(m.subject()).isEqualTo("Grüße & <welcome>");
            assertThat(m.html()).isEqualTo("<p>Hello <b>Ann</b> &amp; co</p>");
            assertThat(m.text()).isEqualTo("Hello Ann & co");
            assertThat(m.configurationSet()).isEqualTo("tenant-7");
            assertThat(m.tags()).containsExactly(org.assertj.core.api.Assertions.entry("tenant", "t7"),
                    org.assertj.core.api.Assertions.entry("kind", "welcome"));
            assertThat(m.returnPath()).isEqualTo("bounces@acme.com");
            assertThat(m.timestamp()).isNotNull();
        });
        SesStub.Call call = stub.calls("SendEmail").get(0);
        assertThat(call.signed()).isTrue();
        assertThat(call.region()).isEqualTo("ap-southeast-1");
        assertThat(call.status()).isEqualTo(200);
        assertThat(call.param("Version")).isEqualTo("2010-12-01");
        assertThat(call.param("Destination.ToAddresses.member.2")).isEqualTo("bob@example.org");
        assertThat(call.param("Message.Subject.Charset")).isEqualTo("UTF-8");
        assertThat(call.tag()).as("no tag named").isZero();
    }

    @Test
    void aRequestMayBeTaggedByItsSender() {
        stub.verifyDomain("acme.com");
        for (String named : List.of("123456789012", "not a number")) {
            ses.sendEmail(SendEmailRequest.builder().source("news@acme.com")
                    .destination(Destination.builder().toAddresses("ann@example.org").build())
                    .message(Message.builder().subject(Content.builder().data("Hi").build())
                            .body(Body.builder().text(Content.builder().data("Hi").build()).build()).build())
                    .overrideConfiguration(o -> o.putHeader(SesStub.TAG_HEADER, named))
                    .build());
        }
        assertThat(stub.calls("SendEmail")).extracting(SesStub.Call::tag).containsExactly(123456789012L, 0L);
    }

    @Test
    void sendEmailFromAnUnverifiedDomainIsRejectedLikeSes() {
        ses.verifyDomainIdentity(r -> r.domain("pending.com"));
        MessageRejectedException e = catchThrowableOfType(MessageRejectedException.class,
                () -> ses.sendEmail(simpleMail("News <news@pending.com>", "x@example.org")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("MessageRejected");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Email address is not verified. The following "
                + "identities failed the check in region AP-SOUTHEAST-1: news@pending.com");
        assertThat(stub.sentMessages()).isEmpty();
        assertThat(stub.calls("SendEmail")).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(400);
            assertThat(c.errorCode()).isEqualTo("MessageRejected");
        });

        stub.setVerificationStatus("acme.com", "Success");
        assertThat(ses.sendEmail(simpleMail("a@mail.eu.acme.com", "x@example.org")).messageId())
                .as("a verified parent domain covers subdomains").matches(MESSAGE_ID);
        stub.setVerificationStatus("solo@gmail.com", "Success");
        assertThat(ses.sendEmail(simpleMail("solo@gmail.com", "x@example.org")).messageId()).matches(MESSAGE_ID);
        assertThat(catchThrowableOfType(MessageRejectedException.class,
                () -> ses.sendEmail(simpleMail("other@gmail.com", "x@example.org")))).isNotNull();
        assertThat(catchThrowableOfType(MessageRejectedException.class,
                () -> ses.sendEmail(simpleMail("a@notacme.com", "x@example.org")))).isNotNull();
    }

    @Test
    void sendRawEmail() {
        stub.verifyDomain("acme.com");
        String raw = "From: Acme <hello@acme.com>\r\nTo: ann@example.org\r\n"
                + "Subject: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString("Grüße".getBytes(StandardCharsets.UTF_8)) + "?=\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHello raw\r\n";
        String id = ses.sendRawEmail(r -> r.rawMessage(RawMessage.builder().data(SdkBytes.fromUtf8String(raw)).build())
                .destinations("ann@example.org", "hidden@example.org")).messageId();
        assertThat(id).matches(MESSAGE_ID);
        assertThat(stub.sentMessages()).singleElement().satisfies(m -> {
            assertThat(m.action()).isEqualTo("SendRawEmail");
            assertThat(m.source()).isEqualTo("Acme <hello@acme.com>");
            assertThat(m.to()).containsExactly("ann@example.org");
            assertThat(m.bcc()).containsExactly("hidden@example.org");
            assertThat(m.subject()).isEqualTo("Grüße");
            assertThat(m.rawMessage()).isEqualTo(raw);
        });
        assertThatThrownBy(() -> ses.sendRawEmail(r -> r.rawMessage(RawMessage.builder()
                .data(SdkBytes.fromUtf8String(raw.replace("acme.com", "evil.com"))).build())))
                .isInstanceOf(MessageRejectedException.class);
    }

    @Test
    void mailFromDomain() {
        stub.verifyDomain("acme.com");
        ses.setIdentityMailFromDomain(r -> r.identity("acme.com").mailFromDomain("bounce.acme.com")
                .behaviorOnMXFailure(BehaviorOnMXFailure.REJECT_MESSAGE));
        GetIdentityMailFromDomainAttributesResponse a = ses.getIdentityMailFromDomainAttributes(r -> r.identities("acme.com", "x.com"));
        assertThat(a.mailFromDomainAttributes()).containsOnlyKeys("acme.com");
        var attrs = a.mailFromDomainAttributes().get("acme.com");
        assertThat(attrs.mailFromDomain()).isEqualTo("bounce.acme.com");
        assertThat(attrs.mailFromDomainStatus()).isEqualTo(CustomMailFromStatus.PENDING);
        assertThat(attrs.behaviorOnMXFailure()).isEqualTo(BehaviorOnMXFailure.REJECT_MESSAGE);

        assertThatThrownBy(() -> ses.sendEmail(simpleMail("a@acme.com", "x@example.org")))
                .isInstanceOf(MailFromDomainNotVerifiedException.class);
        stub.setMailFromStatus("acme.com", "Success");
        assertThat(ses.getIdentityMailFromDomainAttributes(r -> r.identities("acme.com")).mailFromDomainAttributes()
                .get("acme.com").mailFromDomainStatus()).isEqualTo(CustomMailFromStatus.SUCCESS);
        assertThat(ses.sendEmail(simpleMail("a@acme.com", "x@example.org")).messageId()).matches(MESSAGE_ID);

        SesException e = catchThrowableOfType(SesException.class,
                () -> ses.setIdentityMailFromDomain(r -> r.identity("acme.com").mailFromDomain("bounce.other.com")));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue");

        ses.setIdentityMailFromDomain(r -> r.identity("acme.com"));
        var cleared = ses.getIdentityMailFromDomainAttributes(r -> r.identities("acme.com")).mailFromDomainAttributes().get("acme.com");
        assertThat(cleared.mailFromDomain()).isNull();
        assertThat(cleared.behaviorOnMXFailure()).isEqualTo(BehaviorOnMXFailure.USE_DEFAULT_VALUE);
    }

    @Test
    void configurationSetsAndEventDestinations() {
        ses.createConfigurationSet(r -> r.configurationSet(ConfigurationSet.builder().name("tenant-1").build()));
        ConfigurationSetAlreadyExistsException dup = catchThrowableOfType(ConfigurationSetAlreadyExistsException.class,
                () -> ses.createConfigurationSet(r -> r.configurationSet(ConfigurationSet.builder().name("tenant-1").build())));
        assertThat(dup.awsErrorDetails().errorCode()).isEqualTo("ConfigurationSetAlreadyExists");

        EventDestination dest = EventDestination.builder().name("to-sns").enabled(true)
                .matchingEventTypes(EventType.BOUNCE, EventType.COMPLAINT, EventType.DELIVERY)
                .snsDestination(SNSDestination.builder().topicARN("arn:aws:sns:ap-southeast-1:123456789012:ses-events").build())
                .build();
        ses.createConfigurationSetEventDestination(r -> r.configurationSetName("tenant-1").eventDestination(dest));
        EventDestinationAlreadyExistsException dupDest = catchThrowableOfType(EventDestinationAlreadyExistsException.class,
                () -> ses.createConfigurationSetEventDestination(r -> r.configurationSetName("tenant-1").eventDestination(dest)));
        assertThat(dupDest.awsErrorDetails().errorCode()).isEqualTo("EventDestinationAlreadyExists");
        assertThat(catchThrowableOfType(ConfigurationSetDoesNotExistException.class,
                () -> ses.createConfigurationSetEventDestination(r -> r.configurationSetName("nope").eventDestination(dest)))
                .awsErrorDetails().errorCode()).isEqualTo("ConfigurationSetDoesNotExist");

        DescribeConfigurationSetResponse d = ses.describeConfigurationSet(r -> r.configurationSetName("tenant-1")
                .configurationSetAttributeNames(ConfigurationSetAttribute.EVENT_DESTINATIONS));
        assertThat(d.configurationSet().name()).isEqualTo("tenant-1");
        assertThat(d.eventDestinations()).singleElement().satisfies(ed -> {
            assertThat(ed.name()).isEqualTo("to-sns");
            assertThat(ed.enabled()).isTrue();
            assertThat(ed.matchingEventTypes()).containsExactly(EventType.BOUNCE, EventType.COMPLAINT, EventType.DELIVERY);
            assertThat(ed.snsDestination().topicARN()).isEqualTo("arn:aws:sns:ap-southeast-1:123456789012:ses-events");
        });
        assertThat(ses.describeConfigurationSet(r -> r.configurationSetName("tenant-1")).eventDestinations()).isEmpty();
        assertThatThrownBy(() -> ses.describeConfigurationSet(r -> r.configurationSetName("nope")))
                .isInstanceOf(ConfigurationSetDoesNotExistException.class);

        stub.verifyDomain("acme.com");
        assertThatThrownBy(() -> ses.sendEmail(simpleMail("a@acme.com", "x@example.org").toBuilder()
                .configurationSetName("missing").build())).isInstanceOf(ConfigurationSetDoesNotExistException.class);
    }

    // ------------------------------------------------------------------ faults

    @Test
    void injectedThrottlingIsRetriedByTheSdkAndThenSucceeds() {
        stub.verifyDomain("acme.com");
        stub.failNext("SendEmail", 2, 400, "Throttling", "Maximum sending rate exceeded.");
        String id = ses.sendEmail(simpleMail("a@acme.com", "x@example.org")).messageId();
        assertThat(id).matches(MESSAGE_ID);
        assertThat(stub.callCount("SendEmail")).isEqualTo(3);
        assertThat(stub.calls("SendEmail")).extracting(SesStub.Call::errorCode).containsExactly("Throttling", "Throttling", null);
        assertThat(stub.sentMessages()).hasSize(1);
    }

    @Test
    void persistentServerFaultsSurfaceAfterTheRetriesAreSpent() {
        stub.failNext("GetSendQuota", 10, 500, "InternalFailure", "The request processing has failed because of an unknown error.");
        SesException e = catchThrowableOfType(SesException.class, () -> ses.getSendQuota());
        assertThat(e.statusCode()).isEqualTo(500);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalFailure");
        assertThat(stub.callCount("GetSendQuota")).isGreaterThanOrEqualTo(3).isLessThan(10);

        stub.reset();
        stub.failNext("*", 1, 503, "ServiceUnavailable", "Service is unable to handle request.");
        assertThat(ses.getSendQuota().max24HourSend()).isEqualTo(50_000.0);
        assertThat(stub.calls()).extracting(SesStub.Call::status).containsExactly(503, 200);

        stub.failNext("GetAccountSendingEnabled", 1, 400, "AccessDenied", "User is not authorized");
        SesException denied = catchThrowableOfType(SesException.class, () -> ses.getAccountSendingEnabled());
        assertThat(denied.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
        assertThat(stub.callCount("GetAccountSendingEnabled")).as("not retried").isEqualTo(1);
    }

    @Test
    void delayedAnswerLetsTheClientTimeOutAfterTheSendWasAccepted() {
        stub.verifyDomain("acme.com");
        stub.delayNext("SendEmail", 1, Duration.ofMillis(1500));
        try (SesClient impatient = client(b -> b.overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(400))))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> impatient.sendEmail(simpleMail("a@acme.com", "x@example.org")))
                    .isInstanceOf(ApiCallTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1400));
        }
        assertThat(stub.sentMessages()).as("accepted although the client gave up").hasSize(1);
        assertThat(ses.sendEmail(simpleMail("a@acme.com", "x@example.org")).messageId()).matches(MESSAGE_ID);
    }

    @Test
    void maxSendRateIsEnforcedOverASlidingSecond() throws InterruptedException {
        stub.verifyDomain("acme.com");
        stub.setSendQuota(50_000, 2);
        stub.enforceMaxSendRate(true);
        try (SesClient noRetry = client(b -> b.overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())))) {
            noRetry.sendEmail(simpleMail("a@acme.com", "x@example.org"));
            noRetry.sendEmail(simpleMail("a@acme.com", "x@example.org"));
            SesException e = catchThrowableOfType(SesException.class, () -> noRetry.sendEmail(simpleMail("a@acme.com", "x@example.org")));
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("Maximum sending rate exceeded.");
            Thread.sleep(1100);
            assertThat(noRetry.sendEmail(simpleMail("a@acme.com", "x@example.org")).messageId()).matches(MESSAGE_ID);
        }
        assertThat(stub.sentMessages()).hasSize(3);
    }

    @Test
    void concurrentSendsAreAllRecorded() throws Exception {
        stub.verifyDomain("acme.com");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 80; i++) {
                int n = i;
                ids.add(pool.submit(() -> ses.sendEmail(simpleMail("a@acme.com", "r" + n + "@example.org")).messageId()));
            }
            Set<String> unique = new HashSet<>();
            for (Future<String> f : ids) {
                unique.add(f.get());
            }
            assertThat(unique).hasSize(80);
        } finally {
            pool.shutdownNow();
        }
        assertThat(stub.sentMessages()).hasSize(80);
        assertThat(stub.callCount("SendEmail")).isEqualTo(80);
        assertThat(ses.getSendQuota().sentLast24Hours()).isEqualTo(80.0);
    }

    // ------------------------------------------------------------------ raw wire format and /_stub

    @Test
    void unknownActionAnswersTheQueryErrorDocument() throws Exception {
        HttpResponse<String> r = post("/", "Action=FrobnicateIdentity&Version=2010-12-01", "application/x-www-form-urlencoded");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/xml");
        Document doc = parse(r.body());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("ErrorResponse");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(SesStub.NAMESPACE);
        assertThat(text(doc, "Type")).isEqualTo("Sender");
        assertThat(text(doc, "Code")).isEqualTo("InvalidAction");
        assertThat(text(doc, "RequestId")).matches("[0-9a-f-]{36}");
        assertThat(stub.calls()).singleElement().satisfies(c -> assertThat(c.signed()).isFalse());
    }

    @Test
    void successResponsesHaveTheDocumentedShape() throws Exception {
        HttpResponse<String> r = post("/", "Action=VerifyDomainIdentity&Version=2010-12-01&Domain=shape.com",
                "application/x-www-form-urlencoded; charset=utf-8");
        assertThat(r.statusCode()).isEqualTo(200);
        Document doc = parse(r.body());
        assertThat(doc.getDocumentElement().getLocalName()).isEqualTo("VerifyDomainIdentityResponse");
        assertThat(doc.getDocumentElement().getNamespaceURI()).isEqualTo(SesStub.NAMESPACE);
        assertThat(text(doc, "VerificationToken")).isEqualTo(SesStub.verificationTokenFor("shape.com"));
        assertThat(doc.getElementsByTagNameNS(SesStub.NAMESPACE, "VerifyDomainIdentityResult").getLength()).isEqualTo(1);

        r = post("/", "Action=GetIdentityVerificationAttributes&Version=2010-12-01&Identities.member.1=shape.com",
                "application/x-www-form-urlencoded");
        doc = parse(r.body());
        assertThat(text(doc, "key")).isEqualTo("shape.com");
        assertThat(doc.getElementsByTagNameNS(SesStub.NAMESPACE, "entry").item(0).getParentNode().getLocalName())
                .isEqualTo("VerificationAttributes");
        assertThat(text(doc, "VerificationStatus")).isEqualTo("Pending");
    }

    @Test
    void controlApiOverHttp() throws Exception {
        HttpResponse<String> r = post("/_stub/identities", "{\"identity\":\"acme.com\",\"verified\":true}", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"verificationStatus\": \"Success\"").contains("\"dkimVerificationStatus\": \"Success\"");
        assertThat(status("acme.com")).isEqualTo(VerificationStatus.SUCCESS);

        r = post("/_stub/faults", "{\"action\":\"SendEmail\",\"times\":1,\"status\":400,\"code\":\"MessageRejected\",\"message\":\"nope\"}", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> ses.sendEmail(simpleMail("a@acme.com", "x@example.org"))).isInstanceOf(MessageRejectedException.class);

        r = post("/_stub/settings", "{\"maxSendRate\":3,\"sendingEnabled\":true}", "application/json");
        assertThat(r.body()).contains("\"maxSendRate\": 3");
        assertThat(ses.getSendQuota().maxSendRate()).isEqualTo(3.0);

        ses.sendEmail(simpleMail("a@acme.com", "x@example.org").toBuilder().message(Message.builder()
                .subject(Content.builder().data("<script>alert(1)</script> hi").build())
                .body(Body.builder().html(Content.builder().data("<img src=x onerror=alert(2)><p>body</p>").build()).build())
                .build()).build());

        assertThat(get("/_stub/counts").body()).contains("\"SendEmail\": 2");
        assertThat(get("/_stub/calls?action=SendEmail").body()).contains("\"errorCode\": \"MessageRejected\"");
        String json = get("/_stub/mail.json").body();
        assertThat(json).contains("\"subject\": \"<script>alert(1)</script> hi\"").contains("\"messageId\": \"0102");

        HttpResponse<String> page = get("/_stub/mail");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'none'");
        assertThat(page.body()).contains("&lt;script&gt;alert(1)&lt;/script&gt; hi").doesNotContain("<script>");
        String id = stub.sentMessages().get(0).messageId();
        HttpResponse<String> detail = get("/_stub/mail/" + id);
        assertThat(detail.statusCode()).isEqualTo(200);
        assertThat(detail.body()).contains("<iframe sandbox=\"\"").contains("srcdoc=\"&lt;img src=x onerror=alert(2)&gt;")
                .doesNotContain("<img");
        assertThat(get("/_stub/mail/nope").statusCode()).isEqualTo(404);
        assertThat(get("/_stub/").body()).contains("/_stub/faults");

        assertThat(post("/_stub/reset", "", "application/json").statusCode()).isEqualTo(200);
        assertThat(stub.sentMessages()).isEmpty();
        assertThat(post("/_stub/identities", "{\"identity\":\"x.com\",\"verificationStatus\":\"Bogus\"}", "application/json")
                .statusCode()).isEqualTo(400);
    }

    @Test
    void bindsLoopbackOnly() {
        assertThat(stub.endpoint().getHost()).isEqualTo("127.0.0.1");
        assertThat(stub.port()).isPositive();
    }

    // ------------------------------------------------------------------ helpers

    private static VerificationStatus status(String identity) {
        return ses.getIdentityVerificationAttributes(r -> r.identities(identity)).verificationAttributes().get(identity).verificationStatus();
    }

    private static VerificationStatus dkimStatus(String domain) {
        return ses.getIdentityDkimAttributes(r -> r.identities(domain)).dkimAttributes().get(domain).dkimVerificationStatus();
    }

    private static HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.endpoint() + path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(stub.endpoint() + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document doc, String localName) {
        return doc.getElementsByTagNameNS(SesStub.NAMESPACE, localName).item(0).getTextContent();
    }
}
