package dev.senders.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's run command: the launcher boots Payara Micro with the embedded PostgreSQL and the sandbox, serves the
 * page to a demo user, and keeps its data across a restart.
 */
class DemoLauncherTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ALICE = "Basic " + Base64.getEncoder()
            .encodeToString("alice:senders-demo".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path data;

    @Test
    void theLauncherServesThePageInTheSandboxAndKeepsDataAcrossARestart() throws Exception {
        Path runtime = Path.of(System.getProperty("senders.demo.runtime"));
        int port = DemoLauncher.freePort();
        DemoLauncher.Options options = new DemoLauncher.Options(data, port, runtime, false);

        try (DemoLauncher demo = DemoLauncher.start(options)) {
            URI base = demo.baseUri();
            HttpResponse<String> login = get(base.resolve("login.html"), null);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("alice").contains("senders-demo");

            HttpResponse<String> page = get(base.resolve("senders/"), ALICE);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("Senders").contains("id=\"sandbox-banner\"");

            // without credentials both providers are the local stand-ins, and the page says so (senders.js)
            String account = get(base.resolve("api/senders/account"), ALICE).body();
            assertThat(account).contains("\"localSandbox\":true");
            assertThat(account.replace(" ", "")).contains("\"ses\":{\"local\":true").contains("\"resend\":{\"local\":true");
            assertThat(demo.sandboxText()).isEqualTo("Sandbox: no email leaves this machine");
            HttpResponse<String> added = HTTP.send(HttpRequest.newBuilder(base.resolve("api/senders"))
                    .header("Authorization", ALICE).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"emailAddress\":\"news@demo-shop.com\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            assertThat(added.body()).contains("_amazonses.demo-shop.com");
        }

        try (DemoLauncher again = DemoLauncher.start(options)) {
            HttpResponse<String> list = get(again.baseUri().resolve("api/senders"), ALICE);
            assertThat(list.statusCode()).as(() -> list.body() + "\n" + serverLog()).isEqualTo(200);
            assertThat(list.body()).contains("news@demo-shop.com");
        }
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

    private static HttpResponse<String> get(URI uri, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
