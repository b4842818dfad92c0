package dev.senders.host.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Payara Micro with the reference host that a test starts (and SIGKILLs) itself, like Arquillian's: the same JVM
 * and Micro options ({@link TestEnvironment#payaraJvmOptions()}, loopback only, no cluster, no phone-home), on a
 * fixed port so that a restart keeps its address, context root {@code /}. Extra JVM options come after the
 * common ones, so they win ({@code -Dsenders.db.url=...} of a proxy, say).
 */
public final class PayaraProcess implements AutoCloseable {

    private final int port;
    private final URL base;
    private final List<String> extraJvmOptions;
    private final List<Process> started = new ArrayList<>();
    private Process current;

    public PayaraProcess(String... extraJvmOptions) {
        this.port = freePort();
        this.base = url("http://127.0.0.1:" + port + "/");
        this.extraJvmOptions = List.of(extraJvmOptions);
    }

    public URL base() {
        return base;
    }

    /** Starts an instance (its log in {@code target/<name>.log}) and waits until it serves the host's pages. */
    public PayaraProcess start(String name) throws IOException {
        Path log = Path.of("target", name + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(TestEnvironment.payaraJvmOptions());
        command.addAll(extraJvmOptions);
        command.addAll(List.of("-jar", System.getProperty("payara.microJar"), "--nocluster", "--port",
                String.valueOf(port), "--contextroot", "/"));
        command.addAll(TestEnvironment.payaraMicroOptions());
        command.addAll(List.of("--deploy", HostDeployment.withProbeFile().toString()));
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(server);
        current = server;
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
            assertThat(server.isAlive()).as("Payara Micro exited; see " + log).isTrue();
            try {
                return Api.anonymous(base).get("login.html").status() == 200;
            } catch (RuntimeException notYet) {
                return false;
            }
        });
        return this;
    }

    /** SIGKILL (destroyForcibly is SIGKILL on Linux) of the running instance; waits until it is gone. */
    public void kill() throws InterruptedException {
        current.destroyForcibly().waitFor();
    }

    @Override
    public void close() {
        started.forEach(Process::destroyForcibly);
        for (Process p : started) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static URL url(String s) {
        try {
            return URI.create(s).toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
