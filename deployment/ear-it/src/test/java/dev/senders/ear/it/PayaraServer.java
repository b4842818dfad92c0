package dev.senders.ear.it;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A Payara Server (full profile) domain that the test starts and stops itself with {@code asadmin}, loopback only.
 *
 * <p>Maven unpacks the server into {@code target/payara6} ({@code payara.server.home}); every run copies its pristine
 * {@code domain1} into a fresh domain under {@code target/payara-domains}, and edits that domain's
 * {@code domain.xml} before the first start (so nothing ever listens beyond loopback, not even during the boot):
 * <ul>
 *     <li>every listener (HTTP, HTTPS, admin, IIOP, JMX, JMS) on 127.0.0.1, on free ports;</li>
 *     <li>the data grid (Hazelcast) on 127.0.0.1, its own phone-home off ({@code -Dhazelcast.phone.home.enabled=false})
 *     and Payara's phone-home off ({@code <phone-home-runtime-configuration enabled="false"/>}, what
 *     {@code asadmin disable-phone-home} writes);</li>
 *     <li>the JVM options given (flags the JVM needs at its start) and the system properties given (the application's
 *     MicroProfile Config: they go into {@code domain.xml}'s {@code <system-property>} elements, so that no secret is
 *     on the command line).</li>
 * </ul>
 * Nothing else is configured in the server: the data source, the sign-in and the defaults of the configuration come
 * from the deployed EAR.
 */
