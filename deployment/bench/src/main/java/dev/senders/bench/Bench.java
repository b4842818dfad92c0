package dev.senders.bench;

import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.SesStub;
import dev.senders.sandbox.TestCredentials;
import dev.senders.sandbox.VerificationPolicy;
import dev.senders.sandbox.sns.SnsCertificateHost;
import dev.senders.sandbox.sns.SnsMessage;
import dev.senders.sandbox.sns.SnsPki;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.model.Body;
import software.amazon.awssdk.services.ses.model.Content;
import software.amazon.awssdk.services.ses.model.Destination;
import software.amazon.awssdk.services.ses.model.Message;
import software.amazon.awssdk.services.ses.model.MessageTag;
import software.amazon.awssdk.services.ses.model.SendEmailRequest;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Issue 7's benchmarks, each a ratio measured side by side in one run (never a timed assertion):
 * <ol>
 *   <li>send-path overhead: the module's SES provider as a host calls it, inside Payara Micro (rate limit set very
 *   high), against a bare {@code SesClient.sendEmail} loop on the module's own SES client in the same JVM, same stub;
 *   and the same through the reference host's campaign worker, for context;</li>
 *   <li>rate-limit accuracy: achieved / configured SES rate with 1, 4 and 16 concurrent campaigns on 2 clustered
 *   instances, with throttling errors counted;</li>
 *   <li>verification sweep: SES calls and wall time for N pending domains, against the epic's design (batches of 10,
 *   2 calls each, a 2 s sleep after each batch), computed from its algorithm;</li>
 *   <li>webhook ingestion: signed SNS notifications per second (certificate cache warm) against a bare JAX-RS POST
 *   of the same bodies on the same instance, and against a bare servlet POST (the webhook is a servlet), every
 *   notification stored once, and a floor leg (4f) beside them: the least a webhook keeping its promises does
 *   (parse, signature check, one durable statement);</li>
 *   <li>resolution cost: database work per send after warm-up, from PostgreSQL's own per-table statistics.</li>
 * </ol>
 * Run: {@code mvn -q -Pbench install -DskipTests && mvn -q -Pbench -pl deployment/bench exec:java}.
 * Issue 15 adds 15.1-15.6: the Resend fallback and its pacing, SES bulk overhead (sendBatch against a bare loop at the
 * same concurrency), single sends with 16 threads at a provider's latency, transactions per message in batch mode,
 * and SES at production quotas (16 campaigns on 2 instances at several MaxSendRates, with CPU a message).
 * Options (system properties): {@code bench.send.count} (2000), {@code bench.sweep.domains} (10000),
 * {@code bench.webhook.count} (3000), {@code bench.phases} (1,2; 1: the one-instance phase only, 2: the cluster's),
 * {@code bench.only} (4: figure 4 alone, with just the SES sends its notifications need; 15: issue 15's figures;
 * 15,4: both; 15.2 or 15.2,15.6: single figures of issue 15), {@code bench.resend.count} (2000),
 * {@code bench.bulk.count} (6000), {@code bench.bulk.callers} (1), {@code bench.bulk.leg-seconds} (20),
 * {@code bench.latency.count} (4000), {@code bench.latency.warm} (640), {@code bench.batch.count} (2000),
 * {@code bench.quotas} (50,200,500), {@code bench.quota.seconds} (17), {@code bench.webhook.warm}
 * (400: figure 4's warm-up notifications), {@code bench.floor.path} (bench-servlet/webhook-floor: where figure 4's
 * floor leg posts; bench-api/webhook-floor for the same floor as a JAX-RS resource), {@code bench.quota.warm} (150: items
 * a campaign of figure 15.6's warm-up
 * at the highest quota), {@code bench.jvm.extra}
 * (more JVM options for each Payara Micro, such as a profiler's), {@code bench.cluster.fork} (true: phase 2 runs in a
 * JVM of its own with ZGC, {@link ClusterPhaseJvm}), {@code bench.cluster.jvm} (that JVM's options);
 * {@code SENDERS_BENCH_DB_URL} / {@code _USER} / {@code _PASSWORD} name a PostgreSQL database to use (its public
 * schema is emptied), else an embedded PostgreSQL is started.
 */
public final class Bench {

    private static final String PASSWORD = "bench-password-1";
    private static final double SES_MAX_SEND_RATE = SesStub.DEFAULT_MAX_SEND_RATE;
    private static final double SES_ENFORCED_RATE = SES_MAX_SEND_RATE * 0.97;

    private final Path runtime = Path.of(System.getProperty("bench.runtime", "deployment/bench/target/runtime"));
    private final Path work;
    private final int sendCount = Integer.getInteger("bench.send.count", 2000);
    private final int sweepDomains = Integer.getInteger("bench.sweep.domains", 10_000);
    /**
     * {@code -Dbench.capture=true}: figures 2 and 15.6 also capture their SES requests on the loopback with tcpdump
     * ({@link LoopbackCapture}) and report their count per second as they reached it.
     */
    private static final boolean CAPTURE = Boolean.getBoolean("bench.capture");
    /**
     * {@code -Dbench.only}: a comma-separated list of what to run instead of everything. {@code 4}: figure 4 (after
     * just the SES sends its notifications report on); {@code 15}: issue 15's new figures (15.1-15.6, both phases);
     * {@code 15,4}: both; {@code 15.n}: one figure of issue 15.
     */
    private static final Set<String> ONLY = Set.of(System.getProperty("bench.only", "").trim().split("\\s*,\\s*"))
            .stream().filter(x -> !x.isEmpty()).collect(Collectors.toUnmodifiableSet());
    private static final boolean EVERYTHING = ONLY.isEmpty();
    private static final boolean FIGURE_4 = EVERYTHING || ONLY.contains("4");
    private static final boolean ISSUE_15 = EVERYTHING || ONLY.contains("15");
    /** Issue 18's figure: the Emails page over a million sends ({@code -Dbench.only=18}). */
    private static final boolean FIGURE_18 = EVERYTHING || ONLY.contains("18");

    /** Whether to run issue 15's figure {@code n} (1, 2, 3, 5, 6): all of them, or {@code -Dbench.only=15.n}. */
    private static boolean issue15(int n) {
        return ISSUE_15 || ONLY.contains("15." + n);
    }

    /** Figure 4 without the other figures of phase 1 (which make the SES sends its notifications report on). */
    private static final boolean FIGURE_4_ONLY = ONLY.equals(Set.of("4"));
    /** 15.1: recipients of the Resend-fallback campaign. */
    private final int resendCount = Integer.getInteger("bench.resend.count", 2000);
    /** 15.2: messages each leg (module sendBatch, bare loop) sends, in {@link #BULK_ROUNDS} alternating rounds. */
    private final int bulkCount = Integer.getInteger("bench.bulk.count", 6000);
    /** 15.2: threads calling the module's sendBatch at once (1: one campaign worker). */
    private final int bulkCallers = Integer.getInteger("bench.bulk.callers", 1);
    private static final int BULK_ROUNDS = 6;
    /** 15.2: a leg takes no new batch after this many seconds (a module that sends far slower stays bounded). */
    private static final int BULK_LEG_SECONDS = Integer.getInteger("bench.bulk.leg-seconds", 20);
    /** 15.2: messages each leg sends before the measured rounds ({@code bench.bulk.warm}). */
    private static final int BULK_WARM = Integer.getInteger("bench.bulk.warm", 600);
    /** 15.3: sends each leg makes at the provider's latency, 16 threads. */
    private final int latencyCount = Integer.getInteger("bench.latency.count", 4000);
    /** 15.3: sends made (in rounds of 16 threads) before the measured rounds ({@code bench.latency.warm}). */
    private static final int LATENCY_WARM = Integer.getInteger("bench.latency.warm", 640);
    /** 15.5: items of the batch-mode campaign whose transactions are counted. */
    private final int batchCount = Integer.getInteger("bench.batch.count", 2000);
    /** 15.6: the stub's MaxSendRate of each run (16 campaigns on 2 instances). */
    private final List<Double> quotas = java.util.Arrays.stream(System.getProperty("bench.quotas", "50,200,500")
            .split(",")).map(String::trim).filter(x -> !x.isEmpty()).map(Double::valueOf).toList();
    /** 15.6: how long each quota run should last at the enforced rate (sizes its campaigns). */
    private final double quotaSeconds = Double.parseDouble(System.getProperty("bench.quota.seconds", "17"));
    /** Figure 15.6's warm-up: items a campaign of its 16, sent at the highest quota before the measured runs. */
    private static final int QUOTA_WARM = Integer.getInteger("bench.quota.warm", 150);

    /** Figure 4's warm-up notifications (and as many bare POSTs) before the measured ones. */
    private static final int WEBHOOK_WARM = Integer.getInteger("bench.webhook.warm", 400);
    /**
     * Where figure 4's floor leg posts: a plain servlet, as the webhook is, or the same floor as a JAX-RS resource
     * (bench-api/webhook-floor).
     */
    private static final String FLOOR_PATH = System.getProperty("bench.floor.path", "bench-servlet/webhook-floor");
    private final List<String[]> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private EmbeddedPostgres embedded;
    private String dbUrl;
    private String dbUser;
    private String dbPassword;
    private SesStub ses;
    private ResendStub resend;
    private SnsPki snsPki;
    private SnsCertificateHost snsHost;
    private static final String SNS_TOPIC = "arn:aws:sns:ap-southeast-1:123456789012:senders-bench-events";
    private static final String SNS_CERT_PATH = "/SimpleNotificationService-bench.pem";

    private Bench() throws Exception {
        work = runtime.getParent().resolve("bench-run").toAbsolutePath();
        Files.createDirectories(work);
    }

    public static void main(String[] args) throws Exception {
        // the stubs are JDK HTTP servers, which do not set TCP_NODELAY by default: their response body then waits for
        // the client's delayed ACK of the headers (~40 ms on Linux), and that stall, not the module, would dominate
        // every provider call (44 ms instead of ~2 ms here). Read once, before the first server starts.
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
        Bench bench = new Bench();
        try {
            bench.run();
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        long started = System.nanoTime();
        setUp();
        boolean phaseOneWanted = EVERYTHING || FIGURE_4 || issue15(1) || issue15(2) || issue15(3) || issue15(5);
        String phases = System.getProperty("bench.phases", (phaseOneWanted ? "1," : "") + (EVERYTHING || issue15(6)
                || issue15(5) ? "2" : ""));
        if (phases.contains("1")) {
            phaseOne();
        }
        if (phases.contains("2")) {
            if (ClusterPhaseJvm.wanted()) {
                ClusterPhaseJvm.run(work, rows, notes);
            } else {
                phaseTwo();
            }
        }
        String results = System.getProperty(ClusterPhaseJvm.RESULTS_PROPERTY);
        if (results != null) {
            ClusterPhaseJvm.write(Path.of(results), rows, notes);
        } else {
            printTable(Duration.ofNanos(System.nanoTime() - started));
        }
    }

    private void phaseOne() throws Exception {
        log("phase 1: one instance, SES rate set very high (send-path overhead, resolution cost)");
        try (Payara single = Payara.single(runtime, work, "bench-single", jvmOptions(List.of(
                "-Dsenders.rate.ses.per-second=100000")))) {
            single.awaitReady(Duration.ofSeconds(180));
            if (FIGURE_4_ONLY) {
                sendsToReport(single);
            }
            if (EVERYTHING) {
                sendPathOverhead(single);
                resolutionCost(single);
            }
            issue15PhaseOne(single);
            if (FIGURE_4) {
                webhookIngestion(single);
            }
            if (FIGURE_18) {
                emailsPage(single); // last: its million rows would be taken for figure 4's sends
            }
        }
    }

    /**
     * Issue 18: the Emails page's queries (GET /api/emails) for an organization with a million sends against one
     * with a thousand, in the same table: the median time of a page over 21 calls each, through the instance's REST
     * API (sign-in, JSON and all). A ratio near 1 says the page does not slow down with the table.
     */
    private void emailsPage(Payara node) throws Exception {
        int big = Integer.getInteger("bench.emails.count", 1_000_000);
        int small = 1_000;
        String bigOrg = "bench-emails-big";
        String smallOrg = "bench-emails-small";
        long started = System.nanoTime();
        try (Connection c = db(); var s = c.createStatement()) {
            for (var org : Map.of(bigOrg, big, smallOrg, small).entrySet()) {
                // 5% failed, 1% suppressed, half through Resend, 200 campaigns, one a second back in time
                s.execute("insert into senders_sends (idempotency_key, organization_id, campaign_id, recipient,"
                        + " from_address, provider, message_id, status, error, created_at, updated_at)"
                        + " select 'emails-' || g, '" + org.getKey() + "', 'c' || (g % 200),"
                        + " 'user' || g || '@example' || (g % 50) || '.net', 'news@bench.example',"
                        + " case when g % 2 = 0 then 'ses' else 'resend' end, 'emails-m-' || g,"
                        + " case when g % 20 = 0 then 'failed' when g % 100 = 1 then 'suppressed' else 'sent' end,"
                        + " case when g % 20 = 0 then 'rejected' end,"
                        + " now() - g * interval '1 second', now() - g * interval '1 second'"
                        + " from generate_series(1, " + org.getValue() + ") g");
            }
            s.execute("analyze senders_sends");
        }
        log(String.format(Locale.ROOT, "figure 18: %d + %d sends inserted in %.1f s", big, small,
                (System.nanoTime() - started) / 1e9));
        Http onBig = Http.as(node.base(), user(bigOrg, "user"), PASSWORD);
        Http onSmall = Http.as(node.base(), user(smallOrg, "user"), PASSWORD);
        Map<String, String[]> queries = new LinkedHashMap<>();
        queries.put("first page", new String[]{"", ""});
        queries.put("a page half-way back (keyset cursor)", new String[]{"cursor=" + halfWay(bigOrg, big),
                "cursor=" + halfWay(smallOrg, small)});
        queries.put("status=failed", new String[]{"status=failed", "status=failed"});
        queries.put("campaign=c12", new String[]{"campaign=c12", "campaign=c12"});
        queries.put("provider=resend", new String[]{"provider=resend", "provider=resend"});
        queries.put("q: a selective recipient prefix", new String[]{"q=user12345", "q=user123"});
        queries.put("q: a prefix every recipient has", new String[]{"q=u", "q=u"});
        for (var q : queries.entrySet()) {
            double bigMs = medianPageMs(onBig, q.getValue()[0]);
            double smallMs = medianPageMs(onSmall, q.getValue()[1]);
            row(new String[]{"18. Emails page (GET /api/emails, 20 a page): " + q.getKey() + ", " + big
                    + " sends vs " + small + " in the organization",
                    String.format(Locale.ROOT, "%.1f ms", bigMs), String.format(Locale.ROOT, "%.1f ms", smallMs),
                    String.format(Locale.ROOT, "%.2f", smallMs / bigMs), "-",
                    "median of 21 calls each, after 5 unmeasured; query " + q.getValue()[0]});
        }
        try (Connection c = db(); var s = c.createStatement()) {
            s.execute("delete from senders_sends where organization_id in ('" + bigOrg + "', '" + smallOrg + "')");
        }
    }

    /** The Emails API's cursor (base64url of "micros.id") of the organization's send half-way back. */
    private String halfWay(String organizationId, int count) throws SQLException {
        try (Connection c = db(); var q = c.prepareStatement("select (extract(epoch from created_at) * 1000000)::bigint,"
                + " id from senders_sends where organization_id = ? order by created_at desc, id desc offset ? limit 1")) {
            q.setString(1, organizationId);
            q.setInt(2, count / 2);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return Base64.getUrlEncoder().withoutPadding().encodeToString(
                        (rs.getLong(1) + "." + rs.getLong(2)).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    private static double medianPageMs(Http api, String query) {
        String path = "api/emails?size=20" + (query.isEmpty() ? "" : "&" + query);
        double[] ms = new double[21];
        for (int i = -5; i < ms.length; i++) {
            long t0 = System.nanoTime();
            api.get(path).expect(200);
            if (i >= 0) {
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private void phaseTwo() throws Exception {
        log("phase 2: two clustered instances, SES rate from GetSendQuota (rate accuracy, sweep)");
        String clusterName = "senders-bench-" + UUID.randomUUID().toString().substring(0, 8);
        // the quota is read again every second (PT5M by default), so that 15.6's runs see each new MaxSendRate
        List<Payara> cluster = Payara.cluster(runtime, work, clusterName, jvmOptions(List.of(
                "-Dsenders.rate.ses.refresh=PT1S")));
        try {
            for (Payara p : cluster) {
                p.awaitReady(Duration.ofSeconds(240));
            }
            for (Payara p : cluster) {
                p.awaitDataGrid(clusterName, 2, Duration.ofSeconds(60));
            }
            if (EVERYTHING) {
                rateAccuracy(cluster);
            }
            if (issue15(6)) {
                productionQuotas(cluster);
            }
            if (issue15(5)) {
                batchDatabaseCost(cluster);
            }
            if (EVERYTHING) {
                verificationSweep(cluster.get(0));
            }
        } finally {
            cluster.forEach(Payara::close);
        }
    }

    // ------------------------------------------------------------------ 1. send-path overhead

    private void sendPathOverhead(Payara node) throws Exception {
        String org = "bench-send";
        Http api = benchSend(node);
        Http bench = Http.anonymous(node.base());
        String from = "news@bench-send.com";

        // in one JVM: warm-up of both paths (JIT, connection pools, the routing cache, the rate buckets' rows)
        inJvm(bench, org, from, 400, 2, "warm-up");
        steadyStatistics();
        JsonObject r = inJvm(bench, org, from, sendCount, 10, "measured");
        double moduleRate = r.getInt("moduleSent") / r.getJsonNumber("moduleSeconds").doubleValue();
        double bareRate = r.getInt("bareSent") / r.getJsonNumber("bareSeconds").doubleValue();
        double extraMs = 1000.0 / moduleRate - 1000.0 / bareRate;
        row(new String[]{"1. send-path overhead, in the JVM (SES provider vs bare SesClient, rate limit 100000/s)",
                String.format(Locale.ROOT, "%.1f/s", moduleRate), String.format(Locale.ROOT, "%.1f/s", bareRate),
                ratio(moduleRate / bareRate), ">= 0.9",
                String.format(Locale.ROOT, "%d sends each, sequential, 10 alternating rounds; the module adds %.2f ms"
                        + " a send to a %.2f ms SDK call", sendCount, extraMs, 1000.0 / bareRate)});
        // where the module's time goes, as the module's own stage timers (senders.send.stage) saw it
        JsonObject stages = r.getJsonObject("stagesMillis");
        double staged = stages.values().stream().mapToDouble(v -> ((jakarta.json.JsonNumber) v).doubleValue()).sum();
        row(new String[]{"1a. the module's send, by stage (mean ms a send, its own timers)",
                String.format(Locale.ROOT, "%.2f ms", staged), String.format(Locale.ROOT, "%.2f ms", 1000.0 / bareRate),
                "-", "-", stages.keySet().stream().map(k -> String.format(Locale.ROOT, "%s %.2f", k,
                        stages.getJsonNumber(k).doubleValue())).collect(Collectors.joining("; "))
                        + String.format(Locale.ROOT, "; the rest (the factory, CDI, the bench loop) %.2f",
                        1000.0 / moduleRate - staged)});

        // the same through the host's campaign worker (what a host's campaign sees), against the bare loop
        int n = Math.max(200, sendCount / 2);
        runCampaign(api, from, 100, "warm-up");
        try (SesClient client = sesClient()) {
            bareLoop(client, from, 100, "warm-up");
            steadyStatistics();
            Measured module = runCampaign(api, from, n, "module");
            Measured bare = bareLoop(client, from, n, "bare");
            row(new String[]{"1b. the same through the reference host's campaign worker",
                    String.format(Locale.ROOT, "%.1f/s", module.stubRate()),
                    String.format(Locale.ROOT, "%.1f/s", bare.stubRate()),
                    ratio(module.stubRate() / bare.stubRate()), "-",
                    String.format(Locale.ROOT, "%d sends each; includes the host's own claim and item update", n)});
        }
        // the same with the stub answering later, as a provider across a network does: the module's added time is
        // the same, so the ratio depends on the provider's latency (the stub holds each answer back for that long)
        for (int latency : new int[]{10, 30}) {
            int each = Math.max(100, sendCount / 8);
            ses.delayNext("SendEmail", 2 * each, Duration.ofMillis(latency));
            JsonObject slow = inJvm(bench, org, from, each, 4, "latency-" + latency);
            double m = slow.getInt("moduleSent") / slow.getJsonNumber("moduleSeconds").doubleValue();
            double b = slow.getInt("bareSent") / slow.getJsonNumber("bareSeconds").doubleValue();
            row(new String[]{"1c. the same, the stub answering " + latency + " ms later",
                    String.format(Locale.ROOT, "%.1f/s", m), String.format(Locale.ROOT, "%.1f/s", b),
                    ratio(m / b), "-", String.format(Locale.ROOT, "%d sends each, 4 alternating rounds; the module"
                            + " adds %.2f ms a send to a %.2f ms SDK call", each, 1000.0 / m - 1000.0 / b, 1000.0 / b)});
        }

        notes.add("1: measured inside Payara Micro by the bench WAR (the reference host WAR plus /bench-api):"
                + " EmailProviderFactory.providerFor(org, from).send(message) per message (resolution, idempotency"
                + " record, suppression check, rate-limit check, SES send, record of the outcome) against"
                + " SesClient.sendEmail with the module's own client (same SDK,"
                + " url-connection HTTP client, timeouts, endpoint), the two loops alternating in rounds. 1b: the"
                + " host's campaign worker (sequential per"
                + " campaign) against a bare loop from the bench JVM, rates at the stub (first to last SendEmail). 1c:"
                + " as 1, with the stub holding each SendEmail answer back for 10 or 30 ms, as a provider across a"
                + " network answers later; the module's added time does not change, its share of a send does.");
    }

    private static JsonObject inJvm(Http bench, String org, String from, int n, int rounds, String label) {
        return inJvm(bench, org, from, n, rounds, label, 1);
    }

    /** Figure 1's in-JVM loops, each leg on {@code threads} threads at once. */
    private static JsonObject inJvm(Http bench, String org, String from, int n, int rounds, String label,
                                    int threads) {
        return bench.post("bench-api/send-path?org=" + org + "&from=" + from + "&n=" + n + "&rounds=" + rounds
                + "&label=" + label + "&threads=" + threads, "application/json", "", Duration.ofMinutes(30))
                .expect(200).json();
    }

    private boolean benchSendVerified;

    /** The API as a user of {@code bench-send}, whose default sender news@bench-send.com is verified once. */
    private Http benchSend(Payara node) throws Exception {
        Http api = Http.as(node.base(), user("bench-send", "user"), PASSWORD);
        if (!benchSendVerified) {
            verifiedDefault(api, "news@bench-send.com");
            benchSendVerified = true;
        }
        return api;
    }

    record Measured(int count, double stubRate, double wallRate) {
    }

    private Measured runCampaign(Http api, String from, int n, String label) throws Exception {
        List<String> recipients = recipients(n, label);
        JsonObject created = createCampaign(api, from, recipients);
        long id = created.getJsonNumber("id").longValue();
        long t0 = System.nanoTime();
        startCampaign(api, id);
        awaitSent(id, Duration.ofMinutes(10));
        long wall = System.nanoTime() - t0;
        List<Long> at = sendTimes(Set.of(String.valueOf(id)));
        if (at.size() != n) {
            throw new IllegalStateException("campaign " + id + ": " + at.size() + " of " + n + " at the stub");
        }
        return new Measured(n, rate(at), n / (wall / 1e9));
    }

    private Measured bareLoop(SesClient client, String from, int n, String label) {
        String campaign = "bare-" + label + "-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> recipients = recipients(n, label);
        long t0 = System.nanoTime();
        for (String to : recipients) {
            client.sendEmail(SendEmailRequest.builder()
                    .source("Newsletter <" + from + ">")
                    .destination(Destination.builder().toAddresses(to).build())
                    .message(Message.builder()
                            .subject(Content.builder().data("Hello from the bench").charset("UTF-8").build())
                            .body(Body.builder().html(Content.builder().data("<p>Hello</p>").charset("UTF-8")
                                    .build()).build())
                            .build())
                    .tags(MessageTag.builder().name("organization").value("bench-send").build(),
                            MessageTag.builder().name("campaign").value(campaign).build())
                    .build());
        }
        long wall = System.nanoTime() - t0;
        List<Long> at = sendTimes(Set.of(campaign));
        return new Measured(n, rate(at), n / (wall / 1e9));
    }

    private SesClient sesClient() {
        return SesClient.builder()
                .region(Region.of("ap-southeast-1"))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        TestCredentials.SES_ACCESS_KEY, TestCredentials.SES_SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .endpointOverride(ses.endpoint())
                .build();
    }

    // ------------------------------------------------------------------ 5. resolution cost

    private void resolutionCost(Payara node) throws Exception {
        String org = "bench-send";
        Http api = Http.as(node.base(), user(org, "user"), PASSWORD);
        int n = 500;
        Thread.sleep(11_000); // PostgreSQL 15 flushes a backend's statistics within ~10 s of it going idle
        Map<String, long[]> before = tableStats();
        long xactBefore = commits();
        runCampaign(api, "news@bench-send.com", n, "resolution");
        Thread.sleep(11_000);
        Map<String, long[]> after = tableStats();
        long xacts = commits() - xactBefore;

        StringBuilder perTable = new StringBuilder();
        double sendersReads = 0;
        for (var e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[4]);
            long reads = (e.getValue()[0] - b[0]) + (e.getValue()[1] - b[1]);
            long writes = (e.getValue()[2] - b[2]) + (e.getValue()[3] - b[3]);
            if (reads == 0 && writes == 0) {
                continue;
            }
            if (e.getKey().equals("senders")) {
                sendersReads = reads / (double) n;
            }
            perTable.append(String.format(Locale.ROOT, " %s %.2f/%.2f;", e.getKey(), reads / (double) n,
                    writes / (double) n));
        }
        row(new String[]{"5. resolution cost (queries on `senders` per send, warm, 500 sends)",
                String.format(Locale.ROOT, "%.3f", sendersReads), "0", "-", "0",
                String.format(Locale.ROOT, "all tables, scans/rows written per send:%s transactions per send %.2f",
                        perTable, xacts / (double) n)});
        notes.add("5: counted by PostgreSQL itself (pg_stat_user_tables seq_scan+idx_scan = statements that read a"
                + " table, n_tup_ins+n_tup_upd = rows written; pg_stat_database.xact_commit) over one 500-item"
                + " campaign on a warm instance, in a database only the bench uses, read after the 10 s statistics"
                + " flush; includes the host's campaign tables and its resume job (1 query per 15 s). Provider"
                + " resolution reads only `senders`, so its column is the resolution cost; the rest is the send"
                + " path (idempotency record, rate-limit buckets, suppressions, the host's items).");
    }

    private Map<String, long[]> tableStats() throws SQLException {
        try (Connection c = db()) {
            return tableStats(c);
        }
    }

    private static Map<String, long[]> tableStats(Connection c) throws SQLException {
        Map<String, long[]> stats = new java.util.TreeMap<>();
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select relname, coalesce(seq_scan,0), coalesce(idx_scan,0), n_tup_ins, n_tup_upd"
                        + " from pg_stat_user_tables where schemaname = 'public'")) {
            while (rs.next()) {
                stats.put(rs.getString(1), new long[]{rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)});
            }
        }
        return stats;
    }

    private long commits() throws SQLException {
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select xact_commit from pg_stat_database where datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // ------------------------------------------------------------------ 2. rate-limit accuracy

    private static final String[] RATE_ORGS = {"bench-rate-1", "bench-rate-2"};
    private static final String[] RATE_FROM = {"news@bench-rate-1.com", "news@bench-rate-2.com"};
    /** [organization][instance]: the API as a user of each rate organization, on each instance. */
    private List<List<Http>> rateApis;
    /** The bench endpoints of each instance of figures 2 and 15.6 (their requests' wire times, {@link #withSlots}). */
    private List<Http> rateInstances = List.of();

    /** The two organizations of figures 2 and 15.6, each with a verified default sender, warmed up on each instance. */
    private List<List<Http>> rateOrganizations(List<Payara> cluster) throws Exception {
        if (rateApis != null) {
            return rateApis;
        }
        List<List<Http>> apis = new ArrayList<>(); // [org][instance]
        rateInstances = cluster.stream().map(p -> Http.anonymous(p.base())).toList();
        for (int o = 0; o < 2; o++) {
            String user = user(RATE_ORGS[o], "user");
            List<Http> perInstance = new ArrayList<>();
            for (Payara p : cluster) {
                perInstance.add(Http.as(p.base(), user, PASSWORD));
            }
            apis.add(perInstance);
            verifiedDefault(perInstance.get(0), RATE_FROM[o]);
        }
        // warm-up: a short campaign of each organization on each instance
        for (int o = 0; o < 2; o++) {
            for (Http api : apis.get(o)) {
                runCampaign(api, RATE_FROM[o], 5, "rate-warm-up");
            }
        }
        rateApis = apis;
        return apis;
    }

    /**
     * A run of figure 2 or 15.6: {@code k} campaigns of {@code each} items, alternating the organizations and the
     * instance they are started on, started at once. {@code achieved}: sends received by the stub while every
     * organization of the run was sending, over that time.
     */
    record RateRun(int k, int each, int organizations, double achieved, long throttled, int sent, List<Long> at,
                   double seconds, String throttles) {
    }

    /**
     * Where each throttled request fell: ms after the run's first request, and how many requests the stub had taken
     * in the second before it, and over how many ms the last MaxSendRate of them came (empty when none was throttled).
     */
    private static String throttles(List<Sent> calls) {
        List<Sent> sorted = calls.stream().sorted(java.util.Comparator.comparingLong(Sent::receivedNanos)).toList();
        if (sorted.isEmpty()) {
            return "";
        }
        long first = sorted.get(0).receivedNanos();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            Sent c = sorted.get(i);
            if (c.errorCode() == null) {
                continue;
            }
            long t = c.receivedNanos();
            List<Long> before = sorted.subList(0, i).stream().filter(x -> x.errorCode() == null)
                    .map(Sent::receivedNanos).filter(x -> t - x < 1_000_000_000L).toList();
            // a stall of the stub (or of the machine) shows as a gap with no receipt, then a burst of them
            long gap = 0;
            int gapEnd = 0;
            for (int j = 1; j < before.size(); j++) {
                if (before.get(j) - before.get(j - 1) > gap) {
                    gap = before.get(j) - before.get(j - 1);
                    gapEnd = j;
                }
            }
            long burstFrom = before.isEmpty() ? 0 : before.get(gapEnd);
            long burst = before.stream().filter(x -> x - burstFrom >= 0 && x - burstFrom < 10_000_000L).count();
            // the senders' own slots of the requests of that second (by their tags, from the bench WAR's SDK
            // interceptor): how far apart they were due, against how far apart they arrived
            List<Sent> window = sorted.subList(0, i + 1).stream()
                    .filter(x -> x.errorCode() == null || x == c).filter(x -> t - x.receivedNanos() < 1_000_000_000L)
                    .filter(x -> x.slotNanos() != 0).toList();
            // and how far apart they left the module (its on-the-wire check, the bench WAR's SDK interceptor): a second
            // compressed after they left is compressed between the module's client and the stub's handler
            List<Long> left = window.stream().map(Sent::wireNanos).filter(x -> x != 0).toList();
            String slots = window.size() < 2 ? "" : String.format(Locale.ROOT, "; the %d of them with a slot were due"
                    + " over %d ms, %sarrived over %d ms, up to %d ms after their slots (median %d)", window.size(),
                    (window.stream().mapToLong(Sent::slotNanos).max().orElse(0)
                            - window.stream().mapToLong(Sent::slotNanos).min().orElse(0)) / 1_000_000,
                    left.size() < 2 ? "" : String.format(Locale.ROOT, "%d of them left the module over %d ms and ",
                            left.size(), (left.stream().mapToLong(Long::longValue).max().orElse(0)
                                    - left.stream().mapToLong(Long::longValue).min().orElse(0)) / 1_000_000),
                    (t - window.get(0).receivedNanos()) / 1_000_000,
                    window.stream().mapToLong(x -> x.receivedNanos() - x.slotNanos()).max().orElse(0) / 1_000_000,
                    median(window.stream().map(x -> x.receivedNanos() - x.slotNanos()).toList()) / 1_000_000);
            out.add(String.format(Locale.ROOT, "at +%d ms (%s), after %d in the second before it (the first of them %d"
                    + " ms before it; its longest gap between two %d ms, then %d within 10 ms%s)",
                    (t - first) / 1_000_000, c.receivedAt(), before.size(),
                    before.isEmpty() ? 0 : (t - before.get(0)) / 1_000_000, gap / 1_000_000, burst, slots));
        }
        if (out.size() > 3) {
            // the first three in full; the rest by when they came
            long last = (sorted.stream().filter(x -> x.errorCode() != null).mapToLong(Sent::receivedNanos).max()
                    .orElse(first) - first) / 1_000_000;
            return "; throttled " + String.join(", ", out.subList(0, 3)) + String.format(Locale.ROOT,
                    ", and %d more, the last at +%d ms", out.size() - 3, last);
        }
        return out.isEmpty() ? "" : "; throttled " + String.join(", ", out);
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /**
     * How long after their senders' slots the requests reached the stub (each request's slot, by its tag, against its
     * receipt, the same monotonic clock): the median, the 99th percentile and the most, in ms; empty when none named a slot.
     */
    static String slotDelays(List<Sent> calls) {
        List<Long> delays = calls.stream().filter(c -> c.slotNanos() != 0)
                .map(c -> c.receivedNanos() - c.slotNanos()).sorted().toList();
        if (delays.isEmpty()) {
            return "";
        }
        return String.format(Locale.ROOT, "; reached the stub after their slots: median %.1f ms, p99 %.1f ms, at most"
                        + " %.1f ms (%d requests)", delays.get(delays.size() / 2) / 1e6,
                delays.get(Math.min(delays.size() - 1, (int) Math.ceil(delays.size() * 0.99) - 1)) / 1e6,
                delays.get(delays.size() - 1) / 1e6, delays.size());
    }

    /**
     * The stub's SES requests with their senders' slots and wire times ({@link System#nanoTime()}), matched by tag: the
     * bench WAR's SDK interceptor keeps them on every instance of the run (reading them forgets them), and the stub
     * records each request's tag. A request without a match has slot and wire time 0.
     */
    private List<Sent> withSlots(List<SesStub.Call> calls) throws Exception {
        Map<Long, long[]> byTag = new HashMap<>();
        for (Http instance : rateInstances) {
            for (jakarta.json.JsonValue request : instance.post("bench-api/wire-times", "application/json", "",
                    Duration.ofMinutes(1)).expect(200).json().getJsonArray("requests")) {
                jakarta.json.JsonArray r = request.asJsonArray();
                byTag.put(r.getJsonNumber(0).longValue(), new long[]{r.getJsonNumber(1).longValue(),
                        r.getJsonNumber(2).longValue()});
            }
        }
        return calls.stream().map(c -> {
            long[] due = c.tag() == 0 ? null : byTag.get(c.tag());
            return new Sent(c, due == null ? 0 : due[0], due == null ? 0 : due[1]);
        }).toList();
    }

    /**
     * A request as the stub saw it, with its sender's slot and the time the module's on-the-wire check let it go
     * ({@link System#nanoTime()}; 0 when not known).
     */
    record Sent(SesStub.Call call, long slotNanos, long wireNanos) {
        long receivedNanos() {
            return call.receivedNanos();
        }

        Instant receivedAt() {
            return call.receivedAt();
        }

        String errorCode() {
            return call.errorCode();
        }
    }

    /**
     * Where a request's delay after its slot arose: from the slot to the module's on-the-wire check (the module's
     * lateness, at most senders.rate.max-lateness or the slot is given up), and from that check to the stub's handler
     * (the client's sending, the loopback, the stub's own threads); median, 99th percentile and most, in ms.
     */
    static String wireDelays(List<Sent> calls) {
        List<long[]> matched = calls.stream().filter(c -> c.slotNanos() != 0 && c.wireNanos() != 0)
                .map(c -> new long[]{c.wireNanos() - c.slotNanos(), c.receivedNanos() - c.wireNanos()}).toList();
        if (matched.isEmpty()) {
            return "";
        }
        List<Long> late = matched.stream().map(m -> m[0]).sorted().toList();
        List<Long> way = matched.stream().map(m -> m[1]).sorted().toList();
        return String.format(Locale.ROOT, "; of that, slot to the module's on-the-wire check: median %.1f, p99 %.1f,"
                        + " at most %.1f ms; that check to the stub's handler: median %.1f, p99 %.1f, at most %.1f ms"
                        + " (%d requests matched)", pct(late, 0.5), pct(late, 0.99), late.get(late.size() - 1) / 1e6,
                pct(way, 0.5), pct(way, 0.99), way.get(way.size() - 1) / 1e6, matched.size());
    }

    /**
     * With {@code -Dbench.capture=true} ({@link LoopbackCapture}): the most requests in any sliding second as their
     * packets reached the loopback, where a real SES would count them, against the stub's count when its handler took
     * them; and how long the stub took from the packet to its handler.
     */
    static String loopback(List<Sent> calls, Map<Long, Long> onLoopback) {
        List<Sent> seen = calls.stream().filter(c -> c.call().tag() != 0 && onLoopback.containsKey(c.call().tag()))
                .toList();
        if (seen.isEmpty()) {
            return "";
        }
        List<Long> atKernel = seen.stream().map(c -> onLoopback.get(c.call().tag())).sorted().toList();
        List<Long> atHandler = seen.stream().map(Sent::receivedNanos).sorted().toList();
        List<Long> handlerDelay = seen.stream().map(c -> c.receivedAt().getEpochSecond() * 1_000_000_000L
                + c.receivedAt().getNano() - onLoopback.get(c.call().tag())).sorted().toList();
        return String.format(Locale.ROOT, "; on the loopback (tcpdump, %d requests, the throttled ones included): at"
                        + " most %d in any 1 s as their packets arrived, %d as the stub's handler took them; packet to"
                        + " handler: median %.1f, p99 %.1f, at most %.1f ms", seen.size(), maxInAnySecond(atKernel),
                maxInAnySecond(atHandler), pct(handlerDelay, 0.5), pct(handlerDelay, 0.99),
                handlerDelay.get(handlerDelay.size() - 1) / 1e6);
    }

    private static double pct(List<Long> sorted, double q) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * q) - 1)) / 1e6;
    }

    /**
     * The run's SES requests as the stub saw them, for a look beside the JVMs' GC logs or a packet capture:
     * bench-run/ses-requests-*.csv, one line a request (receipt, its slot, both as wall-clock time, the ms between them,
     * the answer; then the receipt, the slot and the module's on-the-wire check on {@link System#nanoTime()}).
     */
    private void writeRequests(List<Sent> calls) throws java.io.IOException {
        if (calls.isEmpty()) {
            return;
        }
        StringBuilder csv = new StringBuilder("received_at,slot_at,after_slot_ms,status,error,received_nanos,slot_nanos,"
                + "wire_nanos\n");
        calls.stream().sorted(java.util.Comparator.comparingLong(Sent::receivedNanos)).forEach(c -> {
            Instant slot = c.slotNanos() == 0 ? null : c.receivedAt().minusNanos(c.receivedNanos() - c.slotNanos());
            Long left = c.wireNanos() == 0 ? null : c.wireNanos();
            csv.append(c.receivedAt()).append(',').append(slot == null ? "" : slot.toString()).append(',')
                    .append(slot == null ? "" : String.format(Locale.ROOT, "%.3f",
                            (c.receivedNanos() - c.slotNanos()) / 1e6))
                    .append(',').append(c.call().status()).append(',').append(c.errorCode() == null ? "" : c.errorCode())
                    .append(',').append(c.receivedNanos()).append(',').append(c.slotNanos()).append(',')
                    .append(left == null ? "" : left.toString()).append('\n');
        });
        Files.createDirectories(work);
        Files.writeString(work.resolve("ses-requests-" + calls.size() + "-" + System.currentTimeMillis() + ".csv"),
                csv);
    }

    private RateRun runCampaigns(List<List<Http>> apis, int k, int each, Duration within) throws Exception {
        List<Long> ids = new ArrayList<>();
        List<Http> starters = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            int o = i % 2;
            Http api = apis.get(o).get((i / 2) % 2);
            ids.add(createCampaign(api, RATE_FROM[o], recipients(each, "rate" + k))
                    .getJsonNumber("id").longValue());
            starters.add(api);
        }
        withSlots(List.of()); // forgets the earlier runs' slots
        LoopbackCapture capture = CAPTURE ? LoopbackCapture.start(ses.port(),
                work.resolve("loopback-" + System.currentTimeMillis() + ".pcap")) : null;
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(k);
        try {
            List<Future<?>> starts = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                Http api = starters.get(i);
                long id = ids.get(i);
                starts.add(pool.submit(() -> startCampaign(api, id)));
            }
            for (Future<?> f : starts) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        Map<Long, Long> onLoopback;
        try {
            for (long id : ids) {
                awaitSent(id, within);
            }
        } finally {
            onLoopback = capture == null ? Map.of() : capture.stop();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Set<String> campaignIds = ids.stream().map(String::valueOf).collect(Collectors.toSet());
        List<SesStub.Call> calls = sendCalls(campaignIds);
        long throttled = calls.stream().filter(c -> c.errorCode() != null).count();
        List<SesStub.Call> ok = calls.stream().filter(c -> c.errorCode() == null).toList();
        List<Long> at = ok.stream().map(SesStub.Call::receivedNanos).sorted().toList();
        // the window in which every organization of the run was sending
        Map<String, List<Long>> byOrg = ok.stream().collect(Collectors.groupingBy(
                c -> c.param("Source") == null ? "?" : c.param("Source"),
                Collectors.mapping(SesStub.Call::receivedNanos, Collectors.toList())));
        long from0 = byOrg.values().stream().mapToLong(l -> l.stream().min(Long::compare).orElseThrow())
                .max().orElseThrow();
        long to0 = byOrg.values().stream().mapToLong(l -> l.stream().max(Long::compare).orElseThrow())
                .min().orElseThrow();
        long inWindow = at.stream().filter(t -> t > from0 && t <= to0).count();
        List<Sent> sent = withSlots(calls);
        writeRequests(sent);
        return new RateRun(k, each, byOrg.size(), inWindow / ((to0 - from0) / 1e9), throttled, ok.size(), at,
                seconds, slotDelays(sent) + wireDelays(sent) + loopback(sent, onLoopback) + throttles(sent));
    }

    private void rateAccuracy(List<Payara> cluster) throws Exception {
        List<List<Http>> apis = rateOrganizations(cluster);
        ses.enforceMaxSendRate(true); // a send beyond MaxSendRate in any sliding second answers Throttling
        try {
            for (int k : new int[]{1, 4, 16}) {
                awaitNoOrganizationSending();
                int total = k == 1 ? 160 : 208;
                int each = (int) Math.ceil(total / (double) k);
                RateRun r = runCampaigns(apis, k, each, Duration.ofMinutes(5));
                row(new String[]{"2. rate accuracy, " + k + " campaign" + (k == 1 ? "" : "s") + " ("
                        + r.organizations() + " org" + (r.organizations() == 1 ? "" : "s") + "), 2 instances",
                        String.format(Locale.ROOT, "%.2f/s", r.achieved()),
                        String.format(Locale.ROOT, "MaxSendRate %.0f/s", SES_MAX_SEND_RATE),
                        ratio(r.achieved() / SES_MAX_SEND_RATE), "0.95-1.00",
                        String.format(Locale.ROOT, "vs the enforced %.2f/s: %.3f; max %d in any 1 s (the tightest"
                                        + " %d in a row spanned %d ms); %d throttled; %d sends, %d items each",
                                SES_ENFORCED_RATE, r.achieved() / SES_ENFORCED_RATE, maxInAnySecond(r.at()),
                                (int) SES_MAX_SEND_RATE + 1, tightestSpanMillis(r.at(), (int) SES_MAX_SEND_RATE + 1),
                                r.throttled(), r.sent(), each)});
            }
        } finally {
            ses.enforceMaxSendRate(false);
        }
        notes.add("2: configured = SES MaxSendRate 14, from the stub's GetSendQuota, which the stub enforces (a send"
                + " beyond 14 in any sliding second answers Throttling); the module paces at 14 x headroom 0.97 ="
                + " 13.58/s. Achieved = sends received by the stub while every organization of the run was sending /"
                + " that time. One campaign is one organization, alone on the account, so it may use the whole rate."
                + " Campaigns alternate organizations and the instance they are started on; the other instance"
                + " joins each campaign at its 15 s resume tick.");
    }

    /**
     * Until no organization counts as sending (the module's activity window, 5 s after an organization's last send):
     * otherwise the organization of a one-campaign run would start held to its share by the one of the run before.
     */
    private void awaitNoOrganizationSending() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select count(*) from senders_rate_activity where seen_at > now() - interval '6 seconds'")) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("organizations still count as sending after 30 s");
    }

    // ------------------------------------------------------------------ 3. verification sweep

    private void verificationSweep(Payara node) throws Exception {
        Http admin = Http.as(node.base(), user("platform", "user,senders-admin"), PASSWORD);
        String org = "bench-sweep";
        try (Connection c = db(); var insert = c.prepareStatement(
                "insert into senders (organization_id, email_address, domain) values (?, ?, ?)")) {
            for (int i = 0; i < sweepDomains; i++) {
                String d = "sweep" + i + ".bench-domains.com";
                insert.setString(1, org);
                insert.setString(2, "news@" + d);
                insert.setString(3, d);
                insert.addBatch();
                ses.setVerificationStatus(d, "Pending");
                ses.setDkimStatus(d, "Pending");
            }
            insert.executeBatch();
        }
        int before = ses.callCount("GetIdentityVerificationAttributes") + ses.callCount("GetIdentityDkimAttributes");
        log("sweep of " + sweepDomains + " pending domains (paced at 1 SES call per second)...");
        long t0 = System.nanoTime();
        JsonObject summary = admin.post("api/admin/verification-runs", "application/json", "",
                Duration.ofMinutes(30)).expect(200).json();
        double wall = (System.nanoTime() - t0) / 1e9;
        int calls = ses.callCount("GetIdentityVerificationAttributes") + ses.callCount("GetIdentityDkimAttributes")
                - before;

        // the epic's design, counted the same way: per batch of 10, one verification and one DKIM call, then 2 s
        int batches = (int) Math.ceil(sweepDomains / 10.0);
        int epicCalls = batches * 2;
        double callSeconds = meanStatusCallSeconds();
        double epicWall = batches * 2.0 + epicCalls * callSeconds;
        row(new String[]{"3. verification sweep, " + sweepDomains + " pending domains: SES calls",
                String.valueOf(calls), String.valueOf(epicCalls), ratio(calls / (double) epicCalls), "-",
                "module: " + summary.getInt("sesCalls") + " by its own count, checked " + summary.getInt("checked")});
        row(new String[]{"3. verification sweep, " + sweepDomains + " pending domains: wall time",
                String.format(Locale.ROOT, "%.1f s", wall), String.format(Locale.ROOT, "%.1f s", epicWall),
                ratio(wall / epicWall), "-",
                String.format(Locale.ROOT, "epic = %d batches x 2 s sleep + %d calls x %.1f ms (measured stub call)",
                        batches, epicCalls, callSeconds * 1000)});
        notes.add("3: the module checks 100 identities per call, 2 calls per batch, paced at 1 call per second (SES's"
                + " limit for these APIs); the epic's Inngest function (EPIC.md, step 2.4) checks 10 per batch with"
                + " 2 calls and then sleeps 2 s, so its figure is computed, not run; its database updates are not"
                + " counted (a lower bound). The module's wall time includes its database updates of every sender.");
    }

    private double meanStatusCallSeconds() {
        try (SesClient client = sesClient()) {
            List<String> ten = IntStream.range(0, 10).mapToObj(i -> "sweep" + i + ".bench-domains.com").toList();
            for (int i = 0; i < 5; i++) {
                client.getIdentityVerificationAttributes(b -> b.identities(ten));
            }
            int n = 40;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                if (i % 2 == 0) {
                    client.getIdentityVerificationAttributes(b -> b.identities(ten));
                } else {
                    client.getIdentityDkimAttributes(b -> b.identities(ten));
                }
            }
            return (System.nanoTime() - t0) / 1e9 / n;
        }
    }

    // ------------------------------------------------------------------ 4. webhook ingestion

    private void webhookIngestion(Payara node) throws Exception {
        int n = Integer.getInteger("bench.webhook.count", 3000);
        int threads = 8;
        Http anonymous = Http.anonymous(node.base());
        List<String> sends = sesSends(n + WEBHOOK_WARM);
        if (sends.size() < n + WEBHOOK_WARM) {
            // fewer SES sends than notifications (small counts of the other figures): send the rest first
            benchSend(node);
            inJvm(anonymous, "bench-send", "news@bench-send.com", n + WEBHOOK_WARM - sends.size(), 1, "seed");
            sends = sesSends(n + WEBHOOK_WARM);
        }
        if (sends.size() < n + WEBHOOK_WARM) {
            throw new IllegalStateException("only " + sends.size() + " SES sends to report deliveries of");
        }
        List<String> warm = notifications(sends.subList(0, WEBHOOK_WARM), "warm");
        List<String> measured = notifications(sends.subList(WEBHOOK_WARM, WEBHOOK_WARM + n), "measured");

        // the legs of each round: the webhook, the two bare POSTs (the issue's JAX-RS one, and a plain servlet, as the
        // webhook now is) and the floor; the same order in the first round, the reverse in the second
        WebhookLeg webhook = new WebhookLeg("api/webhooks/ses-events");
        WebhookLeg bare = new WebhookLeg("bench-api/echo");
        WebhookLeg bareServlet = new WebhookLeg("bench-servlet/echo");
        WebhookLeg floor = new WebhookLeg(FLOOR_PATH);
        List<WebhookLeg> legs = List.of(webhook, bare, bareServlet, floor);
        for (WebhookLeg leg : legs) {
            post(anonymous, leg.path, warm, threads);   // warms the certificate cache and the JIT
        }
        // the notifications' tables (the SNS message ids, the events, the host's analytics) began empty in this run
        steadyStatistics();
        int fetchesBefore = snsHost.requests().size();
        Map<String, double[]> stagesBefore = webhookStages(node);
        for (int round = 0; round < 2; round++) {   // the webhook first, then last
            List<String> half = measured.subList(round * n / 2, (round + 1) * n / 2);
            List<WebhookLeg> order = new ArrayList<>(legs);
            if (round == 1) {
                Collections.reverse(order);
            }
            for (WebhookLeg leg : order) {
                leg.seconds += leg.cpu.during(node, () -> post(anonymous, leg.path, half, threads));
            }
        }
        double webhookSeconds = webhook.seconds;
        double bareSeconds = bare.seconds;
        double floorSeconds = floor.seconds;
        Cpu webhookCpu = webhook.cpu;
        Cpu bareCpu = bare.cpu;
        Cpu floorCpu = floor.cpu;
        Map<String, double[]> stagesAfter = webhookStages(node);
        long stored;
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) from senders_sns_messages where message_id like 'bench-measured-%'")) {
            rs.next();
            stored = rs.getLong(1);
        }
        long floorStored;
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) from bench_floor_events where sns_message_id like 'bench-measured-%'")) {
            rs.next();
            floorStored = rs.getLong(1);
        }
        double webhookRate = n / webhookSeconds;
        double floorRate = n / floorSeconds;
        double bareRate = n / bareSeconds;
        int fetches = snsHost.requests().size() - fetchesBefore;
        row(new String[]{"4. webhook ingestion (signed SNS Delivery notifications, " + threads + " clients)",
                String.format(Locale.ROOT, "%.0f/s", webhookRate), String.format(Locale.ROOT, "%.0f/s", bareRate),
                ratio(webhookRate / bareRate), "-",
                String.format(Locale.ROOT, "%d notifications, %d stored (%s); certificate fetched %d times while"
                        + " measured; bare = a JAX-RS POST reading the same bodies on the same instance", n, stored,
                        stored == n ? "no loss" : "LOST " + (n - stored), fetches)});
        // where a notification's time goes: the module's own stage timers (senders_webhook_stage_seconds, read from
        // /metrics around the measured webhook legs), and the CPU each leg cost the instance and its database
        String stages = stagesAfter.entrySet().stream().map(e -> {
            double[] before = stagesBefore.getOrDefault(e.getKey(), new double[2]);
            double count = e.getValue()[0] - before[0];
            return String.format(Locale.ROOT, "%s %.2f", e.getKey(),
                    count == 0 ? 0.0 : (e.getValue()[1] - before[1]) * 1000 / count);
        }).collect(Collectors.joining("; "));
        row(new String[]{"4a. a notification, by stage (mean ms, its own timers) and CPU (ms a request)",
                String.format(Locale.ROOT, "%.2f ms", 1000.0 * threads / webhookRate),
                String.format(Locale.ROOT, "%.2f ms", 1000.0 * threads / bareRate), "-", "-",
                (stages.isEmpty() ? "no stage timers" : stages) + String.format(Locale.ROOT, "; CPU a request:"
                        + " webhook %.2f ms in Payara (%.2f of it the JIT compilers) + %.2f ms in PostgreSQL, bare"
                        + " %.2f (%.2f) + %.2f ms (the module and baseline columns: wall time a request with %d in"
                        + " flight)",
                webhookCpu.payaraMillis() / n, webhookCpu.compilerMillis() / n, webhookCpu.postgresMillis() / n,
                bareCpu.payaraMillis() / n, bareCpu.compilerMillis() / n, bareCpu.postgresMillis() / n, threads)});
        row(new String[]{"4f. the floor under 4: the module's parse and signature check, then the event stored with its"
                + " SNS MessageId claimed in one autocommitted statement, nothing else (WebhookFloorStore, /" + FLOOR_PATH + ")",
                String.format(Locale.ROOT, "%.0f/s", floorRate), String.format(Locale.ROOT, "%.0f/s", bareRate),
                ratio(floorRate / bareRate), "-",
                String.format(Locale.ROOT, "%d notifications, %d stored; in the same rounds; CPU a request: %.2f ms"
                        + " in Payara (%.2f of it the JIT compilers) + %.2f ms in PostgreSQL; webhook / floor: %s",
                        n, floorStored, floorCpu.payaraMillis() / n, floorCpu.compilerMillis() / n,
                        floorCpu.postgresMillis() / n, ratio(webhookRate / floorRate))});
        double servletRate = n / bareServlet.seconds;
        row(new String[]{"4s. 4 and 4f against a bare POST that is a plain servlet, as the webhook is (/"
                + bareServlet.path + "), the least any POST of these bodies costs here",
                String.format(Locale.ROOT, "%.0f/s", webhookRate), String.format(Locale.ROOT, "%.0f/s", servletRate),
                ratio(webhookRate / servletRate), "-",
                String.format(Locale.ROOT, "in the same rounds; floor / this bare POST: %s; CPU a request: %.2f ms in"
                        + " Payara (%.2f of it the JIT compilers); the JAX-RS bare POST of 4 is %s of this one",
                        ratio(floorRate / servletRate), bareServlet.cpu.payaraMillis() / n,
                        bareServlet.cpu.compilerMillis() / n, ratio(bareRate / servletRate))});
        notes.add("4: each notification is a distinct SNS message (SignatureVersion 2, signed by a throw-away PKI"
                + " whose CA the instance trusts; certificate served over TLS on 127.0.0.1) carrying an SES"
                + " Delivery event for a message the module really sent, so each is verified, stored once, linked to"
                + " its send, and fired to the host as a CDI event. Every leg (the webhook, the two bare POSTs, the floor)"
                + " posts the same kind of bodies with " + threads + " concurrent HTTP/1.1 clients, in one order in the"
                + " first round and the reverse in the second.");
    }

    /** Up to {@code limit} SES sends of the module ("messageId recipient"), for notifications to report on. */
    private List<String> sesSends(int limit) throws SQLException {
        List<String> sends = new ArrayList<>();
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select message_id, recipient from senders_sends where provider = 'ses' and status = 'sent'"
                        + " and message_id is not null limit " + limit)) {
            while (rs.next()) {
                sends.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        return sends;
    }

    private List<String> notifications(List<String> sends, String label) {
        List<String> bodies = new ArrayList<>();
        int i = 0;
        for (String send : sends) {
            String[] parts = send.split(" ", 2);
            String event = Json.createObjectBuilder()
                    .add("eventType", "Delivery")
                    .add("delivery", Json.createObjectBuilder().add("timestamp", Instant.now().toString())
                            .add("recipients", Json.createArrayBuilder().add(parts[1]))
                            .add("smtpResponse", "250 2.6.0 Message received"))
                    .add("mail", Json.createObjectBuilder().add("timestamp", Instant.now().toString())
                            .add("source", "news@bench-send.com").add("messageId", parts[0])
                            .add("destination", Json.createArrayBuilder().add(parts[1])))
                    .build().toString();
            SnsMessage m = SnsMessage.notification(SNS_TOPIC, snsHost.url(SNS_CERT_PATH), event);
            m.messageId = "bench-" + label + "-" + (i++) + "-" + UUID.randomUUID();
            bodies.add(m.body(snsPki));
        }
        return bodies;
    }

    /** Posts every body with {@code threads} clients; the seconds it took. Every answer must be 200. */
    private static double post(Http http, String path, List<String> bodies, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long t0 = System.nanoTime();
            List<Future<Http.Reply>> replies = new ArrayList<>();
            for (String body : bodies) {
                replies.add(pool.submit(() -> http.post(path, "text/plain; charset=UTF-8", body,
                        Duration.ofSeconds(60), "x-amz-sns-message-type", "Notification")));
            }
            for (Future<Http.Reply> reply : replies) {
                reply.get(5, TimeUnit.MINUTES).expect(200);
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Figure 4 alone: SES sends through the module, for its notifications to report on (figure 1 makes them else). */
    private void sendsToReport(Payara node) throws Exception {
        String org = "bench-send";
        String from = "news@bench-send.com";
        benchSend(node);
        inJvm(Http.anonymous(node.base()), org, from, Integer.getInteger("bench.webhook.count", 3000) + WEBHOOK_WARM, 1,
                "seed");
    }

    /** The webhook's stage timers from the server's /metrics: stage -> {count, seconds}. */
    private static Map<String, double[]> webhookStages(Payara node) {
        Map<String, double[]> stages = new java.util.TreeMap<>();
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "senders_webhook_stage_seconds_(count|sum)\\{[^}]*stage=\"([^\"]+)\"[^}]*}\\s+(\\S+)");
        for (String l : Http.anonymous(node.base()).getText("metrics").expect(200).body().split("\n")) {
            java.util.regex.Matcher m = line.matcher(l);
            if (m.lookingAt()) {
                stages.computeIfAbsent(m.group(2), k -> new double[2])[m.group(1).equals("count") ? 0 : 1] =
                        Double.parseDouble(m.group(3));
            }
        }
        return stages;
    }

    /** One leg of figure 4's rounds: where it posts, its time and its CPU. */
    private final class WebhookLeg {
        final String path;
        final Cpu cpu = new Cpu();
        double seconds;

        WebhookLeg(String path) {
            this.path = path;
        }
    }

    /** CPU time of the Payara process and of the database's backends (from /proc), summed over measured legs. */
    private final class Cpu {
        private long payaraTicks;
        private long postgresTicks;
        private long compilerTicks;

        double during(Payara node, java.util.concurrent.Callable<Double> leg) throws Exception {
            long compilers = compilerTicks(node.pid());
            long payara = ticks(node.pid());
            long payaraSystem = systemTicks(node.pid());
            long postgres = postgresTicks();
            Instant start = Instant.now();
            double seconds = leg.call();
            long payaraLeg = ticks(node.pid()) - payara;
            long postgresLeg = postgresTicks() - postgres;
            payaraTicks += payaraLeg;
            postgresTicks += postgresLeg;
            compilerTicks += compilerTicks(node.pid()) - compilers;
            log(String.format(Locale.ROOT, "  leg from %s: %.2f s, CPU %d ms in Payara (%d ms of it in the kernel), %d"
                    + " ms in PostgreSQL", start, seconds, payaraLeg * 10, (systemTicks(node.pid()) - payaraSystem) * 10,
                    postgresLeg * 10));
            return seconds;
        }

        double payaraMillis() {
            return payaraTicks * 10.0;
        }

        /** The part of {@link #payaraMillis()} that the JIT compilers took. */
        double compilerMillis() {
            return compilerTicks * 10.0;
        }

        double postgresMillis() {
            return postgresTicks * 10.0;
        }

        /** The backends of the bench's database (its pools' connections live through the run). */
        private long postgresTicks() throws SQLException {
            return postgresBackendTicks();
        }
    }

    /** stime of a process (its time in the kernel), in clock ticks; 0 when it is not readable. */
    private static long systemTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a process, in clock ticks (100 a second); 0 when it is not readable. */
    private static long ticks(long pid) {
        try {
            return cpuTicks(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime from a {@code /proc} stat file, of a process or of one of its threads, in clock ticks. */
    private static long cpuTicks(Path stat) throws java.io.IOException {
        String text = Files.readString(stat);
        String[] f = text.substring(text.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * CPU of a process's JIT compiler threads (C1 and C2), in clock ticks: still compiling Payara's code minutes after
     * start on 2 cores, they take a share of each leg that a long-running server would not pay (0 when not readable).
     */
    private static long compilerTicks(long pid) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    // "C1 CompilerThre", "C2 CompilerThre": the thread names, cut to 15 characters by the kernel
                    if (!Files.readString(task.resolve("comm")).matches("C\\d CompilerThre\\s*")) {
                        continue;
                    }
                    sum += cpuTicks(task.resolve("stat"));
                } catch (java.io.IOException | RuntimeException e) {
                    // a thread that ended meanwhile
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return sum;
    }

    // ------------------------------------------------------------------ issue 15: bulk sending

    /** The stub's daily quota in this bench: high enough for every figure's sends (SES's 50,000 would run out). */
    private static final double DAILY_QUOTA = 1e9;

    /** Issue 15's figures of the one-instance phase (SES rate 100000/s, Resend at its default 2 requests/s). */
    private void issue15PhaseOne(Payara node) throws Exception {
        if (issue15(1)) {
            resendFallback(node);
        }
        if (issue15(2)) {
            sesBulkOverhead(node);
        }
        if (issue15(3)) {
            concurrentLatency(node);
        }
        if (issue15(5)) {
            batchDatabaseCost(node);
        }
    }

    // 15.1 Resend fallback (and its pacing)

    private void resendFallback(Payara node) throws Exception {
        // an organization without any sender, let alone a verified domain: the module sends through Resend from the
        // platform's address (the campaign's address becomes its Reply-To)
        Http api = Http.as(node.base(), user("bench-resend", "user"), PASSWORD);
        String from = "news@bench-resend-unverified.com";
        resend.rateLimit(ResendStub.DEFAULT_RATE_LIMIT).enforceRateLimit(true);
        try {
            Instant warmFrom = Instant.now();
            runResendCampaign(api, from, 200, "resend-warm-up");
            List<ResendStub.Request> warm = resendRequestsSince(warmFrom);
            Thread.sleep(1_500);

            Instant measuredFrom = Instant.now();
            long t0 = System.nanoTime();
            long id = runResendCampaign(api, from, resendCount, "resend");
            double wall = (System.nanoTime() - t0) / 1e9;
            List<ResendStub.Request> requests = resendRequestsSince(measuredFrom);
            List<ResendStub.Request> accepted = requests.stream().filter(r -> r.status() == 200 && r.accepted() > 0)
                    .sorted(java.util.Comparator.comparing(ResendStub.Request::receivedAt)).toList();
            int emails = accepted.stream().mapToInt(ResendStub.Request::accepted).sum();
            long throttled = requests.stream().filter(r -> r.status() == 429).count();
            // emails a second at the stub, from the first request to the last (the first request's emails start it)
            double rate = accepted.size() < 2 ? Double.NaN : (double) (emails - accepted.get(0).accepted())
                    / (nanos(accepted.get(accepted.size() - 1).receivedAt()) - nanos(accepted.get(0).receivedAt()))
                    * 1e9;
            double ceiling = ResendStub.DEFAULT_RATE_LIMIT * RESEND_HEADROOM * ResendStub.MAX_BATCH;
            double limit = ResendStub.DEFAULT_RATE_LIMIT * ResendStub.MAX_BATCH;
            String items = itemSummary(id);
            row(new String[]{"15.1 Resend fallback, " + resendCount + "-recipient campaign of an organization"
                    + " without a verified domain, through the host (stub: 2 requests/s)",
                    String.format(Locale.ROOT, "%.1f emails/s", rate),
                    String.format(Locale.ROOT, "%.0f/s (2 requests/s x 100)", limit), ratio(rate / limit), ">= 0.9",
                    String.format(Locale.ROOT, "%d requests accepted, %d emails (%s); first to last request at the"
                                    + " stub; start to 'sent' %.1f emails/s (%.1f s); the module paces Resend at 2 x"
                                    + " headroom %.2f = %.2f requests/s, so %.0f/s (%.3f) is its ceiling",
                            accepted.size(), emails, items, resendCount / wall, wall, RESEND_HEADROOM,
                            ResendStub.DEFAULT_RATE_LIMIT * RESEND_HEADROOM, ceiling, ceiling / limit)});
            List<Long> at = requests.stream().map(r -> nanos(r.receivedAt())).sorted().toList();
            row(new String[]{"15.1b Resend pacing (answers of 429 from a stub enforcing 2 requests in every sliding"
                    + " second)", String.valueOf(throttled), "0", "-", "0",
                    String.format(Locale.ROOT, "%d requests during the %d-recipient campaign, at most %d in any 1 s;"
                                    + " the 200-recipient warm-up before it: %d requests, %d answers of 429; ms between"
                                    + " consecutive requests at the stub: min %d, %s",
                            requests.size(), resendCount, at.isEmpty() ? 0 : maxInAnySecond(at), warm.size(),
                            warm.stream().filter(r -> r.status() == 429).count(),
                            java.util.stream.IntStream.range(1, at.size())
                                    .mapToLong(i -> (at.get(i) - at.get(i - 1)) / 1_000_000).min().orElse(0),
                            java.util.stream.IntStream.range(1, at.size())
                                    .mapToObj(i -> String.valueOf((at.get(i) - at.get(i - 1)) / 1_000_000)).toList())});
        } finally {
            resend.enforceRateLimit(false);
        }
        notes.add("15.1: an organization with no sender at all starts a campaign through the host's API; the module"
                + " routes it to Resend from the platform's address, and the host's worker sends chunks of 100 with"
                + " sendBatch, one POST /emails/batch each. The Resend stub enforces its limit (2 requests in any"
                + " sliding second, 429 beyond). Emails a second = emails accepted after the first request / time"
                + " from the first request to the last, as the stub received them; 200/s is the stub's limit of 2"
                + " full batches a second. 15.1b counts the 429 answers.");
    }

    /** Resend's headroom in the module ({@code senders.rate.resend.headroom}, its default). */
    private static final double RESEND_HEADROOM = 0.92;

    private long runResendCampaign(Http api, String from, int n, String label) throws Exception {
        long id = createCampaign(api, from, recipients(n, label)).getJsonNumber("id").longValue();
        startCampaign(api, id);
        awaitSent(id, Duration.ofSeconds(60 + n / 50));
        return id;
    }

    private List<ResendStub.Request> resendRequestsSince(Instant since) {
        return resend.requests().stream().filter(r -> !r.receivedAt().isBefore(since))
                .filter(r -> r.path().startsWith("/emails")).toList();
    }

    /** The campaign's items by status and provider, e.g. "2000 sent via resend". */
    private String itemSummary(long campaignId) throws SQLException {
        List<String> parts = new ArrayList<>();
        long retries = 0;
        try (Connection c = db(); var q = c.prepareStatement("select status, coalesce(provider_used, '-'), count(*),"
                + " sum(greatest(attempts - 1, 0)) from campaign_items where campaign_id = ? group by 1, 2"
                + " order by 3 desc")) {
            q.setLong(1, campaignId);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    parts.add(rs.getLong(3) + " " + rs.getString(1) + " via " + rs.getString(2));
                    retries += rs.getLong(4);
                }
            }
        }
        parts.add(retries + " attempts beyond an item's first");
        return String.join(", ", parts);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    // 15.2 SES bulk overhead

    private void sesBulkOverhead(Payara node) throws Exception {
        benchSend(node);
        Http bench = Http.anonymous(node.base());
        bulkLeg(bench, "module", BULK_WARM, "bulk-warm-up");
        bulkLeg(bench, "bare", BULK_WARM, "bulk-warm-up");
        bulkLeg(bench, "floor", BULK_WARM, "bulk-warm-up");
        steadyStatistics();
        int perRound = Math.max(100, bulkCount / BULK_ROUNDS);
        CpuMeter moduleCpu = new CpuMeter(List.of(node));
        CpuMeter bareCpu = new CpuMeter(List.of(node));
        CpuMeter floorCpu = new CpuMeter(List.of(node));
        double moduleSeconds = 0;
        double bareSeconds = 0;
        double floorSeconds = 0;
        int moduleSent = 0;
        int bareSent = 0;
        int floorSent = 0;
        int inFlight = 0;
        int resent = 0;
        int gaveUp = 0;
        int cut = 0;
        double lateBefore = lateSlots(List.of(node));
        for (int round = 0; round < BULK_ROUNDS; round++) {
            for (int leg = 0; leg < 3; leg++) {
                // the module and bare legs alternate, each first in half of the rounds; the floor's leg goes between
                // them in half of the rounds and after both in the other half
                String which = legOrder(round).get(leg);
                boolean module = which.equals("module");
                CpuMeter meter = module ? moduleCpu : which.equals("bare") ? bareCpu : floorCpu;
                JsonObject r = meter.during(() -> bulkLeg(bench, which, perRound, "bulk"));
                inFlight = r.getInt("maxInFlight");
                if (which.equals("floor")) {
                    cut += r.getBoolean("stoppedEarly") ? 1 : 0;
                    floorSent += r.getInt("sent");
                    floorSeconds += r.getJsonNumber("seconds").doubleValue();
                } else if (module) {
                    moduleSent += r.getInt("sent");
                    resent += r.getInt("rateLimitedResent");
                    gaveUp += r.getInt("gaveUp");
                    cut += r.getBoolean("stoppedEarly") ? 1 : 0;
                    moduleSeconds += r.getJsonNumber("seconds").doubleValue();
                } else {
                    cut += r.getBoolean("stoppedEarly") ? 1 : 0;
                    bareSent += r.getInt("sent");
                    bareSeconds += r.getJsonNumber("seconds").doubleValue();
                }
            }
        }
        double late = lateSlots(List.of(node)) - lateBefore;
        double m = moduleSent / moduleSeconds;
        double b = bareSent / bareSeconds;
        row(new String[]{"15.2 SES bulk overhead: sendBatch (batches of 100) vs bare SesClient.sendEmail, same"
                + " concurrency, rate limit 100000/s",
                String.format(Locale.ROOT, "%.1f/s", m), String.format(Locale.ROOT, "%.1f/s", b), ratio(m / b),
                ">= 0.9",
                String.format(Locale.ROOT, "%d and %d messages, %d alternating rounds; module: %d caller thread%s, its"
                                + " SES calls up to %d in flight (senders.sending.max-in-flight); bare: %d threads;"
                                + " CPU a message: module %.2f ms in Payara (%.2f of it the JIT compilers) + %.2f in"
                                + " PostgreSQL, bare %.2f (%.2f) + %.2f; the stub (bench JVM) %.2f / %.2f ms; slots given up for lateness %.0f (%.2f a"
                                + " message); %d results RATE_LIMITED (20 slots given up) sent again at once, %d given"
                                + " up after 10 attempts (not counted as sent); %s",
                        moduleSent, bareSent, BULK_ROUNDS, bulkCallers, bulkCallers == 1 ? "" : "s", inFlight, inFlight,
                        moduleCpu.payaraMillis() / moduleSent, moduleCpu.compilerMillis() / moduleSent,
                        moduleCpu.postgresMillis() / moduleSent, bareCpu.payaraMillis() / bareSent,
                        bareCpu.compilerMillis() / bareSent, bareCpu.postgresMillis() / bareSent,
                        moduleCpu.benchMillis() / moduleSent, bareCpu.benchMillis() / bareSent, late,
                        late / Math.max(1, moduleSent), resent, gaveUp, cut == 0 ? "every leg finished"
                                : cut + " legs stopped at " + BULK_LEG_SECONDS + " s (bench.bulk.leg-seconds)")});
        double f = floorSent / floorSeconds;
        row(new String[]{"15.2f the floor under 15.2: the bare calls in the module's batches with only a claim"
                + " statement before and a record statement after each batch (FloorSends), same concurrency",
                String.format(Locale.ROOT, "%.1f/s", f), String.format(Locale.ROOT, "%.1f/s", b), ratio(f / b),
                "-",
                String.format(Locale.ROOT, "%d messages in the same rounds; %d caller thread%s, the calls on %d"
                                + " threads; CPU a message: %.2f ms in Payara (%.2f of it the JIT compilers) + %.2f in"
                                + " PostgreSQL, the stub %.2f ms; module / floor: %.3f",
                        floorSent, bulkCallers, bulkCallers == 1 ? "" : "s", inFlight,
                        floorCpu.payaraMillis() / floorSent, floorCpu.compilerMillis() / floorSent,
                        floorCpu.postgresMillis() / floorSent, floorCpu.benchMillis() / floorSent, m / f)});
        notes.add("15.2: inside Payara Micro (the bench WAR's /bench-api/bulk-path): the module's"
                + " EmailProviderFactory.providerFor(org, from).sendBatch(100 messages) as a campaign worker calls it"
                + " (one claim statement, rate slots reserved in blocks, each message its own SES call on the"
                + " module's pool of senders.sending.max-in-flight threads, one record statement) against"
                + " SesClient.sendEmail with the module's own client on as many threads; legs alternate, each leg's"
                + " CPU read from /proc (the Payara process, the database's backends, and the bench JVM where the stub"
                + " runs). The messages are alike on both legs (no unsubscribe headers: a SendEmail each). A result"
                + " RATE_LIMITED (the module gave a message's slot up 20 times, its call never starting within"
                + " senders.rate.max-lateness of the slot) is sent again at once, as a host would re-queue it, and"
                + " counted. -Dbench.bulk.callers=N has N threads call sendBatch at once. 15.2f, the floor, is a third"
                + " leg of the same rounds: what is left of the bare loop's speed to any send path that keeps the"
                + " module's promises, with a durable claim of each batch's keys before its calls and a durable"
                + " record of their message ids after them, and nothing else (no suppression read, rate limit,"
                + " dispatch mark, routing or metrics).");
    }

    /** A round's legs of 15.2 and 15.3: module and bare alternate, the floor between them or after them. */
    private static List<String> legOrder(int round) {
        List<String> pair = round % 2 == 0 ? List.of("module", "bare") : List.of("bare", "module");
        return round % 4 < 2 ? List.of(pair.get(0), "floor", pair.get(1)) : List.of(pair.get(0), pair.get(1), "floor");
    }

    private static JsonObject bulkLeg(Http bench, String leg, int n, String label) {
        return bench.post("bench-api/bulk-path?leg=" + leg + "&org=bench-send&from=news@bench-send.com&n=" + n
                        + "&batch=100&callers=" + Integer.getInteger("bench.bulk.callers", 1) + "&label=" + label
                        + "&maxSeconds=" + BULK_LEG_SECONDS,
                "application/json", "", Duration.ofMinutes(30)).expect(200).json();
    }

    // 15.3 single sends at a provider's latency, 16 threads

    private void concurrentLatency(Payara node) throws Exception {
        benchSend(node);
        Http bench = Http.anonymous(node.base());
        String org = "bench-send";
        String from = "news@bench-send.com";
        int threads = 16;
        int rounds = 4;
        int latency = 30;
        inJvm(bench, org, from, LATENCY_WARM, 2, "latency16-warm-up", threads);
        bench.post("bench-api/send-path?org=" + org + "&from=" + from + "&n=" + LATENCY_WARM / 2
                + "&rounds=1&label=latency16-warm-up&threads=" + threads + "&leg=floor", "application/json", "",
                Duration.ofMinutes(30)).expect(200);
        steadyStatistics();
        int perRound = Math.max(threads, latencyCount / rounds);
        int each = perRound * rounds;
        // exactly as many delayed answers as the three legs make calls
        ses.delayNext("SendEmail", 3 * each, Duration.ofMillis(latency));
        CpuMeter moduleCpu = new CpuMeter(List.of(node));
        CpuMeter bareCpu = new CpuMeter(List.of(node));
        CpuMeter floorCpu = new CpuMeter(List.of(node));
        double moduleSeconds = 0;
        double bareSeconds = 0;
        double floorSeconds = 0;
        int moduleSent = 0;
        int bareSent = 0;
        int floorSent = 0;
        Map<String, Double> stageSums = new java.util.TreeMap<>();
        int resent = 0;
        for (int round = 0; round < rounds; round++) {
            for (int leg = 0; leg < 3; leg++) {
                String which = legOrder(round).get(leg);
                boolean module = which.equals("module");
                CpuMeter meter = module ? moduleCpu : which.equals("bare") ? bareCpu : floorCpu;
                JsonObject r = meter.during(() -> bench.post("bench-api/send-path?org="
                        + org + "&from=" + from + "&n=" + perRound + "&rounds=1&label=latency16&threads=" + threads
                        + "&leg=" + which, "application/json", "", Duration.ofMinutes(30)).expect(200).json());
                if (which.equals("floor")) {
                    floorSent += r.getInt("floorSent");
                    floorSeconds += r.getJsonNumber("floorSeconds").doubleValue();
                } else if (module) {
                    moduleSent += r.getInt("moduleSent");
                    moduleSeconds += r.getJsonNumber("moduleSeconds").doubleValue();
                    resent += r.getInt("rateLimitedResent");
                    JsonObject st = r.getJsonObject("stagesMillis");
                    st.keySet().forEach(k -> stageSums.merge(k, st.getJsonNumber(k).doubleValue() / rounds,
                            Double::sum));
                } else {
                    bareSent += r.getInt("bareSent");
                    bareSeconds += r.getJsonNumber("bareSeconds").doubleValue();
                }
            }
        }
        double m = moduleSent / moduleSeconds;
        double b = bareSent / bareSeconds;
        row(new String[]{"15.3 single sends, the stub answering " + latency + " ms later, " + threads + " threads",
                String.format(Locale.ROOT, "%.1f/s", m), String.format(Locale.ROOT, "%.1f/s", b), ratio(m / b),
                ">= 0.95",
                String.format(Locale.ROOT, "%d sends each, %d alternating rounds; a send took %.2f ms (module) and"
                                + " %.2f ms (bare) with %d in flight; CPU a send: module %.2f ms in Payara (%.2f of it"
                                + " the JIT compilers) + %.2f in PostgreSQL, bare %.2f (%.2f) + %.2f; %d module sends"
                                + " RATE_LIMITED and sent again; module stages, mean ms: %s", each, rounds,
                        1000.0 * threads / m, 1000.0 * threads / b, threads,
                        moduleCpu.payaraMillis() / moduleSent, moduleCpu.compilerMillis() / moduleSent,
                        moduleCpu.postgresMillis() / moduleSent, bareCpu.payaraMillis() / bareSent,
                        bareCpu.compilerMillis() / bareSent, bareCpu.postgresMillis() / bareSent, resent,
                        stageSums.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.2f", e.getKey(),
                                e.getValue())).collect(Collectors.joining("; ")))});
        double f = floorSent / floorSeconds;
        row(new String[]{"15.3f the floor under 15.3: the bare call with only a claim statement before it and a"
                + " record statement after it (FloorSends), " + threads + " threads",
                String.format(Locale.ROOT, "%.1f/s", f), String.format(Locale.ROOT, "%.1f/s", b), ratio(f / b), "-",
                String.format(Locale.ROOT, "%d sends in the same rounds; a send took %.2f ms; CPU a send: %.2f ms in"
                                + " Payara (%.2f of it the JIT compilers) + %.2f in PostgreSQL; module / floor: %.3f",
                        floorSent, 1000.0 * threads / f, floorCpu.payaraMillis() / floorSent,
                        floorCpu.compilerMillis() / floorSent, floorCpu.postgresMillis() / floorSent, m / f)});
        notes.add("15.3: as 1c, with " + threads + " threads in each leg at once (module: providerFor(org,"
                + " from).send(message) each; bare: SesClient.sendEmail), the stub holding each SendEmail answer back"
                + " " + latency + " ms. 15.3f, the floor, is a third leg of the same rounds: the bare call with a"
                + " durable claim of its key before it and a durable record of its message id after it, each one"
                + " autocommitted statement, and nothing else.");
    }

    // 15.5 database cost in batch mode

    private void batchDatabaseCost(Payara node) throws Exception {
        batchDatabaseCost(List.of(node), benchSend(node), "news@bench-send.com", "one instance, SES rate 100000/s");
    }

    /**
     * 15.5 in the cluster: a campaign of the first rate organization on the first instance, the stub enforcing the
     * highest of {@code bench.quotas} as MaxSendRate (a production-like rate, where the module's blocks of rate slots
     * are not all due at once as they are at 100000/s).
     */
    private void batchDatabaseCost(List<Payara> cluster) throws Exception {
        List<List<Http>> apis = rateOrganizations(cluster);
        double quota = quotas.stream().mapToDouble(Double::doubleValue).max().orElse(500);
        ses.setSendQuota(DAILY_QUOTA, quota);
        ses.enforceMaxSendRate(true);
        try {
            awaitNoOrganizationSending();
            batchDatabaseCost(cluster, apis.get(0).get(0), RATE_FROM[0], String.format(Locale.ROOT,
                    "2 instances, MaxSendRate %.0f/s enforced", quota));
        } finally {
            ses.enforceMaxSendRate(false);
            ses.setSendQuota(DAILY_QUOTA, SES_MAX_SEND_RATE);
        }
    }

    private void batchDatabaseCost(List<Payara> nodes, Http api, String from, String where) throws Exception {
        runCampaign(api, from, 200, "batch-warm-up");
        steadyStatistics();
        long id = createCampaign(api, from, recipients(batchCount, "batch")).getJsonNumber("id").longValue();
        // all of the bench's own statements in the window on one connection, counted and subtracted: a new
        // connection would add transactions of its own start
        try (Connection c = db()) {
            Thread.sleep(12_000); // PostgreSQL 15 flushes a backend's statistics within ~10 s of it going idle
            double lateBefore = lateSlots(nodes);
            Map<String, long[]> before = tableStats(c);
            long[] x0 = transactions(c);
            long own = 2;
            startCampaign(api, id);
            own += awaitSent(c, id, Duration.ofMinutes(10));
            Thread.sleep(12_000);
            long[] x1 = transactions(c);
            Map<String, long[]> after = tableStats(c);
            double late = lateSlots(nodes) - lateBefore;
            // this campaign's own requests (the stub keeps its last 10,000 calls: a count before and after, over
            // all of them, went negative once the earlier runs' calls dropped out)
            long throttled = sendCalls(Set.of(String.valueOf(id))).stream()
                    .filter(x -> "Throttling".equals(x.errorCode())).count();
            long commits = x1[0] - x0[0];
            long rollbacks = x1[1] - x0[1];
            double perMessage = (commits + rollbacks - own) / (double) batchCount;
            StringBuilder perTable = new StringBuilder();
            for (var e : after.entrySet()) {
                long[] b = before.getOrDefault(e.getKey(), new long[4]);
                long reads = (e.getValue()[0] - b[0]) + (e.getValue()[1] - b[1]);
                long writes = (e.getValue()[2] - b[2]) + (e.getValue()[3] - b[3]);
                if (reads != 0 || writes != 0) {
                    perTable.append(String.format(Locale.ROOT, " %s %.3f/%.3f;", e.getKey(),
                            reads / (double) batchCount, writes / (double) batchCount));
                }
            }
            row(new String[]{"15.5 database cost in batch mode (transactions per message, pg_stat_database, "
                    + batchCount + "-item campaign through the host), " + where,
                    String.format(Locale.ROOT, "%.3f", perMessage), "-", "-", "<= 0.1",
                    String.format(Locale.ROOT, "%d commits + %d rollbacks over the campaign, less the bench's own %d"
                                    + " statements; %s; rate slots given up for lateness %.0f; throttled %d; statements"
                                    + " reading / rows written per message:%s",
                            commits, rollbacks, own, itemSummary(id), late, throttled, perTable)});
        }
        if (notes.stream().noneMatch(n -> n.startsWith("15.5:"))) {
            notes.add("15.5: pg_stat_database's xact_commit + xact_rollback of the bench's database, read on one"
                    + " connection 12 s after it and every pool went idle (PostgreSQL flushes a backend's statistics"
                    + " then), before the start of a campaign of " + batchCount + " items through the host (chunks of"
                    + " 100 with sendBatch) and after it is 'sent'; everything the instances did meanwhile counts (the"
                    + " host's claims and item updates, the module's claims, rate slots, records, pool validation,"
                    + " the activity heartbeat, the resume job); the bench's own statements (the readings and its"
                    + " polls of the campaign's status) are subtracted. Measured twice: in phase 1 (SES at"
                    + " 100000/s, a batch's rate slots all due within a millisecond) and in phase 2 at the highest"
                    + " MaxSendRate of bench.quotas, enforced by the stub.");
        }
    }

    /** Waits for the campaign to be 'sent', polling on {@code c}; how many statements it ran. */
    private static int awaitSent(Connection c, long id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        int statements = 0;
        try (var q = c.prepareStatement("select status from campaigns where id = ?")) {
            q.setLong(1, id);
            while (System.nanoTime() < deadline) {
                statements++;
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && "sent".equals(rs.getString(1))) {
                        return statements;
                    }
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("campaign " + id + " not sent within " + within);
    }

    /** {xact_commit, xact_rollback} of the bench's database. */
    private static long[] transactions(Connection c) throws SQLException {
        try (var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select xact_commit, xact_rollback from pg_stat_database where datname = current_database()")) {
            rs.next();
            return new long[]{rs.getLong(1), rs.getLong(2)};
        }
    }

    // 15.6 SES at production quotas

    private void productionQuotas(List<Payara> cluster) throws Exception {
        List<List<Http>> apis = rateOrganizations(cluster);
        int k = 16;
        try {
            // a warm-up of the 16-campaign path at the highest rate, not enforced (JIT, pools, both instances): long
            // enough for the JIT to be done with the send path (with 20 items a campaign, the optimizing compiler's
            // threads took more CPU than the call threads during the 50/s run that followed: JFR's thread CPU load)
            ses.setSendQuota(DAILY_QUOTA, quotas.stream().mapToDouble(Double::doubleValue).max().orElse(50));
            awaitNoOrganizationSending();
            Thread.sleep(1_500); // the module reads GetSendQuota again at its next send (refresh PT1S)
            runCampaigns(apis, k, QUOTA_WARM, Duration.ofMinutes(5));
            steadyStatistics();
            for (double quota : quotas) {
                ses.setSendQuota(DAILY_QUOTA, quota);
                ses.enforceMaxSendRate(true);
                awaitNoOrganizationSending();
                Thread.sleep(1_500);
                double enforced = quota * SES_HEADROOM;
                // the stub keeps its last 10,000 calls: a run stays below that, so every send of it is counted
                int each = (int) Math.max(1, Math.min(Math.ceil(enforced * quotaSeconds / k), 9_000 / k));
                CpuMeter cpu = new CpuMeter(cluster);
                double lateBefore = lateSlots(cluster);
                RateRun r = cpu.during(() -> runCampaigns(apis, k, each,
                        Duration.ofSeconds(120 + (long) (4 * k * each / enforced))));
                double late = lateSlots(cluster) - lateBefore;
                double ratio = r.achieved() / quota;
                boolean met = ratio >= 0.95 && r.throttled() == 0;
                row(new String[]{String.format(Locale.ROOT, "15.6 SES at MaxSendRate %.0f/s, %d campaigns (%d orgs),"
                                + " 2 instances", quota, k, r.organizations()),
                        String.format(Locale.ROOT, "%.1f/s", r.achieved()),
                        String.format(Locale.ROOT, "MaxSendRate %.0f/s", quota), ratio(ratio),
                        ">= 0.95, 0 throttled",
                        String.format(Locale.ROOT, "%s%.2f ms CPU a message (Payara %.2f + PostgreSQL %.2f; the stub,"
                                        + " in phase 2's bench JVM, %.2f); vs the enforced %.1f/s: %.3f; %d throttled; max %d"
                                        + " in any 1 s; %d sends, %d items each, %.1f s start to 'sent'; %.0f slots given"
                                        + " up for lateness%s",
                                met ? "" : "SHORT of the target; ",
                                (cpu.payaraMillis() + cpu.postgresMillis()) / r.sent(), cpu.payaraMillis() / r.sent(),
                                cpu.postgresMillis() / r.sent(), cpu.benchMillis() / r.sent(), enforced,
                                r.achieved() / enforced, r.throttled(), maxInAnySecond(r.at()), r.sent(), each,
                                r.seconds(), late, r.throttles())});
            }
        } finally {
            ses.enforceMaxSendRate(false);
            ses.setSendQuota(DAILY_QUOTA, SES_MAX_SEND_RATE);
        }
        notes.add("15.6: the stub's GetSendQuota answers each MaxSendRate in turn and enforces it (a send beyond it"
                + " in any sliding second answers Throttling); the instances read the quota again every second"
                + " (senders.rate.ses.refresh=PT1S in this phase) and pace at MaxSendRate x 0.97. 16 campaigns, 2"
                + " organizations alternating, started on the 2 instances alternately, each sized for about "
                + (int) quotaSeconds + " s at the enforced rate; achieved as in figure 2. CPU: both Payara processes"
                + " and the database's backends (/proc), from the start to the last campaign 'sent', per message"
                + " sent.");
    }

    private static final double SES_HEADROOM = 0.97;

    /** CPU of Payara processes, the bench database's backends and this JVM (the stubs), summed over measured legs. */
    private final class CpuMeter {
        private final List<Payara> nodes;
        private long payaraTicks;
        private long postgresTicks;
        private long benchTicks;
        private long compilerTicks;

        CpuMeter(List<Payara> nodes) {
            this.nodes = nodes;
        }

        <T> T during(java.util.concurrent.Callable<T> leg) throws Exception {
            long compilers = compilers();
            long payara = payara();
            long postgres = postgresBackendTicks();
            long bench = ticks(ProcessHandle.current().pid());
            T result = leg.call();
            payaraTicks += payara() - payara;
            postgresTicks += postgresBackendTicks() - postgres;
            benchTicks += ticks(ProcessHandle.current().pid()) - bench;
            compilerTicks += compilers() - compilers;
            return result;
        }

        private long payara() {
            return nodes.stream().mapToLong(n -> ticks(n.pid())).sum();
        }

        private long compilers() {
            return nodes.stream().mapToLong(n -> compilerTicks(n.pid())).sum();
        }

        /** The part of {@link #payaraMillis()} that the JIT compilers took. */
        double compilerMillis() {
            return compilerTicks * 10.0;
        }

        double payaraMillis() {
            return payaraTicks * 10.0;
        }

        double postgresMillis() {
            return postgresTicks * 10.0;
        }

        double benchMillis() {
            return benchTicks * 10.0;
        }
    }

    /** The module's count of rate slots given up for lateness ({@code senders.rate.limit.late.slots}), all nodes. */
    private static double lateSlots(List<Payara> nodes) {
        java.util.regex.Pattern counter = java.util.regex.Pattern.compile(
                "senders_rate_limit_late_slots_total\\{[^}]*provider=\"ses\"[^}]*}\\s+(\\S+)");
        double sum = 0;
        for (Payara node : nodes) {
            for (String l : Http.anonymous(node.base()).getText("metrics").expect(200).body().split("\n")) {
                java.util.regex.Matcher m = counter.matcher(l);
                if (m.lookingAt()) {
                    sum += Double.parseDouble(m.group(1));
                }
            }
        }
        return sum;
    }

    /** CPU ticks of the bench database's backends (its pools' connections live through the run). */
    private long postgresBackendTicks() throws SQLException {
        long sum = 0;
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery("select pid from"
                + " pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")) {
            while (rs.next()) {
                sum += ticks(rs.getLong(1));
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ the host's API

    private void verifiedDefault(Http api, String email) {
        long id = api.post("api/senders", "{\"emailAddress\":\"" + email + "\"}").expect(201).json()
                .getJsonObject("sender").getJsonNumber("id").longValue();
        ses.verifyDomain(email.substring(email.indexOf('@') + 1));
        String status = api.post("api/senders/" + id + "/verify", "").expect(200).json().getJsonObject("sender")
                .getString("verificationStatus");
        if (!status.equals("verified")) {
            throw new IllegalStateException(email + " is " + status + " after verification");
        }
        api.post("api/senders/" + id + "/set-default", "").expect(200);
    }

    private JsonObject createCampaign(Http api, String from, List<String> recipients) {
        JsonArrayBuilder to = Json.createArrayBuilder();
        recipients.forEach(to::add);
        return api.post("host-api/campaigns", Json.createObjectBuilder()
                .add("name", "Bench " + UUID.randomUUID().toString().substring(0, 6)).add("senderEmail", from)
                .add("senderName", "Newsletter").add("subject", "Hello from the bench").add("html", "<p>Hello</p>")
                .add("recipients", to).build().toString()).expect(201).json();
    }

    private static void startCampaign(Http api, long id) {
        api.post("host-api/campaigns/" + id + "/start", "{}").expect(202);
    }

    private void awaitSent(long id, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        // one connection for the whole wait: a new one every 20 ms would start a PostgreSQL backend 50 times a
        // second, CPU taken from what is measured
        try (Connection c = db(); var q = c.prepareStatement("select status from campaigns where id = ?")) {
            while (System.nanoTime() < deadline) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && "sent".equals(rs.getString(1))) {
                        return;
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("campaign " + id + " not sent within " + within);
    }

    private List<Long> sendTimes(Set<String> campaigns) {
        return sendCalls(campaigns).stream().filter(c -> c.errorCode() == null).map(SesStub.Call::receivedNanos)
                .sorted().toList();
    }

    /** SendEmail / SendRawEmail calls that carry one of these campaign tags. */
    private List<SesStub.Call> sendCalls(Set<String> campaigns) {
        return ses.calls().stream()
                .filter(c -> "SendEmail".equals(c.action()) || "SendRawEmail".equals(c.action()))
                .filter(c -> c.params().entrySet().stream().anyMatch(e -> e.getKey().startsWith("Tags.member.")
                        && e.getKey().endsWith(".Value") && campaigns.contains(e.getValue())))
                .toList();
    }

    private static List<String> recipients(int n, String label) {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        return IntStream.range(0, n).mapToObj(i -> label + i + "-" + tag + "@inbox-bench.net").toList();
    }

    private static double rate(List<Long> sortedNanos) {
        return (sortedNanos.size() - 1) / ((sortedNanos.get(sortedNanos.size() - 1) - sortedNanos.get(0)) / 1e9);
    }

    /** The shortest time, in ms, between the first and the last of any {@code n} consecutive arrivals. */
    static long tightestSpanMillis(List<Long> sortedNanos, int n) {
        long tightest = Long.MAX_VALUE;
        for (int i = 0; i + n - 1 < sortedNanos.size(); i++) {
            tightest = Math.min(tightest, sortedNanos.get(i + n - 1) - sortedNanos.get(i));
        }
        return tightest / 1_000_000;
    }

    static int maxInAnySecond(List<Long> sortedNanos) {
        int worst = 0;
        int j = 0;
        for (int i = 0; i < sortedNanos.size(); i++) {
            while (sortedNanos.get(i) - sortedNanos.get(j) >= 1_000_000_000L) {
                j++;
            }
            worst = Math.max(worst, i - j + 1);
        }
        return worst;
    }

    private static String ratio(double r) {
        return String.format(Locale.ROOT, "%.3f", r);
    }

    // ------------------------------------------------------------------ set-up

    private void setUp() throws Exception {
        String url = System.getenv("SENDERS_BENCH_DB_URL");
        if (url != null && !url.isBlank()) {
            dbUrl = url;
            dbUser = envOr("SENDERS_BENCH_DB_USER", "postgres");
            dbPassword = envOr("SENDERS_BENCH_DB_PASSWORD", "postgres");
        } else {
            embedded = EmbeddedPostgres.builder().start();
            dbUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
            dbUser = "postgres";
            dbPassword = "postgres";
        }
        try (Connection c = db(); var s = c.createStatement()) {
            s.execute("drop schema if exists public cascade");
            s.execute("create schema public");
        }
        ses = SesStub.start(0, VerificationPolicy.manual());
        ses.setSendQuota(DAILY_QUOTA, SES_MAX_SEND_RATE); // SES's 50,000 a day would run out in a full run
        snsPki = SnsPki.create(work.resolve("sns-trust.p12"));
        snsHost = new SnsCertificateHost(snsPki, 0);
        snsHost.serve(SNS_CERT_PATH, 200, snsPki.signerPem());
        resend = ResendStub.start();
        resend.expectApiKey(TestCredentials.RESEND_API_KEY);
        Files.writeString(work.resolve("preboot.asadmin"), "set configs.config.server-config.network-config"
                + ".network-listeners.network-listener.http-listener.address=127.0.0.1\n"
                + "set hazelcast-runtime-configuration.interface=127.0.0.1\n");
        Files.writeString(work.resolve("secrets.properties"), "senders.ses.access-key-id="
                + TestCredentials.SES_ACCESS_KEY + "\nsenders.ses.secret-access-key=" + TestCredentials.SES_SECRET_KEY
                + "\nsenders.resend.api-key=" + TestCredentials.RESEND_API_KEY + "\nsenders.db.password="
                + dbPassword + "\nsenders.unsubscribe.secrets=" + TestCredentials.UNSUBSCRIBE_SECRET + "\n");
    }

    private List<String> jvmOptions(List<String> extra) {
        List<String> options = new ArrayList<>(List.of("-Xmx512m",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.socket.bind.any=false",
                "-Daws.disableEc2Metadata=true",
                "-Dsenders.db.url=" + dbUrl, "-Dsenders.db.user=" + dbUser,
                "-Dsenders.ses.endpoint=" + ses.endpoint(), "-Dsenders.ses.region=ap-southeast-1",
                "-Dsenders.resend.base-url=" + resend.endpoint(),
                "-Dsenders.resend.from-address=notifications@platform-mail.com",
                // the host's campaign emails ask for one-click unsubscribe links (host.campaigns.unsubscribe-links)
                "-Dsenders.unsubscribe.base-url=https://mail.platform-mail.com",
                "-Dsenders.dns.enabled=false",
                "-Dsenders.sns.allowed-topic-arns=" + SNS_TOPIC,
                "-Dsenders.sns.test.trusted-cert-host=127.0.0.1:" + snsHost.port(),
                "-Dsenders.sns.test.trust-store=" + work.resolve("sns-trust.p12"),
                "-Dsenders.sns.test.trust-store-password=" + SnsPki.PASSWORD,
                // the sweep is measured through the admin trigger; no timer run in between
                "-Dsenders.verification.enabled=false"));
        options.addAll(extra);
        // e.g. a profiler: -Dbench.jvm.extra="-XX:StartFlightRecording=filename=/tmp/payara.jfr,settings=profile"
        String more = System.getProperty("bench.jvm.extra", "").trim();
        if (!more.isEmpty()) {
            options.addAll(List.of(more.split("\\s+")));
        }
        return options;
    }

    /** A host user of the organization (the host's PBKDF2 format), created directly in its table. */
    private String user(String organizationId, String roles) throws Exception {
        String name = "bench-" + organizationId + "-" + roles.replace(',', '-');
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(PASSWORD.toCharArray(), salt, 10_000, 256)).getEncoded();
        String stored = "pbkdf2$10000$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(hash);
        try (Connection c = db(); var insert = c.prepareStatement("insert into host_users (username, password_hash,"
                + " organization_id, roles) values (?,?,?,?) on conflict (username) do nothing")) {
            insert.setString(1, name);
            insert.setString(2, stored);
            insert.setString(3, organizationId);
            insert.setString(4, roles);
            insert.executeUpdate();
        }
        return name;
    }

    /**
     * After a warm-up: PostgreSQL's planner statistics as autovacuum keeps them on a database in use. Every run starts
     * from an empty schema, so the statistics autovacuum last took describe nearly empty tables until its next round
     * (up to a minute later), and with them the planner looked a send's key up through an index on the organization
     * alone, reading its rows one by one (measured in figure 15.2: 4,400 rows a lookup, a 100-message claim 38 ms and
     * its record 63 ms instead of 3 and 5).
     */
    private void steadyStatistics() throws SQLException {
        try (Connection c = db(); java.sql.Statement s = c.createStatement()) {
            s.execute("analyze");
        }
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(dbUrl, dbUser, dbPassword);
    }

    private void close() {
        if (snsHost != null) {
            snsHost.close();
        }
        if (ses != null) {
            ses.close();
        }
        if (resend != null) {
            resend.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (Exception ignored) {
                // ending anyway
            }
        }
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** A result for the table, also logged at once, so a run that fails later still shows what it measured. */
    private void row(String[] cells) {
        rows.add(cells);
        log("result: " + String.join(" | ", cells));
    }

    private static void log(String message) {
        System.out.println("[bench] " + message);
    }

    // ------------------------------------------------------------------ the table

    private void printTable(Duration took) throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String mem = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> String.format(Locale.ROOT, "%.1f GiB",
                        Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse("?");
        String pg;
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            pg = rs.getString(1);
        }
        System.out.println();
        System.out.println("Senders benchmarks, " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                + " (run took " + took.toSeconds() + " s)");
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + mem
                + " memory; Java " + System.getProperty("java.version") + "; PostgreSQL " + pg
                + "; Payara Micro 6.2025.10, -Xmx512m per instance");
        System.out.println();
        String[] head = {"benchmark", "module", "baseline", "ratio", "target", "details"};
        int[] width = new int[head.length];
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], i == 5 ? 0 : r[i].length());
            }
        }
        for (String[] r : all) {
            StringBuilder line = new StringBuilder("| ");
            for (int i = 0; i < r.length; i++) {
                line.append(i == 5 ? r[i] : String.format("%-" + width[i] + "s", r[i])).append(" | ");
            }
            System.out.println(line.toString().stripTrailing());
            if (r == head) {
                StringBuilder sep = new StringBuilder("|");
                for (int i = 0; i < r.length; i++) {
                    sep.append("-".repeat(Math.max(3, width[i]) + 2)).append("|");
                }
                System.out.println(sep);
            }
        }
        System.out.println();
        notes.forEach(n -> System.out.println("- " + n));
    }
}
