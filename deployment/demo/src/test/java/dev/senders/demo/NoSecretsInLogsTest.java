package dev.senders.demo;

import dev.senders.sandbox.TestCredentials;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches the server logs of the whole end-to-end run (every Payara Micro the reference host's tests started, as
 * captured in its failsafe reports; the reactor builds that module first) for the credentials the tests configured.
 */
class NoSecretsInLogsTest {

    @Test
    void noConfiguredKeyAppearsInTheLogsOfTheEndToEndRun() throws IOException {
        String logs = endToEndLogs();
        // the logs are real: the module logged its SES client settings and the sign-in failures happened
        assertThat(logs).contains("Senders SES client");
        assertThat(logs).doesNotContain(TestCredentials.SES_SECRET_KEY)
                .doesNotContain(TestCredentials.SES_ACCESS_KEY)
                .doesNotContain(TestCredentials.RESEND_API_KEY)
                .doesNotContain(TestCredentials.UNSUBSCRIBE_SECRET)
                .doesNotContain(TestCredentials.UNSUBSCRIBE_RETIRED_SECRET)
                .doesNotContain(TestCredentials.RESEND_WEBHOOK_SECRET)
                .doesNotContain(TestCredentials.RESEND_WEBHOOK_SECRET_NEXT)
                .doesNotContain(TestCredentials.RESEND_WEBHOOK_SECRET.substring("whsec_".length()));
    }

    /** Issue 8: the module's events are structured (logfmt) lines carrying the organization id and sender id. */
    @Test
    void theModulesEventsAreStructuredLinesWithTheOrganizationAndSenderIds() throws IOException {
        String logs = endToEndLogs();
        for (String line : List.of(
                "event=sender\\.added organization=\\S+ sender=\\d+ actor=\\S+ detail=\\S+@\\S+",
                "event=sender\\.removed organization=\\S+ sender=\\d+ actor=\\S+",
                "event=sender\\.default-set organization=\\S+ sender=\\d+ actor=\\S+",
                "event=sender\\.verified organization=\\S+ sender=\\d+ domain=\\S+",
                "event=sender\\.verification-failed organization=\\S+ sender=\\d+ domain=\\S+ reason=",
                "event=suppression\\.added organization=\\S+ (campaign=\\S+ )?scope=organization reason=complaint",
                "event=webhook\\.refused status=4\\d\\d reason=\\S+",
                "event=verification\\.sweep checked=\\d+ changed=\\d+")) {
            assertThat(Pattern.compile(line).matcher(logs).find()).as("a log line matching " + line).isTrue();
        }
    }

    private static String endToEndLogs() throws IOException {
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
        return all.toString();
    }
}
