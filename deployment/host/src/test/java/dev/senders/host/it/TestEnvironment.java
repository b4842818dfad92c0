package dev.senders.host.it;

import dev.senders.sandbox.LocalDnsServer;
import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.SesStub;
import dev.senders.sandbox.VerificationPolicy;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import org.postgresql.ds.PGSimpleDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the end-to-end tests run against, started once per test run before Arquillian starts Payara Micro.
 *
 * <p>The database is the machine's PostgreSQL when {@code SENDERS_TEST_DB_URL} (with {@code SENDERS_TEST_DB_USER}
 * and {@code SENDERS_TEST_DB_PASSWORD}) names one, otherwise an embedded PostgreSQL (io.zonky.test). Its public
 * schema is emptied at the start of the run. The values reach Payara Micro as system properties through
 * {@code arquillian.xml}'s {@code ${senders.test.*}} placeholders.
 */
public class TestEnvironment implements LauncherSessionListener {

    public static final String RESEND_API_KEY = dev.senders.sandbox.TestCredentials.RESEND_API_KEY;
    public static final String SES_ACCESS_KEY = dev.senders.sandbox.TestCredentials.SES_ACCESS_KEY;
    public static final String SES_SECRET_KEY = dev.senders.sandbox.TestCredentials.SES_SECRET_KEY;
    /**
     * The public URL the module's unsubscribe links name ({@code senders.unsubscribe.base-url}); the tests call the
     * links' paths on the instance under test.
     */
    public static final String UNSUBSCRIBE_BASE_URL = "https://mail.platform-mail.com";
    /** Resend's limit in the tests (its own default is 2 requests a second); the module enforces 0.92 of it. */
    public static final int RESEND_RATE = 10;

