package dev.senders.host.it.security;

import dev.senders.host.it.Api;
import dev.senders.host.it.Campaigns;
import dev.senders.host.it.PayaraProcess;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import dev.senders.sandbox.DatabaseProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9, part 5: faults injected through the stub providers and the process, each a row of a table, each a real
 * campaign of the reference host. After recovery every item is in exactly one final state and no recipient got two
 * sends, as counted at the SES and Resend stubs.
 *
 * <p>The instance is a Payara Micro this test starts itself ({@link PayaraProcess}, as Arquillian would, on a fixed
 * port so that a restart keeps its address), for two reasons. <b>The database restart:</b> the tests share the
 * machine's PostgreSQL ({@code SENDERS_TEST_DB_URL}), which must not be restarted; so the instance reaches
 * PostgreSQL through a loopback TCP proxy ({@link DatabaseProxy}) which, mid-campaign, cuts every connection and
 * refuses new ones for 10 s, then accepts again: what a server restart looks like to the client. <b>The SIGKILL:</b>
 * the test kills its own process and starts it again. The claim lease of a killed instance is 5 s
 * ({@code host.campaigns.lease}) instead of 5 minutes, and Resend's timeout 3 s, so the suite stays short.
 *
 * <p>The SIGKILL and "accepts, then times out" rows run on the Resend path on purpose: Resend's Idempotency-Key
 * (the item id) makes a re-send after a lost answer harmless. SES has no idempotency key, so a crash between SES's
 * answer and the record of it can send that one message twice; the module cannot prevent that, so the SES rows here
 * are the provider errors that SES does answer (Throttling, 5xx).
 */
class FaultInjectionIT {

    private static final List<String> FINAL = List.of("sent", "failed", "suppressed", "unknown");

    private static DatabaseProxy proxy;
    private static PayaraProcess payara;

