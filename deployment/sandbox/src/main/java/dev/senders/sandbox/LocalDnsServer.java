package dev.senders.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real DNS server on 127.0.0.1 for tests: Debian's dnsmasq serving the records of a {@link Zone}, or a stub that
 * never answers ({@link #unresponsive()}) or answers every query with one error ({@link #answering(int)}).
 * Depends on the JDK only, so it can be copied to (or shared with) other modules' tests.
 * <pre>{@code
 * try (LocalDnsServer dns = LocalDnsServer.start(LocalDnsServer.Zone.of("acme.test")
 *         .txt("_amazonses.acme.test", "token")
 *         .cname("abc._domainkey.acme.test", "abc.dkim.amazonses.com"))) {
 *     // point the code at 127.0.0.1:dns.port(), e.g. senders.dns.servers=dns.address()
 *     dns.restartWith(otherZone); // same port, new records (dnsmasq does not reload records on SIGHUP)
 * }
 * }</pre>
 * The command line is {@code dnsmasq -k --conf-file=<tmp>/dnsmasq.conf --no-resolv --no-hosts --port=<free port>
 * --listen-address=127.0.0.1 --bind-interfaces --pid-file=<tmp>/dnsmasq.pid --cache-size=0 --log-queries
 * --log-facility=<tmp>/dnsmasq.log --user=<current user>}; the config file holds the lines of the {@link Zone}. If dnsmasq
 * is not installed, {@link #start} throws (tests FAIL, they are not skipped): install it with
 * {@code apt-get install -y dnsmasq-base} (or {@code dnsmasq}), or set {@code DNSMASQ} to its path.
 */
public final class LocalDnsServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final Path dir;
    private final int port;
    private Process process;
    private Thread shutdownHook;
    private final List<AutoCloseable> stubResources = new ArrayList<>();

    private LocalDnsServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts dnsmasq serving {@code zone} on a free port of 127.0.0.1; returns once it answers queries. */
    public static LocalDnsServer start(Zone zone) {
        String dnsmasq = dnsmasq();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            LocalDnsServer server;
            try {
                server = new LocalDnsServer(Files.createTempDirectory("dnsmasq-"), freePort());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                server.launch(dnsmasq, zone);
                return server;
            } catch (IllegalStateException e) {
                server.close();
                last = e;
                if (!e.getMessage().contains("in use")) {
                    throw e;
                }
            }
        }
        throw last;
    }

    /** A DNS "server" that reads queries (UDP and TCP) and never answers: every query times out. */
    public static LocalDnsServer unresponsive() {
        try {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(HOST, 0));
            ServerSocket tcp = new ServerSocket();
            LocalDnsServer server = new LocalDnsServer(null, udp.getLocalPort());
            server.stubResources.add(udp);
            server.stubResources.add(tcp);
            try {
                tcp.bind(new InetSocketAddress(HOST, udp.getLocalPort()));
            } catch (IOException ignored) {
                // UDP is what resolvers try first; without TCP a query still times out.
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A DNS server answering every UDP query with {@code rcode} (2 = SERVFAIL, 5 = REFUSED) and no records. */
    public static LocalDnsServer answering(int rcode) {
        try {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(HOST, 0));
            LocalDnsServer server = new LocalDnsServer(null, udp.getLocalPort());
            server.stubResources.add(udp);
            Thread thread = new Thread(() -> answerAll(udp, rcode), "dns-stub-rcode-" + rcode);
            thread.setDaemon(true);
            thread.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the records: stops dnsmasq and starts it again on the same port with {@code zone}. */
    public void restartWith(Zone zone) {
        if (dir == null) {
            throw new UnsupportedOperationException("a stub server has no records");
        }
        stop();
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                launch(dnsmasq(), zone);
                return;
            } catch (IllegalStateException e) {
                last = e;
                if (!e.getMessage().contains("in use")) {
                    throw e;
                }
                sleep(100);
            }
        }
        throw last;
    }

    public int port() {
        return port;
    }

    public String host() {
        return HOST;
    }

    /** {@code 127.0.0.1:<port>}, the form {@code senders.dns.servers} takes. */
    public String address() {
        return HOST + ":" + port;
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(HOST, port);
    }

    /** dnsmasq's log (queries and answers), for assertion messages; empty for stubs. */
    public String log() {
        return dir == null ? "" : read(dir.resolve("dnsmasq.log")) + read(dir.resolve("dnsmasq.out"));
    }

    public Path configFile() {
        return dir == null ? null : dir.resolve("dnsmasq.conf");
    }

    @Override
    public void close() {
        stop();
        for (AutoCloseable resource : stubResources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
        stubResources.clear();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp dir left behind
            }
        }
    }

    @Override
    public String toString() {
        return "LocalDnsServer[" + address() + (dir == null ? ", stub" : ", dnsmasq") + "]";
    }

    // ------------------------------------------------------------------------------------------------ dnsmasq

    /** The dnsmasq command line this server runs. */
    public List<String> command(String dnsmasq) {
        List<String> command = new ArrayList<>(List.of(dnsmasq, "-k",
                "--conf-file=" + dir.resolve("dnsmasq.conf"),
                "--no-resolv", "--no-hosts",
                "--port=" + port,
                "--listen-address=" + HOST, "--bind-interfaces",
                "--pid-file=" + dir.resolve("dnsmasq.pid"),
                "--cache-size=0",
                "--log-queries", "--log-facility=" + dir.resolve("dnsmasq.log")));
        userOption().ifPresent(command::add);
        return List.copyOf(command);
    }

    /**
     * dnsmasq switches to the user "dnsmasq" by default, which may not exist (dnsmasq-base): stay the current user,
     * {@code --user=root} as root, {@code --user=<name>} otherwise when the name is a known user.
     */
    private static java.util.Optional<String> userOption() {
        String user = System.getProperty("user.name", "");
        if (user.isBlank()) {
            return java.util.Optional.empty();
        }
        if (!"root".equals(user)) {
            try (Stream<String> passwd = Files.lines(Paths.get("/etc/passwd"))) {
                if (passwd.noneMatch(line -> line.startsWith(user + ":"))) {
                    return java.util.Optional.empty();
                }
            } catch (IOException | UncheckedIOException e) {
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.of("--user=" + user);
    }

    private void launch(String dnsmasq, Zone zone) {
        try {
            Files.writeString(dir.resolve("dnsmasq.conf"), zone.toConfig());
            Files.deleteIfExists(dir.resolve("dnsmasq.log"));
            process = new ProcessBuilder(command(dnsmasq)).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dnsmasq.out").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + dnsmasq + ": " + e.getMessage(), e);
        }
        Process started = process;
        shutdownHook = new Thread(started::destroyForcibly, "dnsmasq-killer-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.isAlive()) {
                String out = log();
                stop();
                throw new IllegalStateException("dnsmasq exited (" + started.exitValue() + ") instead of serving on port "
                        + port + ":\n" + out + "\nconfig:\n" + zone.toConfig());
            }
            if (answers()) {
                return;
            }
            sleep(20);
        }
        String out = log();
        stop();
        throw new IllegalStateException("dnsmasq did not answer on port " + port + " within " + STARTUP + ":\n" + out);
    }

    private boolean answers() {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(100);
            byte[] query = query(0x4242, "localdnsserver-ready.invalid", 1);
            socket.send(new DatagramPacket(query, query.length, InetAddress.getByName(HOST), port));
            byte[] buffer = new byte[512];
            socket.receive(new DatagramPacket(buffer, buffer.length));
            return true;
        } catch (SocketTimeoutException | SocketException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
            process = null;
        }
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
            shutdownHook = null;
        }
    }

    private static String dnsmasq() {
        String configured = System.getenv("DNSMASQ");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        List<Path> candidates = new ArrayList<>(List.of(Paths.get("/usr/sbin/dnsmasq"), Paths.get("/usr/bin/dnsmasq"),
                Paths.get("/sbin/dnsmasq")));
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(java.io.File.pathSeparator)) {
                if (!entry.isBlank()) {
                    candidates.add(Paths.get(entry, "dnsmasq"));
                }
            }
        }
        return findDnsmasq(candidates);
    }

    public static String findDnsmasq(List<Path> candidates) {
        return candidates.stream().filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("dnsmasq is not installed, and the DNS tests need a real DNS"
                        + " server on 127.0.0.1: install it with `apt-get install -y dnsmasq-base` (or `dnsmasq`; CI"
                        + " installs it), or set DNSMASQ to its path."));
    }

    private static int freePort() throws IOException {
        for (int i = 0; i < 20; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(HOST, 0))) {
                int candidate = udp.getLocalPort();
                try (ServerSocket tcp = new ServerSocket()) {
                    tcp.bind(new InetSocketAddress(HOST, candidate));
                    return candidate;
                } catch (IOException taken) {
                    // TCP side taken: try another
                }
            }
        }
        throw new IOException("no free port on " + HOST);
    }

    // -------------------------------------------------------------------------------------------------- stubs

    private static void answerAll(DatagramSocket socket, int rcode) {
        byte[] buffer = new byte[4096];
        while (!socket.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] reply = errorReply(packet.getData(), packet.getLength(), rcode);
                if (reply != null) {
                    socket.send(new DatagramPacket(reply, reply.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    /** The query's header and question, flagged as a response with {@code rcode} and no records. */
    private static byte[] errorReply(byte[] query, int length, int rcode) {
        if (length < 12) {
            return null;
        }
        int end = 12;
        while (end < length && query[end] != 0) {
            end += (query[end] & 0xff) + 1;
        }
        end += 5;
        if (end > length) {
            return null;
        }
        byte[] reply = java.util.Arrays.copyOf(query, end);
        reply[2] = (byte) (0x80 | (query[2] & 0x79));
        reply[3] = (byte) (0x80 | (rcode & 0x0f));
        reply[4] = 0;
        reply[5] = 1;
        for (int i = 6; i < 12; i++) {
            reply[i] = 0;
        }
        return reply;
    }

    private static byte[] query(int id, String name, int type) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) (id >> 8), (byte) id, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        out.writeBytes(wireName(name));
        out.writeBytes(new byte[]{0, (byte) type, 0, 1});
        return out.toByteArray();
    }

    private static byte[] wireName(String name) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (!n.isEmpty()) {
            for (String label : n.split("\\.", -1)) {
                byte[] bytes = label.getBytes(StandardCharsets.UTF_8);
                if (bytes.length == 0 || bytes.length > 63) {
                    throw new IllegalArgumentException("bad label in " + name);
                }
                out.write(bytes.length);
                out.writeBytes(bytes);
            }
        }
        out.write(0);
        return out.toByteArray();
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --------------------------------------------------------------------------------------------------- Zone

    /**
     * The records dnsmasq serves, as dnsmasq config lines. Names under the domains given to {@link #of} that have no
     * record get real NXDOMAIN / NODATA answers ({@code local=/domain/}); any other name gets REFUSED (no upstream).
     * Immutable: each method returns a new Zone.
     */
    public static final class Zone {

        private final List<String> lines;

        private Zone(List<String> lines) {
            this.lines = List.copyOf(lines);
        }

        /** The domains this server is authoritative for ({@code local=/acme.test/}). */
        public static Zone of(String... domains) {
            List<String> lines = new ArrayList<>();
            for (String domain : domains) {
                lines.add("local=/" + plain(domain) + "/");
            }
            return new Zone(lines);
        }

        /** A TXT record; several strings make one record of several strings (as DNS splits long values). */
        public Zone txt(String name, String... strings) {
            if (strings.length == 0) {
                throw new IllegalArgumentException("a TXT record needs at least one string");
            }
            StringBuilder line = new StringBuilder("txt-record=").append(plain(name));
            for (String s : strings) {
                line.append(",\"").append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
            return with(line.toString());
        }

        /** A CNAME (dnsmasq lower-cases the target; use {@link #cnameExact} to keep case or odd characters). */
        public Zone cname(String name, String target) {
            return with("cname=" + plain(name) + "," + plain(target));
        }

        /**
         * A CNAME whose target is served byte for byte (upper case, quote characters, ...) as a raw record
         * ({@code dns-rr=name,5,<wire format hex>}). Such a name answers only CNAME queries; dnsmasq says NXDOMAIN
         * for other types.
         */
        public Zone cnameExact(String name, String target) {
            StringBuilder hex = new StringBuilder();
            for (byte b : wireName(target)) {
                hex.append(String.format(Locale.ROOT, "%02x", b));
            }
            return with("dns-rr=" + plain(name) + ",5," + hex);
        }

        /** A and/or AAAA records ({@code host-record=}; it also adds PTR records, which do not matter here). */
        public Zone address(String name, String... ips) {
            Zone zone = this;
            for (String ip : ips) {
                zone = zone.with("host-record=" + plain(name) + "," + plain(ip));
            }
            return zone;
        }

        public Zone mx(String name, String host, int preference) {
            return with("mx-host=" + plain(name) + "," + plain(host) + "," + preference);
        }

        /** Queries under {@code domain} are forwarded to 127.0.0.1#port (e.g. an {@link #answering} stub). */
        public Zone forward(String domain, int port) {
            return with("server=/" + plain(domain) + "/" + HOST + "#" + port);
        }

        /** Any other dnsmasq config line. */
        public Zone line(String line) {
            return with(line);
        }

        public List<String> lines() {
            return lines;
        }

        public String toConfig() {
            return String.join("\n", lines) + "\n";
        }

        private Zone with(String line) {
            List<String> copy = new ArrayList<>(lines);
            copy.add(line);
            return new Zone(copy);
        }

        private static String plain(String s) {
            if (s == null || s.isBlank() || s.contains(",") || s.contains("\n") || s.contains("/")
                    || s.contains("\"")) {
                throw new IllegalArgumentException("not usable in a dnsmasq config line: " + s);
            }
            return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
        }

        @Override
        public String toString() {
            return toConfig();
        }
    }
}
