package dev.senders.demo;

import dev.senders.sandbox.Sandbox;
import dev.senders.sandbox.VerificationPolicy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The README's run command: the reference host with the Senders module on Payara Micro, an embedded PostgreSQL
 * whose data survives restarts, and (without real credentials) the local sandbox endpoints. Loopback only.
 */
public final class DemoLauncher implements AutoCloseable {

    /** What to start. */
    public record Options(Path dataDirectory, int httpPort, Path runtimeDirectory, boolean inheritOutput) {
        public static Options fromSystemProperties() {
            Path runtime = Path.of(System.getProperty("senders.demo.runtime", "deployment/demo/target/runtime"));
            Path data = Path.of(System.getProperty("senders.demo.data",
                    Path.of(System.getProperty("user.dir"), ".senders-demo").toString()));
            int port = Integer.parseInt(System.getProperty("senders.demo.port", "8080"));
            return new Options(data.toAbsolutePath(), port, runtime.toAbsolutePath(), true);
        }
    }

    /** One line per log record: time, level, logger, message (and the stack trace of a throwable). */
    static final String LOG_FORMAT = "%1$tT %4$s %3$s: %5$s%6$s%n";

    private final Options options;
    private EmbeddedPostgres database;
    private Process payara;
    private final List<AutoCloseable> sandbox = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> mailViewers = new ArrayList<>();
    private boolean sesLocal;
    private boolean resendLocal;
    private Sandbox stubs;
    private Duration verifyAfter;
    private Duration startedIn;

