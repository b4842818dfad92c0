package dev.senders.sandbox;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Base of the loopback stub servers: binds {@code 127.0.0.1} only, serves each connection on a pooled
 * daemon thread ({@link LoopbackHttpServer}: the JDK's HttpServer API, with the reason phrases the real services send,
 * e.g. 429 Too Many Requests), and provides the shared {@code /_stub/mail} viewer. Subclasses implement the wire API
 * and their {@code /_stub/...} control endpoints.
 */
public abstract class StubServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StubServer.class.getName());
    static final InetAddress LOOPBACK;

    static {
        try {
            LOOPBACK = InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Recorded requests and messages kept per list; the oldest are dropped beyond this. */
    public static final int MAX_RECORDS = 10_000;

    /** More {@code /_stub/...} endpoints, added from outside (the sandbox's DNS page on the SES stub). */
    public interface Control {
        /** Serves {@code /_stub/<sub>}; false when {@code sub} is not this control's. */
        boolean handle(HttpExchange ex, String sub) throws IOException;

        /** Lines for the {@code /_stub} index page: "METHOD path - what". */
        List<String> help();
    }

    private final String name;
    private final List<Control> controls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile LoopbackHttpServer server;
    private volatile ExecutorService executor;

    StubServer(String name) {
        this.name = name;
    }

    /** Binds and starts; called by the subclasses' static factories once the instance is fully built. */
    final void startServer(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LoopbackHttpServer s;
        try {
            s = LoopbackHttpServer.start(new InetSocketAddress(LOOPBACK, port), 128, this::dispatch, pool);
        } catch (IOException e) {
            pool.shutdownNow();
            throw new UncheckedIOException("cannot bind " + name + " to 127.0.0.1:" + port, e);
        }
        this.executor = pool;
        this.server = s;
    }

    /** The port actually bound (the ephemeral one when started with port 0). */
    public int port() {
        return server.address().getPort();
    }

    /** Base URI of the stub, {@code http://127.0.0.1:PORT}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** Serves another {@code /_stub/...} endpoint (checked before the stub's own). */
    public void addControl(Control control) {
        controls.add(java.util.Objects.requireNonNull(control, "control"));
    }

    /** What the stub stands in for, as people read it on its pages, e.g. "Amazon SES (local)". */
    public abstract String label();

    /** URI of the HTML mail viewer. */
    public URI mailViewer() {
        return endpoint().resolve("/_stub/mail");
    }

    @Override
    public void close() {
        LoopbackHttpServer s = server;
        if (s != null) {
            s.stop();
        }
        ExecutorService pool = executor;
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Serves the wire API (everything outside {@code /_stub}). */
    abstract void handleApi(HttpExchange ex) throws IOException;

    /**
     * Serves {@code /_stub/<sub>} other than the mail viewer. Returns false when {@code sub} is unknown.
     */
    abstract boolean handleControl(HttpExchange ex, String sub) throws IOException;

    /** Messages for the viewer, in any order. */
    abstract List<MailView> mailViews();

    /** Full JSON records of the accepted messages, newest first. */
    abstract JsonValue mailJson();

    /** Lines for the {@code /_stub} index page: "METHOD path — what". */
    abstract List<String> controlHelp();

    private void dispatch(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/_stub") || path.equals("/_stub/")) {
                sendText(ex, 200, "text/plain; charset=utf-8", index());
            } else if (path.equals("/_stub/mail") || path.equals("/_stub/mail/")) {
                if (requireGet(ex)) {
                    MailViewer.sendList(ex, label(), mailViews());
                }
            } else if (path.equals("/_stub/mail.json")) {
                if (requireGet(ex)) {
                    sendJson(ex, 200, mailJson(), true);
                }
            } else if (path.startsWith("/_stub/mail/")) {
                if (requireGet(ex)) {
                    MailViewer.sendDetail(ex, label(), mailViews(), path.substring("/_stub/mail/".length()));
                }
            } else if (path.startsWith("/_stub/")) {
                try {
                    String sub = path.substring("/_stub/".length());
                    for (Control control : controls) {
                        if (control.handle(ex, sub)) {
                            return;
                        }
                    }
                    if (!handleControl(ex, sub)) {
                        sendJson(ex, 404, Json.object().add("error", "unknown stub endpoint " + path).build(), true);
                    }
                } catch (JsonException | IllegalArgumentException | ClassCastException | NullPointerException e) {
                    sendJson(ex, 400, Json.object().add("error", String.valueOf(e.getMessage())).build(), true);
                }
            } else {
                handleApi(ex);
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, name + ": client went away", e);
        } catch (RuntimeException | Error e) {
            LOG.log(Level.WARNING, name + ": unexpected failure serving " + ex.getRequestURI(), e);
            try {
                sendText(ex, 500, "text/plain; charset=utf-8", "stub failure: " + e);
            } catch (IOException | RuntimeException ignored) {
                // headers may already be sent
            }
        }
    }

    private String index() {
        StringBuilder sb = new StringBuilder(label()).append(": ").append(name).append(" at ").append(endpoint())
                .append("\n\n");
        sb.append("GET  /_stub/mail       - HTML viewer of accepted mail (newest first)\n");
        sb.append("GET  /_stub/mail.json  - the same as JSON\n");
        for (Control control : controls) {
            for (String line : control.help()) {
                sb.append(line).append('\n');
            }
        }
        for (String line : controlHelp()) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /** Appends, dropping the oldest entry beyond {@link #MAX_RECORDS}. */
    static <T> void addCapped(List<T> list, T item) {
        synchronized (list) {
            list.add(item);
            if (list.size() > MAX_RECORDS) {
                list.remove(0);
            }
        }
    }

    static boolean requireGet(HttpExchange ex) throws IOException {
        String m = ex.getRequestMethod();
        if (m.equals("GET") || m.equals("HEAD")) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET");
        sendText(ex, 405, "text/plain; charset=utf-8", "method not allowed");
        return false;
    }

    static boolean isPost(HttpExchange ex) {
        return ex.getRequestMethod().equals("POST");
    }

    static byte[] readBody(HttpExchange ex) throws IOException {
        return ex.getRequestBody().readAllBytes();
    }

    static JsonObject readJsonObject(HttpExchange ex) throws IOException {
        String body = new String(readBody(ex), StandardCharsets.UTF_8);
        if (body.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        JsonValue v = Json.parse(body);
        if (!(v instanceof JsonObject o)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return o;
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        if (body == null || body.length == 0 || head) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    static void sendText(HttpExchange ex, int status, String contentType, String body) throws IOException {
        send(ex, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static void sendJson(HttpExchange ex, int status, JsonValue v, boolean pretty) throws IOException {
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        sendText(ex, status, "application/json; charset=utf-8", Json.write(v, pretty));
    }

    static void sendOk(HttpExchange ex) throws IOException {
        sendJson(ex, 200, Json.object().add("ok", true).build(), true);
    }

    /** Decodes {@code a=b&c=d} (form or query string); a repeated name keeps its last value. */
    static Map<String, String> parseForm(String s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s == null || s.isEmpty()) {
            return out;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }

    static Map<String, String> query(HttpExchange ex) {
        return parseForm(ex.getRequestURI().getRawQuery());
    }

    static void sleep(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Duration millis(JsonObject o, String name) {
        Integer ms = Json.integer(o, name);
        return ms == null ? Duration.ZERO : Duration.ofMillis(ms);
    }

    static JsonArrayBuilder appendAll(JsonArrayBuilder b, List<? extends JsonValue> values) {
        values.forEach(b::add);
        return b;
    }
}