    @BeforeAll
    static void startInstanceBehindTheProxy() throws Exception {
        URI db = URI.create(TestEnvironment.jdbcUrl().substring("jdbc:".length()));
        proxy = DatabaseProxy.start(db.getHost(), db.getPort());
        String proxied = TestEnvironment.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxy.port() + "/");
        payara = new PayaraProcess("-Dsenders.db.url=" + proxied, "-Dhost.campaigns.lease=PT5S",
                // the module's claim of a send in progress ends before the host's: a killed instance's sends are
                // abandoned (unknown outcome) by the time the host takes its items over
                "-Dsenders.sending.claim-lease=PT4S",
                // chunks of 5 (one Resend request each) at 2 requests a second, so that faults land mid-campaign
                "-Dhost.campaigns.batch-size=5", "-Dsenders.rate.resend.per-second=2",
                "-Dsenders.resend.timeout=PT3S");
        payara.start("faults-first");
    }

    @AfterAll
    static void stop() {
        if (payara != null) {
            payara.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /**
     * A fault: what to inject (given the running campaign), whether the campaign goes through SES, and whether every
     * item must end sent ({@code allSent}) or may end 'unknown' (at most once: a send whose answer a crash lost, on
     * SES, which has no idempotency key).
     */
    record Fault(String name, boolean ses, int recipients, Injection inject, boolean allSent) {
        Fault(String name, boolean ses, int recipients, Injection inject) {
            this(name, ses, recipients, inject, true);
        }
    }

    interface Injection {
        /** Before the start ({@code id} < 0), or mid-campaign once some items went out. */
        void inject(long campaignId, List<String> recipients) throws Exception;
    }

    @TestFactory
    Stream<DynamicTest> faults() {
        List<Fault> faults = List.of(
                new Fault("SES Throttling beyond the module's retries", true, 5, (id, r) -> TestEnvironment.ses()
                        .failNext("SendRawEmail", 6, 400, "Throttling", "Maximum sending rate exceeded.")),
                new Fault("SES 5xx (InternalFailure) beyond the SDK's retries", true, 5, (id, r) -> TestEnvironment.ses()
                        .failNext("SendRawEmail", 5, 500, "InternalFailure", "An internal error occurred.")),
                new Fault("Resend 429 beyond the module's retries", false, 5, (id, r) -> TestEnvironment.resend()
                        .failNext(5, 429, "rate_limit_exceeded", "Too many requests", 1)),
                new Fault("Resend 5xx", false, 5, (id, r) -> TestEnvironment.resend()
                        .failNext(4, 500, "application_error", "Internal server error", 0)),
                new Fault("Resend accepts, then times out (answer after 6 s, timeout 3 s)", false, 5,
                        (id, r) -> TestEnvironment.resend().delayNext(1, Duration.ofSeconds(6))),
                new Fault("database restart mid-campaign (connections cut, refused for 10 s)", false, 20,
                        (id, r) -> {
                            if (id >= 0) {
                                proxy.outage(Duration.ofSeconds(10));
                            }
                        }),
                new Fault("SIGKILL of the instance mid-campaign, then a restart (Resend path)", false, 20,
                        (id, r) -> {
                            if (id >= 0) {
                                payara.kill();
                                assertThat(delivered(r).size()).as("sent before the restart").isLessThan(r.size());
                                payara.start("faults-restarted");
                            }
                        }),
                new Fault("SIGKILL of the instance mid-batch, then a restart (SES path: no recipient twice, the"
                        + " unknown reported)", true, 60, (id, r) -> {
                            if (id >= 0) {
                                payara.kill();
                                assertThat(delivered(r).size()).as("sent before the restart").isLessThan(r.size());
                                payara.start("faults-restarted-ses");
                            }
                        }, false));
        return faults.stream().map(f -> DynamicTest.dynamicTest(f.name(), () -> SecurityReport.check("5 faults",
                f.name(), () -> run(f))));
    }

    private void run(Fault fault) throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Api api = Api.as(payara.base(), TestUsers.inNewOrganization());
        String from = "news@" + (fault.ses() ? "faults-ses-" : "faults-resend-") + tag + ".com";
        if (fault.ses()) {
            Campaigns.verifiedDefault(api, from);
        }
        List<String> recipients = IntStream.range(0, fault.recipients())
                .mapToObj(i -> "f" + i + "-" + tag + "@inbox-faults.net").toList();
        boolean midCampaign = fault.recipients() > 5;
        if (!midCampaign) {
            fault.inject().inject(-1, recipients);
        }
        long id = Campaigns.start(api, Campaigns.create(api, from, "Faults " + tag, recipients));
        if (midCampaign) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> delivered(recipients).size() >= 8);
            fault.inject().inject(id, recipients);
        }
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> "sent".equals(Campaigns.campaignStatus(id)));

        List<Campaigns.Item> items = Campaigns.items(id);
        assertThat(items).hasSize(recipients.size());
        assertThat(items).as("every item in one final state").allSatisfy(i -> assertThat(i.status()).isIn(FINAL));
        if (!fault.allSent()) {
            // at most once: no recipient twice; every item the stub got is sent or unknown, every other one unknown
            Map<String, Long> perRecipient = delivered(recipients).stream()
                    .collect(Collectors.groupingBy(r -> r, Collectors.counting()));
            assertThat(perRecipient).as("sends per recipient at the stubs")
                    .allSatisfy((r, n) -> assertThat(n).as(r).isEqualTo(1));
            assertThat(items).allSatisfy(i -> {
                if (perRecipient.containsKey(i.recipient())) {
                    assertThat(i.status()).as(i.recipient()).isIn("sent", "unknown");
                } else {
                    assertThat(i.status()).as(i.recipient() + " never reached the stub").isEqualTo("unknown");
                }
            });
            assertThat(items).filteredOn(i -> i.status().equals("unknown")).as("unknown: only a killed block's")
                    .hasSizeLessThanOrEqualTo(5)
                    .allSatisfy(i -> assertThat(i.error()).contains("not sent again"));
            return;
        }
        assertThat(items).as("every item sent").allSatisfy(i -> {
            assertThat(i.status()).isEqualTo("sent");
            assertThat(i.providerUsed()).isEqualTo(fault.ses() ? "ses" : "resend");
        });
        Map<String, Long> perRecipient = delivered(recipients).stream()
                .collect(Collectors.groupingBy(r -> r, Collectors.counting()));
        assertThat(perRecipient).as("sends per recipient at the stubs").hasSize(recipients.size())
                .allSatisfy((r, n) -> assertThat(n).as(r).isEqualTo(1));
    }

    /** One entry per message the stubs accepted for these recipients (SES and Resend together). */
    private static List<String> delivered(List<String> recipients) {
        List<String> out = new ArrayList<>();
        TestEnvironment.ses().sentMessages().stream().flatMap(m -> m.to().stream()).filter(recipients::contains)
                .forEach(out::add);
        TestEnvironment.resend().sentEmails().stream().flatMap(e -> e.to().stream()).filter(recipients::contains)
                .forEach(out::add);
        return out;
    }
}