    private DemoLauncher(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Starting the Senders demo: PostgreSQL, the sandbox and Payara Micro (about a minute)...");
        DemoLauncher demo = start(Options.fromSystemProperties());
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "senders-demo-shutdown"));
        demo.printWelcome();
        int exit = demo.payara.waitFor();
        demo.close();
        System.exit(exit);
    }

    public static DemoLauncher start(Options options) throws IOException, InterruptedException {
        DemoLauncher demo = new DemoLauncher(options);
        Instant started = Instant.now();
        try {
            demo.startDatabase();
            demo.startSandbox();
            demo.configureUnsubscribeLinks();
            demo.startPayara();
            demo.awaitReady(Duration.ofSeconds(180));
            demo.startedIn = Duration.between(started, Instant.now());
            return demo;
        } catch (IOException | InterruptedException | RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + options.httpPort() + "/");
    }

    public Map<String, String> environment() {
        return Map.copyOf(environment);
    }

    public String jdbcUrl() {
        return environment.get("SENDERS_DB_URL");
    }

    /** The local stand-ins and the DNS zone, when some provider is local. */
    public java.util.Optional<Sandbox> sandbox() {
        return java.util.Optional.ofNullable(stubs);
    }

    /** Payara Micro's output so far (tests: the launcher writes it to {@code payara.log} in the data folder). */
    public Path serverLog() {
        return options.dataDirectory().resolve("payara.log");
    }

    private void startDatabase() throws IOException {
        Path pgdata = options.dataDirectory().resolve("pgdata");
        Files.createDirectories(pgdata);
        database = EmbeddedPostgres.builder()
                .setDataDirectory(pgdata)
                .setCleanDataDirectory(false)
                .setPort(freePort())
                .start();
        environment.put("SENDERS_DB_URL", "jdbc:postgresql://127.0.0.1:" + database.getPort() + "/postgres");
        environment.put("SENDERS_DB_USER", "postgres");
        environment.put("SENDERS_DB_PASSWORD", "postgres");
    }

    /**
     * Without AWS (or Resend) credentials in the environment, local stub endpoints stand in for SES (and Resend):
     * SES marks a domain verified once {@code senders.demo.verify-after} (default PT30S) has passed. With SES local,
     * the module's live DNS checks ask the sandbox's loopback DNS zone, where a domain's records appear once the local
     * SES has verified it (and where its control page publishes common mistakes); with SES real, they ask the
     * system's resolvers, as in production.
     */
    private void startSandbox() {
        boolean realSes = present("AWS_ACCESS_KEY_ID") && present("AWS_SECRET_ACCESS_KEY");
        boolean realResend = present("RESEND_API_KEY");
        sesLocal = !realSes;
        resendLocal = !realResend;
        if (realSes && realResend) {
            return;
        }
        verifyAfter = Duration.parse(System.getProperty("senders.demo.verify-after", "PT30S"));
        String region = present("AWS_SES_REGION") ? System.getenv("AWS_SES_REGION").strip() : Sandbox.REGION;
        stubs = Sandbox.start(0, 0, 0, VerificationPolicy.afterDelay(verifyAfter), Sandbox.DKIM_DOMAIN, region);
        sandbox.add(stubs);
        environment.put("SENDERS_SANDBOX_ENABLED", "true");
        if (!realSes) {
            environment.put("SENDERS_SES_ENDPOINT", stubs.ses().endpoint().toString());
            environment.put("SENDERS_SES_ACCESS_KEY_ID", "AKIASANDBOXLOCAL0001");
            environment.put("SENDERS_SES_SECRET_ACCESS_KEY", "sandbox-secret-not-used");
            environment.put("SENDERS_SES_REGION", region);
            // the host the zone's DKIM CNAMEs point to, whatever the region
            environment.put("SENDERS_SES_DKIM_DOMAIN", Sandbox.DKIM_DOMAIN);
            environment.put("SENDERS_DNS_SERVERS", stubs.dns().address());
            // the background re-check every minute (production: every 4 hours), so that a domain the local SES
            // verifies shows as verified, with its records found, without "Verify now"
            environment.put("SENDERS_VERIFICATION_SCHEDULE_HOUR", "*");
            environment.put("SENDERS_VERIFICATION_SCHEDULE_MINUTE", "*");
            mailViewers.add("Amazon SES: " + stubs.ses().mailViewer());
        }
        if (!realResend) {
            environment.put("SENDERS_RESEND_BASE_URL", stubs.resend().endpoint().toString());
            environment.put("SENDERS_RESEND_API_KEY", "re_sandbox_local");
            mailViewers.add("Resend: " + stubs.resend().mailViewer());
        }
    }

    /**
     * One-click unsubscribe links in the mail the reference host's campaigns send (they ask for them): the links
     * point to this demo, signed with a secret made at the first start and kept in the data folder.
     */
    private void configureUnsubscribeLinks() {
        String base = baseUri().toString();
        environment.put("SENDERS_UNSUBSCRIBE_BASE_URL", base.substring(0, base.length() - 1));
        environment.put("SENDERS_UNSUBSCRIBE_SECRETS", UnsubscribeSecret.in(options.dataDirectory()));
    }

    private static boolean present(String variable) {
        String value = System.getenv(variable);
        return value != null && !value.isBlank();
    }

    private void startPayara() throws IOException {
        Path runtime = options.runtimeDirectory();
        Path micro = runtime.resolve("payara-micro.jar");
        Path war = runtime.resolve("senders-host.war");
        if (!Files.isRegularFile(micro) || !Files.isRegularFile(war)) {
            throw new IllegalStateException("Missing " + micro + " or " + war + ": build first with 'mvn install -DskipTests'");
        }
        Path preboot = options.dataDirectory().resolve("payara-preboot.asadmin");
        Files.writeString(preboot, "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=127.0.0.1\n"
                // the data grid (the EJB timer service needs it) on loopback only
                + "set hazelcast-runtime-configuration.interface=127.0.0.1\n");
        // Payara Micro's root directory starts empty every time (the data lives in the database): one left by the
        // last run still lists its deployment, and Payara Micro then undeploys the application right after
        // deploying it again, answering 503 to the first requests after the readiness check passed
        Path root = options.dataDirectory().resolve("payara");
        deleteTree(root);
        // a quiet start: Payara's trust store without its expired CA certificates (DemoTrustStore), and a log of
        // one line per record with Payara's start-up INFO left out (payara-logging.properties)
        Path trustStore = DemoTrustStore.write(micro, options.dataDirectory().resolve("payara-cacerts.p12"),
                Instant.now()).file();
        Path logging = options.dataDirectory().resolve("payara-logging.properties");
        try (var in = DemoLauncher.class.getResourceAsStream("payara-logging.properties")) {
            Files.write(logging, java.util.Objects.requireNonNull(in, "payara-logging.properties").readAllBytes());
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx512m",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.socket.bind.any=false", 
                "-Daws.disableEc2Metadata=true",
                "-Djavax.net.ssl.trustStore=" + trustStore,
                "-Djava.util.logging.SimpleFormatter.format=" + LOG_FORMAT,
                "-jar", micro.toString(),
                "--nocluster", "--disablephonehome",
                "--port", String.valueOf(options.httpPort()),
                "--prebootcommandfile", preboot.toString(),
                "--logproperties", logging.toString(),
                "--rootdir", root.toString(),
                "--deploy", war.toString(), "--contextroot", "/");
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().putIfAbsent("AWS_EC2_METADATA_DISABLED", "true");
        if (options.inheritOutput()) {
            builder.inheritIO();
        } else {
            builder.redirectErrorStream(true)
                    .redirectOutput(options.dataDirectory().resolve("payara.log").toFile());
        }
        payara = builder.start();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        // HTTP/1.1, no h2c upgrade: the first requests reach Payara before the application is deployed, and an upgrade
        // whose asker went away is logged as two WARNINGs with stack traces (seen on a busy machine)
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!payara.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with code " + payara.exitValue());
            }
            try {
                // ready: the module's readiness checks pass (database reachable, migrations applied) and the
                // host's pages are served. Each request waits for its answer (a busy machine may take long): one
                // abandoned early makes Payara log the failed write of its answer, a WARNING with a stack trace
                Duration wait = Duration.between(Instant.now(), deadline);
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(baseUri().resolve("/health/ready"))
                        .timeout(wait).build(), HttpResponse.BodyHandlers.discarding());
                HttpResponse<Void> page = http.send(HttpRequest.newBuilder(baseUri().resolve("login.html"))
                        .timeout(wait).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200 && page.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Payara Micro did not serve the application within " + timeout);
    }

    private void printWelcome() {
        System.out.println();
        System.out.println("==============================================================");
        System.out.println(" Senders demo ready in " + startedIn.toSeconds() + " s: " + baseUri());
        System.out.println("   Senders page:  " + baseUri().resolve("senders/"));
        System.out.println("   Analytics:     " + baseUri().resolve("analytics.html"));
        System.out.println(" Sign in (password: senders-demo):");
        System.out.println("   alice, bob    organization acme");
        System.out.println("   carol, dave   organization globex");
        System.out.println("   admin         platform admin");
        if (!mailViewers.isEmpty()) {
            System.out.println(" " + sandboxText(sesLocal, resendLocal) + ".");
            System.out.println("   Sent mail (local):");
            for (String viewer : mailViewers) {
                System.out.println("     " + viewer);
            }
        }
        if (sesLocal) {
            System.out.println("   Live DNS (local): a domain's records appear once the local SES");
            System.out.println("     has verified it, " + verifyAfter.toSeconds() + " s after it was added. Publish a");
            System.out.println("     common mistake, see the Senders page's advice: " + stubs.dnsPage());
        }
        System.out.println(" Database: embedded PostgreSQL, data in " + options.dataDirectory().resolve("pgdata"));
        System.out.println(" Stop with Ctrl+C.");
        System.out.println("==============================================================");
    }

    /**
     * The sandbox line: which provider is the local stand-in and which is real, in the words of the Senders page's
     * banner; "no email leaves this machine" only when both are local.
     */
    static String sandboxText(boolean sesLocal, boolean resendLocal) {
        if (sesLocal && resendLocal) {
            return "Sandbox: no email leaves this machine";
        }
        if (sesLocal) {
            return "Sandbox: Amazon SES is local, Resend is real: email sent through Resend leaves this machine";
        }
        if (resendLocal) {
            return "Sandbox: Resend is local, Amazon SES is real: email sent through Amazon SES leaves this machine";
        }
        return "Sandbox: Amazon SES and Resend are both real: email sent through them leaves this machine";
    }

    /** The sandbox line of this run's welcome text (both local unless credentials were found). */
    String sandboxText() {
        return sandboxText(sesLocal, resendLocal);
    }

    @Override
    public synchronized void close() {
        if (payara != null && payara.isAlive()) {
            payara.destroy();
            try {
                if (!payara.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    payara.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable closeable : sandbox) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // best effort on the way out
            }
        }
        sandbox.clear();
        if (database != null) {
            try {
                database.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            database = null;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
