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
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
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
 *   of the same bodies on the same instance, every notification stored once;</li>
 *   <li>resolution cost: database work per send after warm-up, from PostgreSQL's own per-table statistics.</li>
 * </ol>
 * Run: {@code mvn -q -Pbench install -DskipTests && mvn -q -Pbench -pl deployment/bench exec:java}.
 * Options (system properties): {@code bench.send.count} (2000), {@code bench.sweep.domains} (10000),
 * {@code bench.webhook.count} (3000), {@code bench.phases} (1,2; 1: the one-instance phase only, 2: the cluster's),
 * {@code bench.only} (4: figure 4 alone, with just the SES sends its notifications need), {@code bench.webhook.warm}
 * (400: figure 4's warm-up notifications), {@code bench.jvm.extra}
 * (more JVM options for each Payara Micro, such as a profiler's);
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
    /** {@code -Dbench.only=4}: figure 4 alone, after just the SES sends its notifications report on. */
    private static final boolean FIGURE_4_ONLY = "4".equals(System.getProperty("bench.only", "").trim());
    /** Figure 4's warm-up notifications (and as many bare POSTs) before the measured ones. */
    private static final int WEBHOOK_WARM = Integer.getInteger("bench.webhook.warm", 400);
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
        String phases = FIGURE_4_ONLY ? "1" : System.getProperty("bench.phases", "1,2");
        if (phases.contains("1")) {
            phaseOne();
        }
        if (phases.contains("2")) {
            phaseTwo();
        }
        printTable(Duration.ofNanos(System.nanoTime() - started));
    }

    private void phaseOne() throws Exception {
        log("phase 1: one instance, SES rate set very high (send-path overhead, resolution cost)");
        try (Payara single = Payara.single(runtime, work, "bench-single", jvmOptions(List.of(
                "-Dsenders.rate.ses.per-second=100000")))) {
            single.awaitReady(Duration.ofSeconds(180));
            if (FIGURE_4_ONLY) {
                sendsToReport(single);
            } else {
                sendPathOverhead(single);
                resolutionCost(single);
            }
            webhookIngestion(single);
        }
    }

    private void phaseTwo() throws Exception {
        log("phase 2: two clustered instances, SES rate from GetSendQuota (rate accuracy, sweep)");
        String clusterName = "senders-bench-" + UUID.randomUUID().toString().substring(0, 8);
        List<Payara> cluster = Payara.cluster(runtime, work, clusterName, jvmOptions(List.of()));
        try {
            for (Payara p : cluster) {
                p.awaitReady(Duration.ofSeconds(240));
            }
            for (Payara p : cluster) {
                p.awaitDataGrid(clusterName, 2, Duration.ofSeconds(60));
            }
            rateAccuracy(cluster);
            verificationSweep(cluster.get(0));
        } finally {
            cluster.forEach(Payara::close);
        }
    }

    // ------------------------------------------------------------------ 1. send-path overhead

    private void sendPathOverhead(Payara node) throws Exception {
        String org = "bench-send";
        Http api = Http.as(node.base(), user(org, "user"), PASSWORD);
        Http bench = Http.anonymous(node.base());
        String from = "news@bench-send.com";
        verifiedDefault(api, from);

        // in one JVM: warm-up of both paths (JIT, connection pools, the routing cache, the rate buckets' rows)
        inJvm(bench, org, from, 400, 2, "warm-up");
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
        return bench.post("bench-api/send-path?org=" + org + "&from=" + from + "&n=" + n + "&rounds=" + rounds
                + "&label=" + label, "application/json", "", Duration.ofMinutes(30)).expect(200).json();
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
        Map<String, long[]> stats = new java.util.TreeMap<>();
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
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

    private void rateAccuracy(List<Payara> cluster) throws Exception {
        String[] orgs = {"bench-rate-1", "bench-rate-2"};
        String[] from = {"news@bench-rate-1.com", "news@bench-rate-2.com"};
        List<List<Http>> apis = new ArrayList<>(); // [org][instance]
        for (int o = 0; o < 2; o++) {
            String user = user(orgs[o], "user");
            List<Http> perInstance = new ArrayList<>();
            for (Payara p : cluster) {
                perInstance.add(Http.as(p.base(), user, PASSWORD));
            }
            apis.add(perInstance);
            verifiedDefault(perInstance.get(0), from[o]);
        }
        // warm-up: a short campaign of each organization on each instance
        for (int o = 0; o < 2; o++) {
            for (Http api : apis.get(o)) {
                runCampaign(api, from[o], 5, "rate-warm-up");
            }
        }
        ses.enforceMaxSendRate(true); // a send beyond MaxSendRate in any sliding second answers Throttling
        try {
            for (int k : new int[]{1, 4, 16}) {
                awaitNoOrganizationSending();
                int total = k == 1 ? 160 : 208;
                int each = (int) Math.ceil(total / (double) k);
                List<Long> ids = new ArrayList<>();
                List<Http> starters = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    int o = i % 2;
                    Http api = apis.get(o).get((i / 2) % 2);
                    ids.add(createCampaign(api, from[o], recipients(each, "rate" + k))
                            .getJsonNumber("id").longValue());
                    starters.add(api);
                }
                ExecutorService pool = Executors.newFixedThreadPool(k);
                List<Future<?>> starts = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    Http api = starters.get(i);
                    long id = ids.get(i);
                    starts.add(pool.submit(() -> startCampaign(api, id)));
                }
                for (Future<?> f : starts) {
                    f.get();
                }
                pool.shutdown();
                for (long id : ids) {
                    awaitSent(id, Duration.ofMinutes(5));
                }
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
                double achieved = inWindow / ((to0 - from0) / 1e9);
                row(new String[]{"2. rate accuracy, " + k + " campaign" + (k == 1 ? "" : "s") + " ("
                        + byOrg.size() + " org" + (byOrg.size() == 1 ? "" : "s") + "), 2 instances",
                        String.format(Locale.ROOT, "%.2f/s", achieved),
                        String.format(Locale.ROOT, "MaxSendRate %.0f/s", SES_MAX_SEND_RATE),
                        ratio(achieved / SES_MAX_SEND_RATE), "0.95-1.00",
                        String.format(Locale.ROOT, "vs the enforced %.2f/s: %.3f; max %d in any 1 s (the tightest"
                                        + " %d in a row spanned %d ms); %d throttled; %d sends, %d items each",
                                SES_ENFORCED_RATE, achieved / SES_ENFORCED_RATE, maxInAnySecond(at),
                                (int) SES_MAX_SEND_RATE + 1, tightestSpanMillis(at, (int) SES_MAX_SEND_RATE + 1),
                                throttled, ok.size(), each)});
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
        List<String> sends = new ArrayList<>();
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select message_id, recipient from senders_sends where provider = 'ses' and status = 'sent'"
                        + " and message_id is not null limit " + (n + WEBHOOK_WARM))) {
            while (rs.next()) {
                sends.add(rs.getString(1) + " " + rs.getString(2));
            }
        }
        if (sends.size() < n + WEBHOOK_WARM) {
            throw new IllegalStateException("only " + sends.size() + " SES sends to report deliveries of");
        }
        List<String> warm = notifications(sends.subList(0, WEBHOOK_WARM), "warm");
        List<String> measured = notifications(sends.subList(WEBHOOK_WARM, WEBHOOK_WARM + n), "measured");

        post(anonymous, "api/webhooks/ses-events", warm, threads);   // warms the certificate cache and the JIT
        post(anonymous, "bench-api/echo", warm, threads);
        int fetchesBefore = snsHost.requests().size();
        Map<String, double[]> stagesBefore = webhookStages(node);
        double webhookSeconds = 0;
        double bareSeconds = 0;
        Cpu webhookCpu = new Cpu();
        Cpu bareCpu = new Cpu();
        for (int round = 0; round < 2; round++) {   // each goes first once
            List<String> half = measured.subList(round * n / 2, (round + 1) * n / 2);
            if (round == 0) {
                webhookSeconds += webhookCpu.during(node, () -> post(anonymous, "api/webhooks/ses-events", half, threads));
                bareSeconds += bareCpu.during(node, () -> post(anonymous, "bench-api/echo", half, threads));
            } else {
                bareSeconds += bareCpu.during(node, () -> post(anonymous, "bench-api/echo", half, threads));
                webhookSeconds += webhookCpu.during(node, () -> post(anonymous, "api/webhooks/ses-events", half, threads));
            }
        }
        Map<String, double[]> stagesAfter = webhookStages(node);
        long stored;
        try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select count(*) from senders_sns_messages where message_id like 'bench-measured-%'")) {
            rs.next();
            stored = rs.getLong(1);
        }
        double webhookRate = n / webhookSeconds;
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
                        + " webhook %.2f ms in Payara + %.2f ms in PostgreSQL, bare %.2f + %.2f ms (the module"
                        + " and baseline columns: wall time a request with %d in flight)",
                webhookCpu.payaraMillis() / n, webhookCpu.postgresMillis() / n, bareCpu.payaraMillis() / n,
                bareCpu.postgresMillis() / n, threads)});
        notes.add("4: each notification is a distinct SNS message (SignatureVersion 2, signed by a throw-away PKI"
                + " whose CA the instance trusts; certificate served over TLS on 127.0.0.1) carrying an SES"
                + " Delivery event for a message the module really sent, so each is verified, stored once, linked to"
                + " its send, and fired to the host as a CDI event. Both runs post the same bodies' kind with "
                + threads + " concurrent HTTP/1.1 clients, alternating which goes first.");
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
        verifiedDefault(Http.as(node.base(), user(org, "user"), PASSWORD), from);
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

    /** CPU time of the Payara process and of the database's backends (from /proc), summed over measured legs. */
    private final class Cpu {
        private long payaraTicks;
        private long postgresTicks;

        double during(Payara node, java.util.concurrent.Callable<Double> leg) throws Exception {
            long payara = ticks(node.pid());
            long payaraSystem = systemTicks(node.pid());
            long postgres = postgresTicks();
            double seconds = leg.call();
            long payaraLeg = ticks(node.pid()) - payara;
            long postgresLeg = postgresTicks() - postgres;
            payaraTicks += payaraLeg;
            postgresTicks += postgresLeg;
            log(String.format(Locale.ROOT, "  leg: %.2f s, CPU %d ms in Payara (%d ms of it in the kernel), %d ms in"
                    + " PostgreSQL", seconds, payaraLeg * 10, (systemTicks(node.pid()) - payaraSystem) * 10,
                    postgresLeg * 10));
            return seconds;
        }

        double payaraMillis() {
            return payaraTicks * 10.0;
        }

        double postgresMillis() {
            return postgresTicks * 10.0;
        }

        /** The backends of the bench's database (its pools' connections live through the run). */
        private long postgresTicks() throws SQLException {
            long sum = 0;
            try (Connection c = db(); var s = c.createStatement(); ResultSet rs = s.executeQuery("select pid from"
                    + " pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()")) {
                while (rs.next()) {
                    sum += ticks(rs.getLong(1));
                }
            }
            return sum;
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
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
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
        while (System.nanoTime() < deadline) {
            try (Connection c = db(); var q = c.prepareStatement("select status from campaigns where id = ?")) {
                q.setLong(1, id);
                try (ResultSet rs = q.executeQuery()) {
                    if (rs.next() && "sent".equals(rs.getString(1))) {
                        return;
                    }
                }
            }
            Thread.sleep(20);
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
                + dbPassword + "\n");
    }

    private List<String> jvmOptions(List<String> extra) {
        List<String> options = new ArrayList<>(List.of("-Xmx512m",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.socket.bind.any=false",
                "-Daws.disableEc2Metadata=true",
                "-Dsenders.db.url=" + dbUrl, "-Dsenders.db.user=" + dbUser,
                "-Dsenders.ses.endpoint=" + ses.endpoint(), "-Dsenders.ses.region=ap-southeast-1",
                "-Dsenders.resend.base-url=" + resend.endpoint(),
                "-Dsenders.resend.from-address=notifications@platform-mail.com",
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