public final class PayaraServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PayaraServer.class.getName());
    private static final String DOMAIN = "senders-ear";

    private final Path home;
    private final Path domains;
    private final Path domainDir;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private boolean started;
    private Thread shutdownHook;

    public PayaraServer(Path home, Path domains) {
        this.home = home.toAbsolutePath();
        this.domains = domains.toAbsolutePath();
        this.domainDir = this.domains.resolve(DOMAIN);
    }

    /** A fresh copy of the distribution's domain1, configured loopback-only with these options and properties. */
    public PayaraServer configure(List<String> jvmOptions, Map<String, String> systemProperties) throws Exception {
        Path template = home.resolve("glassfish/domains/domain1");
        if (!Files.isDirectory(template)) {
            throw new IllegalStateException(template + " is missing: run the tests with 'mvn verify'");
        }
        deleteRecursively(domainDir);
        copyRecursively(template, domainDir);
        for (String name : List.of("http", "https", "admin", "iiop", "iiop-ssl", "iiop-mutual", "jmx", "jms",
                "osgi-shell", "hazelcast", "hazelcast-das")) {
            ports.put(name, freePort());
        }
        Path xml = domainDir.resolve("config/domain.xml");
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        Element domain = doc.getDocumentElement();
        Element config = (Element) one(doc, "/domain/configs/config[@name='server-config']");

        // Payara's phone-home off (what asadmin disable-phone-home writes into the configuration)
        Element phoneHome = doc.createElement("phone-home-runtime-configuration");
        phoneHome.setAttribute("enabled", "false");
        config.appendChild(phoneHome);

        // the data grid: members and the DAS's own on loopback only
        Element hazelcast = (Element) one(doc, "/domain/hazelcast-runtime-configuration");
        hazelcast.setAttribute("interface", "127.0.0.1");
        hazelcast.setAttribute("das-bind-address", "127.0.0.1");
        hazelcast.setAttribute("das-public-address", "127.0.0.1");
        hazelcast.setAttribute("start-port", String.valueOf(ports.get("hazelcast")));
        hazelcast.setAttribute("das-port", String.valueOf(ports.get("hazelcast-das")));

        Map<String, String> listeners = Map.of("http-listener-1", "http", "http-listener-2", "https",
                "admin-listener", "admin");
        for (Element listener : elements(config, "network-config/network-listeners/network-listener")) {
            listener.setAttribute("address", "127.0.0.1");
            listener.setAttribute("port", String.valueOf(ports.get(listeners.get(listener.getAttribute("name")))));
        }
        Map<String, String> iiop = Map.of("orb-listener-1", "iiop", "SSL", "iiop-ssl", "SSL_MUTUALAUTH", "iiop-mutual");
        for (Element listener : elements(config, "iiop-service/iiop-listener")) {
            listener.setAttribute("address", "127.0.0.1");
            listener.setAttribute("port", String.valueOf(ports.get(iiop.get(listener.getAttribute("id")))));
        }
        Element jmx = (Element) one(config, "admin-service/jmx-connector");
        jmx.setAttribute("address", "127.0.0.1");
        jmx.setAttribute("port", String.valueOf(ports.get("jmx")));
        for (Element property : elements(config, "system-property[@name='JMS_PROVIDER_PORT']")) {
            property.setAttribute("value", String.valueOf(ports.get("jms")));
        }
        // the embedded JMS broker's lazy proxy listener (started when an EJB module deploys) binds 0.0.0.0 for a
        // host "localhost" (the default the server writes at its first start) and the address itself for any other
        Element jms = doc.createElement("jms-service");
        jms.setAttribute("type", "EMBEDDED");
        jms.setAttribute("default-jms-host", "default_JMS_host");
        Element jmsHost = doc.createElement("jms-host");
        jmsHost.setAttribute("name", "default_JMS_host");
        jmsHost.setAttribute("host", "127.0.0.1");
        jmsHost.setAttribute("port", "${JMS_PROVIDER_PORT}");
        jms.appendChild(jmsHost);
        config.appendChild(jms);
        // the EJB timer service's and the default H2 databases: embedded only, no AUTO_SERVER (H2 would open a TCP
        // server on every interface when the timer database is first opened)
        for (Element url : elements(domain, "resources/jdbc-connection-pool/property[@name='URL']")) {
            url.setAttribute("value", url.getAttribute("value").replace(";AUTO_SERVER=TRUE", ""));
        }

        Element java = (Element) one(config, "java-config");
        for (Element option : elements(java, "jvm-options")) {
            if (option.getTextContent().startsWith("-Dosgi.shell.telnet.port=")) {
                option.setTextContent("-Dosgi.shell.telnet.port=" + ports.get("osgi-shell"));
            }
        }
        for (String option : jvmOptions) {
            Element element = doc.createElement("jvm-options");
            element.setTextContent(option);
            java.appendChild(element);
        }
        systemProperties.forEach((name, value) -> {
            Element property = doc.createElement("system-property");
            property.setAttribute("name", name);
            property.setAttribute("value", value);
            config.appendChild(property);
        });

        var transformer = TransformerFactory.newInstance().newTransformer();
        transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
        transformer.transform(new DOMSource(doc), new StreamResult(xml.toFile()));
        return this;
    }

    /** The ports this domain was given, by listener. */
    public Map<String, Integer> ports() {
        return Map.copyOf(ports);
    }

    public int httpPort() {
        return ports.get("http");
    }

    public int adminPort() {
        return ports.get("admin");
    }

    /** The root of the server's HTTP listener ({@code /health}, {@code /metrics}, and the EAR's web module at /). */
    public URL base() {
        try {
            return URI.create("http://127.0.0.1:" + httpPort() + "/").toURL();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path log() {
        return domainDir.resolve("logs/server.log");
    }

    public void start() throws IOException, InterruptedException {
        shutdownHook = new Thread(this::stopQuietly, "payara-server-stop");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        started = true;
        asadmin(Duration.ofMinutes(4), "start-domain", "--domaindir", domains.toString(), DOMAIN);
    }

    /** {@code asadmin deploy} of the archive (an EAR: its modules' context roots come from its application.xml). */
    public void deploy(Path archive, String name) throws IOException, InterruptedException {
        asadmin(Duration.ofMinutes(5), "--host", "127.0.0.1", "--port", String.valueOf(adminPort()),
                "deploy", "--name", name, archive.toAbsolutePath().toString());
    }

    /** The server's process id (what start-domain wrote into the domain's config/pid). */
    public long pid() throws IOException {
        return Long.parseLong(Files.readString(domainDir.resolve("config/pid")).trim());
    }

    /**
     * Every TCP socket the server process listens on, as address:port, read from /proc (Linux): the sockets among
     * the process's file descriptors that /proc/net/tcp and tcp6 list in state LISTEN.
     */
    public List<String> listeningSockets() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", String.valueOf(pid()), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while we listed them
                }
            }
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                if (!f[3].equals("0A") || !inodes.contains(f[9])) {
                    continue;
                }
                String[] addressAndPort = f[1].split(":");
                InetAddress address = InetAddress.getByAddress(procAddress(addressAndPort[0]));
                listening.add(address.getHostAddress() + ":" + Integer.parseInt(addressAndPort[1], 16));
            }
        }
        return listening;
    }

    /** /proc/net/tcp's hex address: 32-bit words in host (little-endian) order. */
    private static byte[] procAddress(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return bytes;
    }

    /** The server's configuration as it stands now (the server rewrites domain.xml when it starts). */
    public String domainXml() throws IOException {
        return Files.readString(domainDir.resolve("config/domain.xml"));
    }

    /** The last lines of the server's log, for a failure's message. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log(), StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | RuntimeException e) {
            return "(no server log: " + e + ")";
        }
    }

    /** asadmin stop-domain; if the server is still there after it, SIGKILL. */
    @Override
    public void close() {
        stopQuietly();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }

    private synchronized void stopQuietly() {
        if (!started) {
            return;
        }
        started = false;
        Long pid = null;
        try {
            pid = pid();
        } catch (IOException | RuntimeException noPidFile) {
            // not started far enough to write it
        }
        try {
            asadmin(Duration.ofMinutes(1), "stop-domain", "--domaindir", domains.toString(), DOMAIN);
        } catch (IOException | InterruptedException | RuntimeException e) {
            LOG.warning("asadmin stop-domain failed: " + e);
        }
        if (pid != null) {
            ProcessHandle.of(pid).ifPresent(server -> {
                LOG.warning("Payara Server " + server.pid() + " still running after stop-domain: killing it");
                server.destroyForcibly();
                server.onExit().orTimeout(30, TimeUnit.SECONDS).join();
            });
        }
    }

    private void asadmin(Duration timeout, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(home.resolve("bin/asadmin").toString(), "--interactive=false"));
        command.addAll(List.of(arguments));
        Path output = domains.resolve("asadmin-" + arguments[arguments[0].startsWith("--") ? 4 : 0] + ".log");
        Files.createDirectories(domains);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        String javaHome = System.getProperty("java.home");
        builder.environment().put("AS_JAVA", javaHome);
        builder.environment().put("JAVA_HOME", javaHome);
        long begin = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("asadmin " + String.join(" ", arguments) + " did not finish within "
                    + timeout + ":\n" + Files.readString(output) + "\n--- server log:\n" + logTail(80));
        }
        LOG.info("asadmin " + arguments[arguments[0].startsWith("--") ? 4 : 0] + ": "
                + Duration.ofNanos(System.nanoTime() - begin).toMillis() + " ms");
        if (process.exitValue() != 0) {
            throw new IllegalStateException("asadmin " + String.join(" ", arguments) + " failed ("
                    + process.exitValue() + "):\n" + Files.readString(output) + "\n--- server log:\n" + logTail(120));
        }
    }

    private static Node one(Object context, String xpath) throws Exception {
        Node node = (Node) XPathFactory.newInstance().newXPath().evaluate(xpath, context, XPathConstants.NODE);
        if (node == null) {
            throw new IllegalStateException("domain.xml has no " + xpath);
        }
        return node;
    }

    private static List<Element> elements(Object context, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, context,
                XPathConstants.NODESET);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyRecursively(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
