package dev.senders.host.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database the module cannot reach must stop the server at startup, loudly: never a "ready" server answering 404.
 */
class StartupFailureIT {

    @Test
    void anUnreachableDatabaseStopsPayaraMicroWithAnError() throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of("target"), "startup-failure", ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(TestEnvironment.payaraJvmOptions().stream()
                .filter(o -> !o.startsWith("-Dsenders.db.")).toList());
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"), "--nocluster", "--autobindhttp"));
        command.addAll(TestEnvironment.payaraMicroOptions());
        command.addAll(List.of("--deploy", System.getProperty("senders.host.war")));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // nothing listens on port 1 of loopback: the connection is refused at once
        builder.environment().put("SENDERS_DB_URL", "jdbc:postgresql://127.0.0.1:1/senders");
        Process payara = builder.start();
        try {
            boolean exited = payara.waitFor(120, TimeUnit.SECONDS);
            String output = Files.readString(log);
            assertThat(exited).as("Payara Micro must exit, not stay up without its database:\n" + tail(output))
                    .isTrue();
            assertThat(payara.exitValue()).isNotZero();
            assertThat(output).contains("Senders: the database could not be migrated");
        } finally {
            payara.destroyForcibly();
        }
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }
}
