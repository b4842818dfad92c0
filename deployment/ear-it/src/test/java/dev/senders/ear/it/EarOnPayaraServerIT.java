package dev.senders.ear.it;

import dev.senders.host.it.Api;
import dev.senders.host.it.Campaigns;
import dev.senders.host.it.SesEvents;
import dev.senders.host.it.SnsFixtures;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.SesStub;
import dev.senders.sandbox.sns.SnsMessage;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.Reader;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.senders.host.it.Campaigns.items;
import static dev.senders.host.it.Campaigns.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The end-to-end smoke of the Micro tests, against the EAR (deployment/ear) on Payara Server, full profile: one
 * server start, one deployment, then sign-in; a sender added, verified and made the default; a campaign through SES and
 * one through the Resend fallback; a signed SNS notification; the verification timer firing once; health and
 * metrics. The stubs, the DNS server and the test database are the Micro tests' own ({@link TestEnvironment}, started
 * by its launcher session listener from the host's test jar).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EarOnPayaraServerIT {

    private static PayaraServer server;
    private static Instant deployedAt;

    private static TestUsers.User user;
    private static Api api;
    private static String tag;
    private static String domain;
    private static String pendingDomain;
    private static long sesCampaign;

    @BeforeAll
    static void startServerAndDeployTheEar() throws Exception {
        // the trust store of the SNS signing certificates, before the module first reads it
        SnsFixtures.host();

        List<String> jvmOptions = new ArrayList<>();
        Map<String, String> properties = new LinkedHashMap<>();
        for (String option : TestEnvironment.payaraJvmOptions()) {
            if (option.startsWith("-Dsenders.")) {
                int eq = option.indexOf('=');
                properties.put(option.substring(2, eq), option.substring(eq + 1));
            } else if (!option.startsWith("-Xmx")) { // domain.xml has its own -Xmx512m
                jvmOptions.add(option);
            }
        }
        Properties secrets = new Properties();
        try (Reader in = Files.newBufferedReader(TestEnvironment.secrets())) {
            secrets.load(in);
        }
        secrets.stringPropertyNames().forEach(name -> properties.put(name, secrets.getProperty(name)));
        // the timer every minute (the default is every 4 hours), so that the test sees it fire
        properties.put("senders.verification.schedule.hour", "*");
        properties.put("senders.verification.schedule.minute", "*");
        // on a shared server a failed start fails the deployment instead of stopping the server (README)
        properties.put("senders.startup.exit-on-failure", "false");

        server = new PayaraServer(Path.of(System.getProperty("payara.server.home", "target/payara6")),
                Path.of("target", "payara-domains"));
        server.configure(jvmOptions, properties);
        server.start();
        server.deploy(Path.of(System.getProperty("senders.ear", "target/senders.ear")), "senders");
        deployedAt = Instant.now();

        tag = UUID.randomUUID().toString().substring(0, 8);
        user = TestUsers.inNewOrganization();
        api = Api.as(server.base(), user);
        domain = "ear-" + tag + ".com";
        pendingDomain = "ear-pending-" + tag + ".com";
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** Last, so that whatever the server opened on its way (the JMS proxy, the timer database) is there. */
    @Test
    @Order(9)
    void theServerListensOnLoopbackOnly() throws IOException {
        List<String> sockets = server.listeningSockets();
        assertThat(sockets).as("the server's listening sockets (its ports: " + server.ports() + ")")
                .contains("127.0.0.1:" + server.httpPort(), "127.0.0.1:" + server.adminPort())
                .allSatisfy(s -> assertThat(s).startsWith("127.0.0.1:"));
        // no phone-home: Payara's own (its configuration as the running server wrote it back) and Hazelcast's
        assertThat(server.domainXml()).containsPattern("<phone-home-runtime-configuration[^>]*enabled=\"false\"")
                .contains("-Dhazelcast.phone.home.enabled=false");
    }

    @Test
    @Order(1)
    void signIn() {
        Api anonymous = Api.anonymous(server.base());
        assertThat(anonymous.get("api/senders").status()).isEqualTo(401);

        // the host's form sign-in (its HttpAuthenticationMechanism and IdentityStore, from the EAR's web module)
        String form = "username=" + URLEncoder.encode(user.name(), StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(user.password(), StandardCharsets.UTF_8) + "&next=%2Fanalytics.html";
        Api.Reply signedIn = anonymous.post("login", "application/x-www-form-urlencoded", form);
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(302);
        assertThat(signedIn.header("Location")).endsWith("/analytics.html");
        String cookie = signedIn.response().headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow().split(";", 2)[0];

        // the session's caller is the host's principal, mapped to its organization by the module's TenantResolver
        Api.Reply me = anonymous.send(anonymous.request("host-api/me").header("Cookie", cookie).GET());
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().getString("organizationId")).isEqualTo(user.organizationId());
        Api.Reply senders = anonymous.send(anonymous.request("api/senders").header("Cookie", cookie).GET());
        assertThat(senders.status()).as(senders.toString()).isEqualTo(200);
        Api.Reply page = anonymous.send(anonymous.request("senders/index.html").header("Cookie", cookie)
                .header("Accept", "text/html").GET());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("<h1>Senders</h1>");
    }

    @Test
    @Order(2)
    void aSenderIsAddedVerifiedAndMadeTheDefault() {
        long id = Campaigns.verifiedDefault(api, "news@" + domain);
        JsonObject sender = api.get("api/senders/" + id).json().getJsonObject("sender");
        assertThat(sender.getString("verificationStatus")).isEqualTo("verified");
        assertThat(sender.getBoolean("isDefault")).isTrue();

        // a second one stays pending: the background sweep verifies it (the timer's test below)
        Campaigns.senderId(api, "news@" + pendingDomain);
    }

    @Test
    @Order(3)
    void aCampaignGoesThroughSes() {
        List<String> recipients = recipients(3);
        sesCampaign = Campaigns.startAndAwait(api, Campaigns.create(api, "news@" + domain, "Hello " + tag,
                recipients));
        List<Campaigns.Item> items = items(sesCampaign);
        assertThat(items).hasSize(3).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo("sent");
            assertThat(i.providerUsed()).isEqualTo("ses");
        });
        List<SesStub.SentMessage> messages = Campaigns.sesMessagesTo(items);
        assertThat(messages).hasSize(3).allSatisfy(m -> {
            assertThat(m.source()).contains("news@" + domain);
            assertThat(m.tags()).containsEntry("organization", user.organizationId())
                    .containsEntry("campaign", String.valueOf(sesCampaign));
        });
    }

    @Test
    @Order(4)
    void aCampaignFromAnUnverifiedDomainFallsBackToResend() {
        List<String> recipients = recipients(2);
        JsonObject created = Campaigns.create(api, "news@unverified-" + tag + ".com", "Hello " + tag, recipients);
        assertThat(created.getString("warning")).contains("platform's shared domain");
        long id = Campaigns.startAndAwait(api, created);
        List<Campaigns.Item> items = items(id);
        assertThat(items).hasSize(2).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo("sent");
            assertThat(i.providerUsed()).isEqualTo("resend");
        });
        List<ResendStub.SentEmail> emails = Campaigns.resendEmailsOf(items);
        assertThat(emails).hasSize(2)
                .allSatisfy(e -> assertThat(e.tags()).containsEntry("campaign", String.valueOf(id)));
    }

    /**
     * The host's SenderUsageCheck (a CDI bean of the web module) is consulted by the module (in the EJB module): the
     * SPI works across the EAR's modules.
     */
    @Test
    @Order(5)
    void theHostsSenderUsageCheckVetoesRemovingASenderInUse() {
        String busy = "busy@busy-" + tag + ".com";
        long id = Campaigns.senderId(api, busy);
        Campaigns.sql("insert into campaigns (organization_id, name, sender_email, subject, status) values ('"
                + user.organizationId() + "', 'Busy " + tag + "', '" + busy + "', 'Busy', 'sending')");
        Api.Reply vetoed = api.delete("api/senders/" + id);
        assertThat(vetoed.status()).as(vetoed.toString()).isEqualTo(409);
        assertThat(vetoed.body()).contains("is still sending from this address");
        Campaigns.sql("update campaigns set status = 'stopped' where name = 'Busy " + tag + "'");
        assertThat(api.delete("api/senders/" + id).status()).isEqualTo(204);
    }

    @Test
    @Order(6)
    void aSignedSnsNotificationIsRecordedAndReachesTheHost() {
        Campaigns.Item sent = items(sesCampaign).get(0);
        SnsMessage notification = SnsFixtures.notification(SesEvents.delivery(sent.messageId(), sent.recipient()));
        Api anonymous = Api.anonymous(server.base());
        Api.Reply reply = anonymous.send(anonymous.request("api/webhooks/ses-events")
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", notification.type)
                .POST(HttpRequest.BodyPublishers.ofString(notification.body(SnsFixtures.pki()),
                        StandardCharsets.UTF_8)));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().getString("outcome")).isEqualTo("accepted");

        // the module's record, for the send's own organization and campaign
        assertThat(count("select count(*) from senders_email_events where event_type = 'delivery'"
                + " and organization_id = '" + user.organizationId() + "' and campaign_id = '" + sesCampaign + "'"
                + " and recipient = '" + sent.recipient() + "'")).isEqualTo(1);
        // the host's observer (in the web module) heard the module's CDI event (fired in the EJB module)
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from email_events"
                + " where organization_id = '" + user.organizationId() + "' and kind = 'delivered'") == 1);
    }

    @Test
    @Order(7)
    void healthAndMetricsAnswer() {
        Api root = Api.anonymous(server.base());
        Api.Reply ready = root.get("health/ready");
        assertThat(ready.status()).as(ready.toString()).isEqualTo(200);
        assertThat(ready.json().getString("status")).isEqualTo("UP");
        assertThat(ready.body()).contains("senders-database").contains("senders-providers");
        Api.Reply live = root.get("health/live");
        assertThat(live.status()).as(live.toString()).isEqualTo(200);
        assertThat(live.body()).contains("senders-process");

        Api.Reply metrics = root.send(root.request("metrics").setHeader("Accept", "text/plain").GET());
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("senders_");
    }

    @Test
    @Order(8)
    void theVerificationTimerFiresOncePerPeriodAndVerifiesThePendingSender() {
        TestEnvironment.ses().setVerificationStatus(pendingDomain, "Success");
        TestEnvironment.ses().setDkimStatus(pendingDomain, "Success");
        Instant from = Instant.now();
        // a period that started after the statuses changed (so its sweep saw them), finished
        await().atMost(Duration.ofSeconds(130)).pollInterval(Duration.ofSeconds(1))
                .until(() -> !finishedPeriodsSince(from).isEmpty());
        Instant period = finishedPeriodsSince(from).get(0);
        assertThat(count("select count(*) from senders_job_runs where job = 'verification-sweep'"
                + " and period_start = '" + Timestamp.from(period) + "'")).as("one run for the period").isEqualTo(1);
        assertThat(count("select count(*) from senders_job_runs where job = 'verification-sweep'"
                + " and period_start >= '" + Timestamp.from(deployedAt) + "'"))
                .as("no more runs than minutes since the deployment")
                .isLessThanOrEqualTo(Duration.between(deployedAt, Instant.now()).toMinutes() + 1);
        assertThat(query("select verification_status from senders where domain = '" + pendingDomain + "'",
                rs -> rs.getString(1))).containsExactly("verified");
    }

    private static List<Instant> finishedPeriodsSince(Instant after) {
        return query("select period_start from senders_job_runs where job = 'verification-sweep'"
                        + " and period_start > '" + Timestamp.from(after) + "' and finished_at is not null"
                        + " order by period_start",
                rs -> rs.getTimestamp(1).toInstant());
    }

    private static long count(String sql) {
        return query(sql, rs -> rs.getLong(1)).get(0);
    }

    private static List<String> recipients(int n) {
        return IntStream.range(0, n).mapToObj(i -> "r" + i + "-" + UUID.randomUUID().toString().substring(0, 6)
                + "@inbox-" + tag + ".net").toList();
    }
}
