package dev.senders.host.it.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The suite's report: per class of case, how many were tried and how many held. Every recorded case rewrites
 * {@code target/security-report.md} (a Markdown table), so the file is complete whichever class of the suite runs
 * last, and also after a failure.
 */
public final class SecurityReport {

    public static final Path FILE = Path.of("target", "security-report.md");

    private record Row(String part, int tried, int held) {
    }

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    private SecurityReport() {
    }

    /** Runs one case of a class, records whether it held, and rethrows its failure. */
    public static void check(String part, String caseClass, ThrowingRunnable body) throws Throwable {
        boolean held = false;
        try {
            body.run();
            held = true;
        } finally {
            record(part, caseClass, held);
        }
    }

    public interface ThrowingRunnable {
        void run() throws Throwable;
    }

    public static synchronized void record(String part, String caseClass, boolean held) {
        Row row = ROWS.getOrDefault(caseClass, new Row(part, 0, 0));
        ROWS.put(caseClass, new Row(part, row.tried + 1, row.held + (held ? 1 : 0)));
        write();
    }

    private static void write() {
        StringBuilder md = new StringBuilder("| part | class of case | tried | result |\n|---|---|---|---|\n");
        ROWS.entrySet().stream().sorted(java.util.Comparator.comparing(e -> e.getValue().part)).forEach(e -> {
            String name = e.getKey();
            Row row = e.getValue();
            md.append("| ").append(row.part).append(" | ").append(name).append(" | ")
                .append(row.tried).append(" | ")
                .append(row.held == row.tried ? "all held" : (row.tried - row.held) + " FAILED").append(" |\n");
        });
        try {
            Files.createDirectories(FILE.toAbsolutePath().getParent());
            Files.writeString(FILE, "# Security and fault suite (issue 9)\n\n" + md);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
