package dev.senders.host.it;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.senders.sandbox.TestKeys;
import dev.senders.sandbox.SesStub;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SNS played by the tests (moved here from EventsIT, so that the webhook tests and the security suite share it): a
 * throw-away CA and an SNS-like signing certificate (CN and DNS name {@code sns.amazonaws.com}) made with the JDK's
 * {@code keytool}, served over TLS by a local https server on 127.0.0.1 on the port the module trusts through its
 * test-only setting ({@code senders.sns.test.trusted-cert-host} and a trust store holding the test CA, see
 * {@link TestEnvironment#sns()}); messages signed with the string to sign AWS documents.
 *
 * <p>One PKI and one https server per test run ({@link #pki()}, {@link #host()}), started on first use: the port is
 * fixed for the whole run, and the trust store the module reads is written once.
 */
public final class SnsFixtures {

    public static final String CERT_PATH = "/SimpleNotificationService-test.pem";

    private static Pki pki;
    private static SnsHost host;

    private SnsFixtures() {
    }

    /** The run's PKI (its trust store is the one the module is pointed at). */
    public static synchronized Pki pki() {
        if (pki == null) {
            pki = Pki.create(TestEnvironment.sns().trustStore());
        }
        return pki;
    }

    /** The run's SNS-like https host: the signing certificate at {@link #CERT_PATH}, and 200 for a confirmation. */
    public static synchronized SnsHost host() {
        if (host == null) {
            host = new SnsHost(pki(), TestEnvironment.sns().certificatePort());
            host.serve(CERT_PATH, 200, pki.signerPem);
            host.serve("/", 200, "<ConfirmSubscriptionResponse/>".getBytes(StandardCharsets.UTF_8));
            Runtime.getRuntime().addShutdownHook(new Thread(host::close));
        }
        return host;
    }

    /** An SNS message as SNS posts it, signed by the test PKI; the string to sign follows AWS's documentation. */
    public static final class Sns {
        public String type = "Notification";
        public String messageId = UUID.randomUUID().toString();
        public String topicArn = TestEnvironment.sns().topicArn();
        public String subject;
        public String message;
        public String timestamp = Instant.now().toString();
        public String signatureVersion = "2";
        public String signingCertUrl = host().url(CERT_PATH);
        public String subscribeUrl;
        public String token;

        public static Sns notification(String message) {
            Sns m = new Sns();
            m.message = message;
            return m;
        }

        public static Sns confirmation(String subscribeUrl, String token) {
            Sns m = new Sns();
            m.type = "SubscriptionConfirmation";
            m.message = "You have chosen to subscribe to the topic " + m.topicArn + ".";
            m.subscribeUrl = subscribeUrl;
            m.token = token;
            return m;
        }

        public Sns with(Consumer<Sns> change) {
            change.accept(this);
            return this;
        }

        public String stringToSign() {
            StringBuilder s = new StringBuilder("Message\n" + message + "\nMessageId\n" + messageId + "\n");
            if (type.equals("Notification")) {
                if (subject != null) {
                    s.append("Subject\n").append(subject).append('\n');
                }
                s.append("Timestamp\n").append(timestamp).append('\n');
            } else {
                s.append("SubscribeURL\n").append(subscribeUrl).append("\nTimestamp\n").append(timestamp)
                        .append("\nToken\n").append(token).append('\n');
            }
            return s.append("TopicArn\n").append(topicArn).append("\nType\n").append(type).append('\n').toString();
        }

        public String body(Pki pki) {
            return body(pki.sign(stringToSign(), signatureVersion));
        }

        public String body(String signature) {
            JsonObjectBuilder b = Json.createObjectBuilder().add("Type", type).add("MessageId", messageId);
            if (token != null) {
                b.add("Token", token);
            }
            b.add("TopicArn", topicArn);
            if (subject != null) {
                b.add("Subject", subject);
            }
            b.add("Message", message).add("Timestamp", timestamp).add("SignatureVersion", signatureVersion)
                    .add("Signature", signature).add("SigningCertURL", signingCertUrl);
            if (subscribeUrl != null) {
                b.add("SubscribeURL", subscribeUrl);
            } else {
                b.add("UnsubscribeURL", "https://sns.ap-southeast-1.amazonaws.com/?Action=Unsubscribe"
                        + "&SubscriptionArn=" + topicArn + ":1");
            }
            return b.build().toString();
        }
    }

    /**
     * A throw-away PKI made with the JDK's keytool: a CA; an SNS-like signing certificate it issued (CN and DNS name
     * sns.amazonaws.com); a TLS certificate for 127.0.0.1 and localhost; and the trust store (the CA) the module is
     * pointed at.
     */
    public static final class Pki {
        static final String PASSWORD = "sns-test-trust";

        final Path dir;
        public final PrivateKey signerKey;
        public final byte[] signerPem;
        public final PrivateKey tlsKey;
        final Path tlsKeyStore;

        private Pki(Path dir, Path trustStore) throws IOException {
            this.dir = dir;
            keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "5",
                    "-dname", "CN=Senders Test CA, O=Senders Tests", "-ext", "bc:c", "-keystore", "ca.p12");
            keytool("-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
            issue("signer", "CN=sns.amazonaws.com", "SAN=dns:sns.amazonaws.com", "KU=digitalSignature");
            issue("tls", "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost", "EKU=serverAuth");
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "tls.p12");
            keytool("-importcert", "-noprompt", "-alias", "tls", "-file", "tls.pem", "-keystore", "tls.p12");
            Files.createDirectories(trustStore.getParent());
            Files.deleteIfExists(trustStore);
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", trustStore.toString());
            signerPem = Files.readAllBytes(dir.resolve("signer.pem"));
            signerKey = key("signer");
            tlsKey = key("tls");
            tlsKeyStore = dir.resolve("tls.p12");
        }

        static Pki create(Path trustStore) {
            try {
                return new Pki(Files.createTempDirectory("events-it-pki-"), trustStore);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void issue(String alias, String dname, String... extensions) {
            keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3",
                    "-dname", dname, "-keystore", alias + ".p12");
            keytool("-certreq", "-alias", alias, "-file", alias + ".csr", "-keystore", alias + ".p12");
            List<String> args = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                    alias + ".csr", "-outfile", alias + ".pem", "-rfc", "-validity", "3"));
            for (String extension : extensions) {
                args.add("-ext");
                args.add(extension);
            }
            keytool(args.toArray(String[]::new));
        }

        private PrivateKey key(String alias) {
            return TestKeys.privateKey(dir.resolve(alias + ".p12"), alias, PASSWORD);
        }

        public String sign(String text, String signatureVersion) {
            return sign(text, signatureVersion, signerKey);
        }

        public static String sign(String text, String signatureVersion, PrivateKey key) {
            return TestKeys.snsSignature(text, signatureVersion, key);
        }

        private void keytool(String... args) {
            TestKeys.keytool(dir, PASSWORD, args);
        }
    }

    public static final class SnsHost implements AutoCloseable {
        private final HttpsServer server;
        private final Map<String, byte[]> bodies = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<String, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
        public final List<String> requests = new CopyOnWriteArrayList<>();

        SnsHost(Pki pki, int port) {
            try (InputStream in = Files.newInputStream(pki.tlsKeyStore)) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(in, Pki.PASSWORD.toCharArray());
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, Pki.PASSWORD.toCharArray());
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(kmf.getKeyManagers(), null, null);
                server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
                server.setHttpsConfigurator(new HttpsConfigurator(tls));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            server.setExecutor(Executors.newFixedThreadPool(4));
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getRawPath();
                String query = exchange.getRequestURI().getRawQuery();
                requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
                byte[] body = bodies.getOrDefault(path, new byte[0]);
                exchange.sendResponseHeaders(statuses.getOrDefault(path, 404), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
        }

        public void serve(String path, int status, byte[] body) {
            statuses.put(path, status);
            bodies.put(path, body);
        }

        public int port() {
            return server.getAddress().getPort();
        }

        public String url(String path) {
            return "https://127.0.0.1:" + port() + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
