package dev.senders.bench;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The bench's phase 2 (the cluster's figures: 2, 3, 15.5 on two instances, 15.6) in a JVM of its own, with ZGC.
 * <p>
 * Why. The SES stub runs in the bench's JVM, and in phase 2 it stands in for a service on other machines that counts
 * every request against MaxSendRate as it arrives. Under G1, the bench JVM's young collections stopped it for 47-77 ms
 * on this machine, with the two instances keeping the cores busy. The requests that
 * arrived on time during such a pause reached the stub's handler together as it ended, and the sliding second that
 * began with them held more than MaxSendRate: in a run of figure 15.6 with the bench JVM's GC log, both bursts of
 * throttles (at 200 and at 500 a second) began about one second after such a pause ended, while on the loopback no
 * second held more than the quota. ZGC does not stop the stub for longer than a millisecond; the CPU scheduler of a
 * busy machine still can (docs/benchmarks.md, "Pauses and throttles at production quotas").
 * <p>
 * Why only phase 2. Phase 1's ratios compare the module, in Payara, with bare loops in the bench JVM (15.2, 15.3);
 * another collector there would change their baselines. Phase 2's figures are measured against the stub's quota, the
 * database's counters and the wall clock, none against a loop of the bench's JVM.
 * <p>
 * {@code -Dbench.cluster.jvm} replaces the JVM options ({@value #DEFAULT_OPTIONS}); {@code -Dbench.cluster.fork=false}
 * runs phase 2 in the bench's JVM, as before. The table rows and notes come back through a JSON file.
 */
final class ClusterPhaseJvm {

    static final String DEFAULT_OPTIONS = "-XX:+UseZGC -Xmx2g";
    /** Set in the child: where it writes its rows and notes instead of printing the table. */
    static final String RESULTS_PROPERTY = "bench.cluster.results";

    private ClusterPhaseJvm() {
    }

    /** Whether phase 2 is to run in a JVM of its own (this JVM is not already that one, and it is not turned off). */
    static boolean wanted() {
        return System.getProperty(RESULTS_PROPERTY) == null
                && Boolean.parseBoolean(System.getProperty("bench.cluster.fork", "true"));
    }

    /**
     * Runs phase 2 in a new JVM (the same classes and bench properties, its output to this one's), waits for it and
     * adds its rows and notes to {@code rows} and {@code notes}.
     */
    static void run(Path work, List<String[]> rows, List<String> notes) throws IOException, InterruptedException {
        Path results = work.resolve("cluster-phase.json");
        Files.deleteIfExists(results);
        String options = System.getProperty("bench.cluster.jvm", DEFAULT_OPTIONS).trim();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options.split("\\s+")));
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("bench.") || key.startsWith("aws.") || key.startsWith("sun.net.httpserver.")) {
                command.add("-D" + key + "=" + System.getProperty(key));
            }
        }
        command.addAll(List.of("-Dbench.phases=2", "-D" + RESULTS_PROPERTY + "=" + results,
                "-cp", classPath(), Bench.class.getName()));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0 || !Files.exists(results)) {
            throw new IllegalStateException("phase 2's JVM ended with " + exit + " (its output is above)");
        }
        try (JsonReader reader = Json.createReader(Files.newBufferedReader(results, StandardCharsets.UTF_8))) {
            JsonObject written = reader.readObject();
            for (JsonArray cells : written.getJsonArray("rows").getValuesAs(JsonArray.class)) {
                rows.add(cells.getValuesAs(JsonString::getString).toArray(String[]::new));
            }
            notes.addAll(written.getJsonArray("notes").getValuesAs(JsonString::getString));
        }
        notes.add("phase 2 (the cluster's figures) ran in a JVM of its own (" + options + "), so that no G1 pause of"
                + " the bench's JVM held the stubs' requests back (ClusterPhaseJvm); -Dbench.cluster.fork=false runs"
                + " it in the bench's JVM");
    }

    /** In the child: its rows and notes, for the JVM that started it. */
    static void write(Path results, List<String[]> rows, List<String> notes) throws IOException {
        JsonArrayBuilder table = Json.createArrayBuilder();
        rows.forEach(cells -> table.add(Json.createArrayBuilder(List.of(cells))));
        Files.writeString(results, Json.createObjectBuilder().add("rows", table)
                .add("notes", Json.createArrayBuilder(notes)).build().toString(), StandardCharsets.UTF_8);
    }

    /** The bench's classes and dependencies: exec:java's class loader lists them; a plain JVM has its class path. */
    private static String classPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = Bench.class.getClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (URISyntaxException | IllegalArgumentException notAFile) {
                        // not a local file: nothing a class path can name
                    }
                }
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }
}
