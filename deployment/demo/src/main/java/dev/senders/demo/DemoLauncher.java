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

    private final Options options;
    private EmbeddedPostgres database;
    private Process payara;
    private final List<AutoCloseable> sandbox = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> mailViewers = new ArrayList<>();
    private boolean sesLocal;
    private boolean resendLocal;

    private DemoLauncher(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        DemoLauncher demo = start(Options.fromSystemProperties());
        Runtime.getRuntime().addShutdownHook(new Thread(demo::close, "senders-demo-shutdown"));
        demo.printWelcome();
        int exit = demo.payara.waitFor();
        demo.close();
        System.exit(exit);
    }

    public static DemoLauncher start(Options options) throws IOException, InterruptedException {
        DemoLauncher demo = new DemoLauncher(options);
        try {
            demo.startDatabase();
            demo.startSandbox();
            demo.startPayara();
            demo.awaitReady(Duration.ofSeconds(180));
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
     * SES marks a domain verified once {@code senders.demo.verify-after} (default PT30S) has passed.
     */
    private void startSandbox() {
        boolean realSes = present("AWS_ACCESS_KEY_ID") && present("AWS_SECRET_ACCESS_KEY");
        boolean realResend = present("RESEND_API_KEY");
        sesLocal = !realSes;
        resendLocal = !realResend;
        if (realSes && realResend) {
            return;
        }
        Duration verifyAfter = Duration.parse(System.getProperty("senders.demo.verify-after", "PT30S"));
        Sandbox stubs = Sandbox.start(0, 0, VerificationPolicy.afterDelay(verifyAfter));
        sandbox.add(stubs);
        environment.put("SENDERS_SANDBOX_ENABLED", "true");
        // offline: no resolver may be asked, so the records show "could not check" rather than a guess
        environment.put("SENDERS_DNS_ENABLED", "false");
        if (!realSes) {
            environment.put("SENDERS_SES_ENDPOINT", stubs.ses().endpoint().toString());
            environment.put("SENDERS_SES_ACCESS_KEY_ID", "AKIASANDBOXLOCAL0001");
            environment.put("SENDERS_SES_SECRET_ACCESS_KEY", "sandbox-secret-not-used");
            mailViewers.add(stubs.ses().mailViewer().toString());
        }
        if (!realResend) {
            environment.put("SENDERS_RESEND_BASE_URL", stubs.resend().endpoint().toString());
            environment.put("SENDERS_RESEND_API_KEY", "re_sandbox_local");
            mailViewers.add(stubs.resend().mailViewer().toString());
        }
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
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = List.of(java.toString(), "-Xmx512m",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.socket.bind.any=false", 
                "-Daws.disableEc2Metadata=true",
                "-jar", micro.toString(),
                "--nocluster", "--disablephonehome",
                "--port", String.valueOf(options.httpPort()),
                "--prebootcommandfile", preboot.toString(),
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
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!payara.isAlive()) {
                throw new IllegalStateException("Payara Micro exited with code " + payara.exitValue());
            }
            try {
                // ready: the module's readiness checks pass (database reachable, migrations applied) and the
                // host's pages are served
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(baseUri().resolve("/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                HttpResponse<Void> page = http.send(HttpRequest.newBuilder(baseUri().resolve("login.html"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
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
        System.out.println(" Senders demo is running: " + baseUri());
        System.out.println("   Senders page:  " + baseUri().resolve("senders/"));
        System.out.println("   Analytics:     " + baseUri().resolve("analytics.html"));
        System.out.println(" Sign in (password: senders-demo):");
        System.out.println("   alice, bob    organization acme");
        System.out.println("   carol, dave   organization globex");
        System.out.println("   admin         platform admin");
        if (!mailViewers.isEmpty()) {
            System.out.println(" " + sandboxText(sesLocal, resendLocal) + ".");
            System.out.println("   Sent mail (local): " + String.join("  ", mailViewers));
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