    private static EmbeddedPostgres embedded;
    private static SesStub ses;
    private static ResendStub resend;
    private static LocalDnsServer dns;
    private static PGSimpleDataSource dataSource;
    private static String jdbcUrl;
    private static String user;
    private static String password;
    private static int httpsPort;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (dataSource != null) {
            return;
        }
        try {
            startDatabase();
            resetSchema();
            ses = SesStub.start(0, VerificationPolicy.manual());
            resend = ResendStub.start();
            resend.expectApiKey(RESEND_API_KEY);
            dns = LocalDnsServer.start(zone());
            // the Arquillian-started instance runs without the verification timer: at hours 0, 4, 8, ... it would
            // re-check every pending sender the suite left, in the middle of tests that assert a request changed
            // nothing (ClusterIT runs the timer every minute on instances of its own; the admin's "run now" is the
            // same sweep)
            List<String> arquillianJvm = new ArrayList<>(payaraJvmOptions());
            arquillianJvm.add("-Dsenders.verification.enabled=false");
            System.setProperty("senders.test.cmdOptions", String.join(" ", arquillianJvm));
            System.setProperty("senders.test.microOptions", String.join(" ", payaraMicroOptions()));
            // the Arquillian-started instance also listens for https (Payara's own self-signed certificate), so that
            // tests can see what a browser gets over https; instances the tests start themselves (the cluster, the
            // fault suite's) do not, so that they never ask for the same port
            httpsPort = freeLoopbackPort();
            System.setProperty("senders.test.arquillianMicroOptions", String.join(" ", payaraMicroOptions())
                    + " --sslport " + httpsPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("test database unusable: " + e.getMessage(), e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (ses != null) {
            ses.close();
        }
        if (resend != null) {
            resend.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (embedded != null) {
            try {
                embedded.close();
            } catch (IOException ignored) {
                // the JVM is ending anyway
            }
        }
    }

    private static void startDatabase() throws IOException {
        String url = System.getenv("SENDERS_TEST_DB_URL");
        if (url != null && !url.isBlank()) {
            jdbcUrl = url;
            user = envOr("SENDERS_TEST_DB_USER", "postgres");
            password = envOr("SENDERS_TEST_DB_PASSWORD", "postgres");
        } else {
            embedded = EmbeddedPostgres.builder().start();
            jdbcUrl = "jdbc:postgresql://127.0.0.1:" + embedded.getPort() + "/postgres";
            user = "postgres";
            password = "postgres";
        }
        dataSource = dataSource(jdbcUrl);
    }

    public static PGSimpleDataSource dataSource(String url) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    private static void resetSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("drop schema if exists public cascade");
            s.execute("create schema public");
        }
    }

    /**
     * JVM options of the Payara Micro under test. {@code -XX:TieredStopAtLevel=1}: the client compiler only. Each
     * server lives a minute or two, too short for the optimizing compiler to pay back the CPU it takes from the tests
     * on 2 cores; startup measured 15.7 s with it and 11.5 s without, which over the suite's ~25 starts keeps
     * {@code mvn verify} within CI's 20 minutes on the slower machines.
     */
    public static List<String> payaraJvmOptions() {
        return List.of("-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-Dhazelcast.phone.home.enabled=false", "-Dhazelcast.socket.bind.any=false",
                "-Daws.disableEc2Metadata=true",
                "-Dsenders.db.url=" + jdbcUrl,
                "-Dsenders.db.user=" + user,
                "-Dsenders.db.password=" + password,
                "-Dsenders.ses.endpoint=" + ses.endpoint(),
                "-Dsenders.ses.region=ap-southeast-1",
                "-Dsenders.resend.base-url=" + resend.endpoint(),
                "-Dsenders.dns.servers=" + dns.address(),
                "-Dsenders.dns.timeout=PT1S",
                "-Dsenders.resend.from-address=notifications@platform-mail.com",
                "-Dsenders.unsubscribe.base-url=" + UNSUBSCRIBE_BASE_URL,
                "-Dsenders.rate.resend.per-second=" + RESEND_RATE,
                "-Dsenders.sns.allowed-topic-arns=" + sns().topicArn(),
                "-Dsenders.sns.event-topic-arn=" + sns().topicArn(),
                "-Dsenders.sns.test.trusted-cert-host=127.0.0.1:" + sns().certificatePort(),
                "-Dsenders.sns.test.trust-store=" + sns().trustStore(),
                "-Dsenders.sns.test.trust-store-password=" + sns().trustStorePassword());
    }

    /**
     * The SNS webhook's test-only settings: its topic, and the https server on 127.0.0.1 (trusted through the trust
     * store) that EventsIT starts on that port, with the trust store it generates, to serve signing certificates.
     */
    public record Sns(String topicArn, int certificatePort, Path trustStore, String trustStorePassword) {
    }

    private static Sns sns;

    public static synchronized Sns sns() {
        if (sns == null) {
            try (var free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                sns = new Sns("arn:aws:sns:ap-southeast-1:123456789012:senders-ses-events", free.getLocalPort(),
                        Path.of("target", "sns-test", "trust.p12").toAbsolutePath(), "sns-test-trust");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sns;
    }

    static List<String> payaraMicroOptions() throws IOException {
        return List.of("--disablephonehome", "--prebootcommandfile", prebootCommands().toString(),
                "--systemproperties", secrets().toString());
    }

    /** The credentials go in a file, not on the command line, so no process listing or log shows them. */
    public static Path secrets() throws IOException {
        Path file = Path.of("target", "payara-secrets.properties").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "senders.ses.access-key-id=" + SES_ACCESS_KEY + "\n"
                + "senders.ses.secret-access-key=" + SES_SECRET_KEY + "\n"
                + "senders.resend.api-key=" + RESEND_API_KEY + "\n"
                + "senders.unsubscribe.secrets=" + dev.senders.sandbox.TestCredentials.UNSUBSCRIBE_SECRET + ","
                + dev.senders.sandbox.TestCredentials.UNSUBSCRIBE_RETIRED_SECRET + "\n"
                // two Resend webhook secrets: a rotation in progress, either signs
                + "senders.resend.webhook-secret=" + dev.senders.sandbox.TestCredentials.RESEND_WEBHOOK_SECRET + ","
                + dev.senders.sandbox.TestCredentials.RESEND_WEBHOOK_SECRET_NEXT + "\n");
        return file;
    }

    /** The https port of the Arquillian-started Payara Micro, on 127.0.0.1 (its certificate: Payara's "s1as"). */
    public static int httpsPort() {
        return httpsPort;
    }

    private static int freeLoopbackPort() throws IOException {
        try (var free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        }
    }

    /** Binds Payara Micro's HTTP and HTTPS listeners to loopback. */
    static Path prebootCommands() throws IOException {
        Path file = Path.of("target", "payara-preboot.asadmin").toAbsolutePath();
        Files.createDirectories(file.getParent());
        Files.writeString(file, "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.http-listener.address=127.0.0.1\n"
                + "set configs.config.server-config.network-config.network-listeners"
                + ".network-listener.https-listener.address=127.0.0.1\n"
                // the data grid (the EJB timer service needs it) on loopback only
                + "set hazelcast-runtime-configuration.interface=127.0.0.1\n");
        return file;
    }

    /** The stub SES endpoint the deployed module talks to. */
    public static SesStub ses() {
        return ses;
    }

    /** The DNS server (dnsmasq on 127.0.0.1) the deployed module's record checks ask. */
    public static LocalDnsServer dns() {
        return dns;
    }

    /**
     * An empty zone in which every name under the test TLDs gets a real NXDOMAIN (not REFUSED); add records to it
     * and {@code dns().restartWith(zone)}.
     */
    public static LocalDnsServer.Zone zone() {
        return LocalDnsServer.Zone.of("com", "de", "net", "org");
    }

    /** The stub Resend endpoint the deployed module talks to. */
    public static ResendStub resend() {
        return resend;
    }

    public static DataSource db() {
        return dataSource;
    }

    public static String jdbcUrl() {
        return jdbcUrl;
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
