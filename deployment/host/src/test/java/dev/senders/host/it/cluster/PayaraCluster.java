package dev.senders.host.it.cluster;

import dev.senders.host.it.Api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two (or more) Payara Micro instances with the reference host WAR, clustered over Hazelcast on loopback only: TCP/IP
 * discovery of a fixed member list ({@code --clustermode tcpip:127.0.0.1:6910,127.0.0.1:6911}, one fixed data-grid
 * port each, {@code --interfaces 127.0.0.1}), a cluster name of their own (so they never meet another run's
 * instances), no multicast, no phone-home. Each instance gets the same JVM and Micro options as the Arquillian-started
 * server of the other tests ({@code TestEnvironment} publishes them as {@code senders.test.cmdOptions} and
 * {@code senders.test.microOptions}), so they share its PostgreSQL and stub SES/Resend/DNS.
 */
final class PayaraCluster implements AutoCloseable {

    /** Data-grid ports of the members (not 6900/6901, which other test runs on this machine may use). */
    static final int[] HAZELCAST_PORTS = {6910, 6911};

    private final String clusterName = "senders-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<String> extraJvmOptions;
    private final Node[] nodes = new Node[HAZELCAST_PORTS.length];

    /** One instance: its process, HTTP port (kept across a restart) and log. */
    static final class Node {
        final int index;
        final int httpPort;
        final URL base;
        volatile Process process;
        volatile Path log;

        Node(int index, int httpPort) {
            this.index = index;
            this.httpPort = httpPort;
            try {
                this.base = URI.create("http://127.0.0.1:" + httpPort + "/").toURL();
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }

        String name() {
            return "node-" + (char) ('a' + index);
        }

        /** SIGKILL (destroyForcibly is SIGKILL on Linux), and waits for the process to be gone. */
        void kill() throws InterruptedException {
            process.destroyForcibly().waitFor();
        }

        boolean alive() {
            return process != null && process.isAlive();
        }

        String logText() {
            try {
                return log == null || !Files.exists(log) ? "" : Files.readString(log);
            } catch (IOException e) {
                return "";
            }
        }
    }

    PayaraCluster(String... extraJvmOptions) {
        this.extraJvmOptions = List.of(extraJvmOptions);
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = new Node(i, freePort());
        }
    }

    Node node(int index) {
        return nodes[index];
    }

    /** Starts every member (one after the other, so the first owns its data-grid port), then waits for the cluster. */
    PayaraCluster start() throws IOException {
        // Hazelcast moves to the next free port when its own is taken, and the members then never meet
        for (int port : HAZELCAST_PORTS) {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException taken) {
                throw new IllegalStateException("data-grid port 127.0.0.1:" + port + " is in use (another cluster"
                        + " test or a leftover Payara Micro?)", taken);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
        for (Node node : nodes) {
            launch(node, "");
        }
        for (Node node : nodes) {
            awaitReady(node);
        }
        awaitMembers(nodes.length);
        return this;
    }

    /** Starts a member again (after a kill), on the same ports. */
    void restart(Node node) throws IOException {
        launch(node, "-restarted");
        awaitReady(node);
    }

    private void launch(Node node, String suffix) throws IOException {
        Path log = Path.of("target", "cluster-" + clusterName + "-" + node.name() + suffix + ".log").toAbsolutePath();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(split(requiredProperty("senders.test.cmdOptions")));
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-jar", requiredProperty("payara.microJar"),
                "--clustermode", "tcpip:" + memberList(),
                "--interfaces", "127.0.0.1",
                "--startport", String.valueOf(HAZELCAST_PORTS[node.index]),
                "--clustername", clusterName,
                "--name", node.name(),
                "--port", String.valueOf(node.httpPort),
                "--contextroot", "/"));
        command.addAll(split(requiredProperty("senders.test.microOptions")));
        command.addAll(List.of("--deploy", dev.senders.host.it.HostDeployment.withProbeFile().toString()));
        node.log = log;
        node.process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitReady(Node node) {
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(node.alive()).as("Payara Micro " + node.name() + " exited; see " + node.log).isTrue();
            try {
                return Api.anonymous(node.base).get("login.html").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
    }

    /** Payara logs the data grid's state when a member joins: "... DG Name: senders-it-… DG Size: 2". */
    private void awaitMembers(int size) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() ->
                Arrays.stream(nodes).allMatch(n -> n.logText().contains("DG Name: " + clusterName + " DG Size: " + size)));
    }

    private static String memberList() {
        return String.join(",", Arrays.stream(HAZELCAST_PORTS).mapToObj(p -> "127.0.0.1:" + p).toList());
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    }

    private static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the cluster tests with 'mvn verify'");
        }
        return value;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.process != null) {
                node.process.destroyForcibly();
            }
        }
        for (Node node : nodes) {
            if (node.process != null) {
                try {
                    node.process.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
