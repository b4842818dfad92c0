package dev.senders.demo;

import dev.senders.sandbox.TestCredentials;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches the server logs of the whole end-to-end run (every Payara Micro the reference host's tests started, as
 * captured in its failsafe reports; the reactor builds that module first) for the credentials the tests configured.
 */
class NoSecretsInLogsTest {

    @Test
    void noConfiguredKeyAppearsInTheLogsOfTheEndToEndRun() throws IOException {
        Path reports = Path.of("..", "host", "target", "failsafe-reports");
        Assumptions.assumeTrue(Files.isDirectory(reports), "the end-to-end tests have not run in this build");
        List<Path> outputs;
        try (Stream<Path> files = Files.list(reports)) {
            outputs = files.filter(f -> f.getFileName().toString().endsWith("-output.txt")).toList();
        }
        assertThat(outputs).isNotEmpty();
        StringBuilder all = new StringBuilder();
        for (Path output : outputs) {
            all.append(Files.readString(output));
        }
        String logs = all.toString();
        // the logs are real: the module logged its SES client settings and the sign-in failures happened
        assertThat(logs).contains("Senders SES client");
        assertThat(logs).doesNotContain(TestCredentials.SES_SECRET_KEY)
                .doesNotContain(TestCredentials.SES_ACCESS_KEY)
                .doesNotContain(TestCredentials.RESEND_API_KEY);
    }
}
