package dev.senders.host.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A module that cannot work must stop the server at startup, loudly: never a "ready" server answering 404, nor one
 * that fails at the first send.
 */
class StartupFailureIT {

    @Test
    void anUnreachableDatabaseStopsPayaraMicroWithAnError() throws IOException, InterruptedException {
        // nothing listens on port 1 of loopback: the connection is refused at once
        String output = startAndAwaitExit("startup-failure", o -> !o.startsWith("-Dsenders.db."), List.of(),
                Map.of("SENDERS_DB_URL", "jdbc:postgresql://127.0.0.1:1/senders"));
        assertThat(output).contains("Senders: the database could not be migrated");
    }

    /** The Resend API key travels in every request: plain http is refused unless the host is loopback. */
    @Test
    void aPlainHttpResendBaseUrlOffLoopbackStopsPayaraMicroNamingTheKey() throws IOException, InterruptedException {
        // .invalid never resolves (RFC 6761): nothing could leave the machine even if the check failed to stop it
        String output = startAndAwaitExit("startup-failure-resend-url",
                o -> !o.startsWith("-Dsenders.resend.base-url="),
                List.of("-Dsenders.resend.base-url=http://api.resend.invalid"), Map.of());
        assertThat(output).contains("Senders: invalid configuration; the module cannot start")
                .contains("senders.resend.base-url must be https")
                .doesNotContain(TestEnvironment.RESEND_API_KEY);
    }

    /**
     * Starts Payara Micro with the reference host and the test's JVM options that {@code keep} keeps (a system
     * property outranks an environment variable in MicroProfile Config), {@code extraOptions} and
     * {@code environment}, and waits for it to exit; returns its output.
     */
    private static String startAndAwaitExit(String name, Predicate<String> keep, List<String> extraOptions,
                                            Map<String, String> environment) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of("target"), name, ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(TestEnvironment.payaraJvmOptions().stream().filter(keep).toList());
        command.addAll(extraOptions);
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"), "--nocluster", "--autobindhttp"));
        command.addAll(TestEnvironment.payaraMicroOptions());
        command.addAll(List.of("--deploy", System.getProperty("senders.host.war")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process payara = builder.start();
        try {
            boolean exited = payara.waitFor(120, TimeUnit.SECONDS);
            String output = Files.readString(log);
            assertThat(exited).as("Payara Micro must exit, not stay up:\n" + tail(output)).isTrue();
            assertThat(payara.exitValue()).isNotZero();
            return output;
        } finally {
            payara.destroyForcibly();
        }
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
