package dev.senders.host.it;

import dev.senders.sandbox.ResendStub;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGKILL of the server mid-campaign, then a restart: no item is lost and no recipient gets two emails. The
 * campaign goes through Resend (the organization has no verified domain), whose Idempotency-Key (the item id) makes
 * a re-sent item harmless even if the kill fell between the provider's answer and the host's record of it.
 */
class CrashRecoveryIT {

    private final List<Process> servers = new ArrayList<>();

    @AfterEach
    void stopServers() {
        servers.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledServerLosesNoItemAndSendsNoneTwice() throws Exception {
        int port = freePort();
        URL base = new URL("http://127.0.0.1:" + port + "/");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            recipients.add("crash" + i + "-" + tag + "@inbox-" + tag + ".com");
        }

        Process first = start(port, "first");
        // after the first start: the host's tables exist once it has migrated them
        Api api = Api.as(base, TestUsers.inNewOrganization());
        JsonArrayBuilder to = Json.createArrayBuilder();
        recipients.forEach(to::add);
        Api.Reply created = api.post("host-api/campaigns", Json.createObjectBuilder().add("name", "Crash " + tag)
                .add("senderEmail", "news@unverified-" + tag + ".com").add("subject", "Hello")
                .add("html", "<p>Hello</p>").add("recipients", to).build().toString());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().getJsonNumber("id").longValue();
        assertThat(api.post("host-api/campaigns/" + id + "/start", "{}").status()).isEqualTo(202);

        // kill -9 once some, not all, have gone out
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> sentTo(recipients).size() >= 8);
        first.destroyForcibly().waitFor();
        int beforeRestart = sentTo(recipients).size();
        assertThat(beforeRestart).isLessThan(recipients.size());

        start(port, "second");
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> "sent".equals(campaignStatus(id)));

        Map<String, Long> perRecipient = sentTo(recipients).stream()
                .collect(Collectors.groupingBy(e -> e.to().get(0), Collectors.counting()));
        assertThat(perRecipient).hasSize(recipients.size());
        assertThat(perRecipient).allSatisfy((r, n) -> assertThat(n).as(r).isEqualTo(1));
        assertThat(itemStatuses(id)).containsOnly("sent");
    }

    private static List<ResendStub.SentEmail> sentTo(List<String> recipients) {
        return TestEnvironment.resend().sentEmails().stream()
                .filter(e -> !e.to().isEmpty() && recipients.contains(e.to().get(0))).toList();
    }

    /** A Payara Micro with the reference host, like Arquillian's, on a fixed port so a restart keeps its address. */
    private Process start(int port, String name) throws IOException {
        Path log = Path.of("target", "crash-recovery-" + name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(TestEnvironment.payaraJvmOptions());
        // a claim of the killed server is taken over after 5 s, not the default 5 minutes
        command.add("-Dhost.campaigns.lease=PT5S");
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"), "--nocluster", "--port",
                String.valueOf(port), "--contextroot", "/"));
        command.addAll(TestEnvironment.payaraMicroOptions());
        command.addAll(List.of("--deploy", System.getProperty("senders.host.war")));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.add(server);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(server.isAlive()).as("Payara Micro exited; see " + log).isTrue();
            try {
                return Api.anonymous(URI.create("http://127.0.0.1:" + port + "/").toURL())
                        .get("login.html").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        return server;
    }

    private static String campaignStatus(long id) throws SQLException {
        try (var c = TestEnvironment.db().getConnection();
             var q = c.prepareStatement("select status from campaigns where id = ?")) {
            q.setLong(1, id);
            try (var rs = q.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static List<String> itemStatuses(long id) throws SQLException {
        try (var c = TestEnvironment.db().getConnection();
             var q = c.prepareStatement("select distinct status from campaign_items where campaign_id = ?")) {
            q.setLong(1, id);
            try (var rs = q.executeQuery()) {
                List<String> statuses = new ArrayList<>();
                while (rs.next()) {
                    statuses.add(rs.getString(1));
                }
                return statuses;
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
