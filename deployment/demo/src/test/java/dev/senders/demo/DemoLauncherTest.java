package dev.senders.demo;

import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.Sandbox;
import dev.senders.sandbox.SesStub;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command: the launcher boots Payara Micro with the embedded PostgreSQL and the sandbox, quietly,
 * serves the page to a demo user with live DNS checks against the sandbox's zone (records found once the local SES has
 * verified the domain, a published mistake diagnosed), sends mail with unsubscribe links, and keeps its data and its
 * unsubscribe secret across a restart.
 */
class DemoLauncherTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ALICE = "Basic " + Base64.getEncoder()
            .encodeToString("alice:senders-demo".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path data;

    /**
     * The log up to "ready" fits on one screen. Measured: 8 lines (the module's 3 INFO lines, 4 INFO lines of Payara's
     * web container, Payara's WARNING about the JDBC driver of a deployment class loader); before issue 18, 616.
     */
    static final int ONE_SCREEN = 60;

    @Test
    void theLauncherServesThePageInTheSandboxWithLiveDnsAndKeepsDataAcrossARestart() throws Exception {
        Path runtime = Path.of(System.getProperty("senders.demo.runtime"));
        int port = DemoLauncher.freePort();
        DemoLauncher.Options options = new DemoLauncher.Options(data, port, runtime, false);
        String secret;

        try (DemoLauncher demo = DemoLauncher.start(options)) {
            // a quiet start: what Payara printed until the demo was ready
            List<String> startLog = Files.readAllLines(demo.serverLog());
            assertThat(startLog).as(String.join("\n", startLog)).hasSizeLessThanOrEqualTo(ONE_SCREEN)
                    .noneMatch(line -> line.contains("has expired") || line.contains("NCLS-SECURITY-05054"))
                    .noneMatch(line -> line.contains("no default given"))
                    .noneMatch(line -> line.startsWith("SLF4J:"))
                    .anyMatch(line -> line.contains("INFO dev.senders.infrastructure.persistence.SchemaMigration: "
                            + "Senders database schema is current"));

            URI base = demo.baseUri();
            HttpResponse<String> login = get(base.resolve("login.html"), null);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("alice").contains("senders-demo");
            assertThat(get(base.resolve("favicon.ico"), null).statusCode()).isEqualTo(200);

            HttpResponse<String> page = get(base.resolve("senders/"), ALICE);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Senders").contains("id=\"sandbox-banner\"");

            // without credentials both providers are the local stand-ins, and the page says so (senders.js)
            String account = get(base.resolve("api/senders/account"), ALICE).body();
            assertThat(account).contains("\"localSandbox\":true");
            assertThat(account.replace(" ", "")).contains("\"ses\":{\"local\":true").contains("\"resend\":{\"local\":true");
            assertThat(demo.sandboxText()).isEqualTo("Sandbox: no email leaves this machine");
            HttpResponse<String> added = post(base.resolve("api/senders"), "{\"emailAddress\":\"news@demo-shop.com\"}");
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(added.body()).contains("_amazonses.demo-shop.com");
            long id = Json.createReader(new StringReader(added.body())).readObject().getJsonObject("sender")
                    .getJsonNumber("id").longValue();

            // live DNS: before the local SES verifies the domain, nothing is published yet
            assertThat(records(base, id)).extracting(r -> r.getString("status")).containsOnly("missing", "warning");

            // the sandbox verifies the domain: its records are published in the loopback zone and found
            Sandbox sandbox = demo.sandbox().orElseThrow();
            sandbox.ses().verifyDomain("demo-shop.com");
            assertThat(post(base.resolve("api/senders/" + id + "/verify"), "").statusCode()).isEqualTo(200);
            List<JsonObject> found = records(base, id);
            assertThat(found).hasSize(6).allSatisfy(r -> assertThat(r.getString("status"))
                    .as(r.toString()).isEqualTo("found"));
            assertThat(found.toString()).doesNotContainIgnoringCase("could not check");

            // the control page publishes a common mistake, and the Senders API diagnoses it
            HttpResponse<String> mistake = HTTP.send(HttpRequest.newBuilder(sandbox.dnsPage())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("domain=demo-shop.com&publication=proxied-dkim")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(mistake.statusCode()).isEqualTo(303);
            assertThat(records(base, id)).filteredOn(r -> r.getString("purpose").equals("DKIM")).hasSize(3)
                    .allSatisfy(r -> assertThat(r.getString("diagnosis")).isEqualTo("cloudflare_proxied"));
            assertThat(get(sandbox.dnsPage(), null).body()).contains("demo-shop.com")
                    .contains("Mistake: DKIM CNAMEs proxied (A records)");

            // a campaign's mail carries a one-click unsubscribe link to this demo (senders.unsubscribe.*)
            HttpResponse<String> campaign = post(base.resolve("host-api/campaigns"), "{\"name\":\"Welcome\","
                    + "\"senderEmail\":\"news@demo-shop.com\",\"senderName\":\"Demo shop\",\"subject\":\"Hello\","
                    + "\"html\":\"<p>Hello</p>\",\"recipients\":[\"reader@example.com\"]}");
            assertThat(campaign.statusCode()).as(campaign.body()).isEqualTo(201);
            long campaignId = Json.createReader(new StringReader(campaign.body())).readObject().getJsonNumber("id")
                    .longValue();
            assertThat(post(base.resolve("host-api/campaigns/" + campaignId + "/start"), "{}").statusCode())
                    .isBetween(200, 202);
            assertThat(awaitUnsubscribeLink(sandbox, "reader@example.com"))
                    .startsWith("<" + base.resolve("api/unsubscribe/")).endsWith(">");

            secret = Files.readString(data.resolve(UnsubscribeSecret.FILE)).strip();
            assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
            assertThat(Files.readString(demo.serverLog())).doesNotContain(secret);
        }

        try (DemoLauncher again = DemoLauncher.start(options)) {
            HttpResponse<String> list = get(again.baseUri().resolve("api/senders"), ALICE);
            assertThat(list.statusCode()).as(() -> list.body() + "\n" + serverLog()).isEqualTo(200);
            assertThat(list.body()).contains("news@demo-shop.com");
            assertThat(Files.readString(data.resolve(UnsubscribeSecret.FILE)).strip())
                    .as("links sent before the restart keep working").isEqualTo(secret);
        }
    }

    /** The sender's records as the Senders API shows them, each checked live. */
    private static List<JsonObject> records(URI base, long id) throws Exception {
        HttpResponse<String> sender = get(base.resolve("api/senders/" + id), ALICE);
        assertThat(sender.statusCode()).as(sender.body()).isEqualTo(200);
        return Json.createReader(new StringReader(sender.body())).readObject().getJsonArray("dnsRecords")
                .getValuesAs(JsonObject.class);
    }

    /**
     * The {@code List-Unsubscribe} header of the campaign mail to {@code recipient}, at whichever local provider sent
     * it (the campaign sends in the background), with its one-click companion.
     */
    private static String awaitUnsubscribeLink(Sandbox sandbox, String recipient) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            for (ResendStub.SentEmail email : sandbox.resend().sentEmails()) {
                if (email.to().contains(recipient)) {
                    assertThat(email.headers()).containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                    return email.headers().get("List-Unsubscribe");
                }
            }
            for (SesStub.SentMessage message : sandbox.ses().sentMessages()) {
                String raw = message.rawMessage() == null ? "" : message.rawMessage();
                if (message.to().contains(recipient) || raw.contains(recipient)) {
                    assertThat(raw).contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
                    java.util.regex.Matcher link = java.util.regex.Pattern.compile("List-Unsubscribe: (<[^>]*>)")
                            .matcher(raw);
                    assertThat(link.find()).as(raw).isTrue();
                    return link.group(1);
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no local provider received mail for " + recipient);
    }

    /** Issue 16: the welcome text tells which provider is local and which is real (e.g. only RESEND_API_KEY set). */
    @Test
    void theSandboxLineSaysWhichProviderIsLocalAndWhichIsReal() {
        assertThat(DemoLauncher.sandboxText(true, true)).isEqualTo("Sandbox: no email leaves this machine");
        assertThat(DemoLauncher.sandboxText(true, false)).isEqualTo(
                "Sandbox: Amazon SES is local, Resend is real: email sent through Resend leaves this machine");
        assertThat(DemoLauncher.sandboxText(false, true)).isEqualTo(
                "Sandbox: Resend is local, Amazon SES is real: email sent through Amazon SES leaves this machine");
        for (boolean[] mixed : new boolean[][]{{true, false}, {false, true}, {false, false}}) {
            assertThat(DemoLauncher.sandboxText(mixed[0], mixed[1])).doesNotContain("no email leaves");
        }
    }

    /** The end of the server's log, to explain a failure. */
    private String serverLog() {
        try {
            String log = java.nio.file.Files.readString(data.resolve("payara.log"));
            return log.substring(Math.max(0, log.length() - 6000));
        } catch (java.io.IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    private static HttpResponse<String> post(URI uri, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Authorization", ALICE)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
