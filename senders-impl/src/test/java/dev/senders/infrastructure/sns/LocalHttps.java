package dev.senders.infrastructure.sns;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An https server on 127.0.0.1 with the test PKI's TLS certificate (for 127.0.0.1 and localhost), standing in for
 * the SNS host: it serves what {@link #serve} registers by path and records every request it sees.
 */
final class LocalHttps implements AutoCloseable {

    record Answer(int status, byte[] body, Map<String, String> headers) {
    }

    private final HttpsServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** "GET /path?query" of every request, in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();

    LocalHttps(TestPki pki) {
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pki.tlsKeyStore)) {
                keys.load(in, TestPki.PASSWORD.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, TestPki.PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path + (query == null ? "" : "?" + query));
            exchange.getRequestBody().readAllBytes();
            Answer answer = answers.getOrDefault(path, new Answer(404, new byte[0], Map.of()));
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            if (answer.body().length > 0) {
                exchange.getResponseBody().write(answer.body());
            }
            exchange.close();
        });
        server.start();
    }

    void serve(String path, int status, byte[] body) {
        answers.put(path, new Answer(status, body, Map.of()));
    }

    void redirect(String path, String location) {
        answers.put(path, new Answer(302, new byte[0], Map.of("Location", location)));
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code 127.0.0.1:<port>}, the value of the test-only trust setting. */
    String hostAndPort() {
        return "127.0.0.1:" + port();
    }

    String url(String path) {
        return "https://" + hostAndPort() + path;
    }

    long count(String prefix) {
        return requests.stream().filter(r -> r.startsWith(prefix)).count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
