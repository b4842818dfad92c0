package dev.senders.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Payara Micro processes with the reference host WAR, on loopback only: no multicast, no phone-home, the HTTP
 * listener and the data grid on 127.0.0.1; a cluster uses TCP/IP discovery of a fixed member list.
 */
final class Payara implements AutoCloseable {

    /** Data-grid ports of cluster members (not Payara's default 6900 nor ClusterIT's 6910/6911, which tests on this machine may use). */
    static final int[] HAZELCAST_PORTS = {6920, 6921};

    final String name;
    final int httpPort;
    final Path log;
    private final Process process;

    private Payara(String name, int httpPort, Path log, Process process) {
        this.name = name;
        this.httpPort = httpPort;
        this.log = log;
        this.process = process;
    }

    /** The process id (for its CPU time in /proc). */
    long pid() {
        return process.pid();
    }

    String base() {
        return "http://127.0.0.1:" + httpPort + "/";
    }

    /** One instance, not clustered. */
    static Payara single(Path runtime, Path work, String name, List<String> jvmOptions) throws IOException {
        return launch(runtime, work, name, jvmOptions, List.of("--nocluster"));
    }

    /** The members of one cluster (started one after the other, so each owns its data-grid port). */
    static List<Payara> cluster(Path runtime, Path work, String clusterName, List<String> jvmOptions)
            throws IOException {
        String members = String.join(",", java.util.Arrays.stream(HAZELCAST_PORTS)
                .mapToObj(p -> "127.0.0.1:" + p).toList());
        List<Payara> nodes = new ArrayList<>();
        for (int i = 0; i < HAZELCAST_PORTS.length; i++) {
            nodes.add(launch(runtime, work, clusterName + "-" + (char) ('a' + i), jvmOptions, List.of(
                    "--clustermode", "tcpip:" + members, "--interfaces", "127.0.0.1",
                    "--startport", String.valueOf(HAZELCAST_PORTS[i]), "--clustername", clusterName)));
        }
        return nodes;
    }

    private static Payara launch(Path runtime, Path work, String name, List<String> jvmOptions,
                                 List<String> clusterOptions) throws IOException {
        int port = freePort();
        Path log = work.resolve(name + ".log");
        // a fresh root directory: one left by an earlier run still lists its deployment, and Payara Micro then
        // undeployed the application right after deploying it again (seen as 404/500 on the first API call)
        Path root = work.resolve("root-" + name);
        if (Files.exists(root)) {
            try (var files = Files.walk(root)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", runtime.resolve("payara-micro.jar").toString()));
        command.addAll(clusterOptions);
        command.addAll(List.of("--disablephonehome", "--name", name,
                "--prebootcommandfile", work.resolve("preboot.asadmin").toString(),
                "--systemproperties", work.resolve("secrets.properties").toString(),
                "--rootdir", root.toString(),
                "--port", String.valueOf(port), "--contextroot", "/",
                "--deploy", runtime.resolve("senders-bench-app.war").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new Payara(name, port, log, process);
    }

    /** Waits until the module is ready and its API answers, or fails when the process died. */
    void awaitReady(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Payara Micro " + name + " exited; see " + log);
            }
            try {
                // the module is ready (its readiness check runs inside the application) and the host answers: a
                // static page alone answered 200 while the application was being undeployed again (see the root
                // directory above)
                Http.Reply ready = Http.anonymous(base()).get("health/ready");
                if (ready.status() == 200 && ready.body().contains("senders-database")
                        && Http.anonymous(base()).get("login.html").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Payara Micro " + name + " not ready within " + within + "; see " + log);
    }

    /** Waits until this member's log shows a data grid of {@code size} members. */
    void awaitDataGrid(String clusterName, int size, Duration within) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.readString(log).contains("DG Name: " + clusterName + " DG Size: " + size)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(name + " did not see a data grid of " + size + "; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
