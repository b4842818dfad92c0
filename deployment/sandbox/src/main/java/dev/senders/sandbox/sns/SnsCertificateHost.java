package dev.senders.sandbox.sns;

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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The SNS host played on 127.0.0.1 over TLS (the {@link SnsPki}'s certificate): serves signing certificates and
 * records every request it gets, so a test can tell what the module fetched (and what it never did).
 */
public final class SnsCertificateHost implements AutoCloseable {

    private final HttpsServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, byte[]> bodies = new ConcurrentHashMap<>();
    private final Map<String, Integer> statuses = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** Listens on 127.0.0.1:{@code port} (0 for any free port). */
    public SnsCertificateHost(SnsPki pki, int port) {
        try (InputStream in = Files.newInputStream(pki.tlsKeyStore())) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, SnsPki.PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, SnsPki.PASSWORD.toCharArray());
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf.getKeyManagers(), null, null);
            server = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(tls));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
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

    /** Answers {@code path} with this status and body from now on. */
    public void serve(String path, int status, byte[] body) {
        statuses.put(path, status);
        bodies.put(path, body.clone());
    }

    /** Every request so far, as "METHOD path[?query]". */
    public List<String> requests() {
        return List.copyOf(requests);
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
        executor.shutdownNow();
    }
}
