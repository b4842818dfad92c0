package dev.senders.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stub of Resend's e-mail API on {@code 127.0.0.1}: {@code POST /emails}, {@code POST /emails/batch} and
 * {@code GET /emails/{id}}, with Resend's request and response shapes, its error document
 * {@code {"statusCode":..,"name":..,"message":..}}, Bearer API keys, {@code Idempotency-Key} (24 h) and the
 * per-key requests-per-second limit with the {@code ratelimit-*} and {@code retry-after} headers.
 *
 * <p>Error names and statuses follow Resend's error reference: {@code missing_api_key} 401,
 * {@code invalid_api_key} 403, {@code invalid_idempotency_key} 400, {@code missing_required_field} 422,
 * {@code validation_error} 422, {@code invalid_idempotent_request} / {@code concurrent_idempotent_requests}
 * 409, {@code rate_limit_exceeded} 429, {@code not_found} 404, {@code method_not_allowed} 405.
 *
 * <p>Batches are validated strictly, as Resend does by default: one invalid email refuses the whole request (nothing
 * is sent) with Resend's error document, which does not say which email it was. Every email needs {@code from},
 * {@code to} (at most {@value #MAX_TO}), a non-blank {@code subject} and a non-empty {@code html} or {@code text}, and
 * may be at most {@value #MAX_EMAIL_BYTES} bytes of JSON (Resend's 40 MB per email).
 *
 * <p>Idempotency: the same key (per API key) with the same path and payload (compared as JSON values) replays the first
 * answer without sending; with another payload it is 409 {@code invalid_idempotent_request}; while the first request
 * has not been answered yet it is 409 {@code concurrent_idempotent_requests}. Refused requests leave no key behind.
 *
 * <p>Control: the public methods below, and the same over HTTP under {@code /_stub/} (JSON; see
 * {@code GET /_stub/}). Accepted mail is shown at {@code /_stub/mail}; {@link #requests()} records every request with
 * the number of emails it carried and how many of them it sent. Thread-safe.
 */
public final class ResendStub extends StubServer {
    public static final int DEFAULT_RATE_LIMIT = 2;
    public static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);
    public static final int MAX_BATCH = 100;
    public static final int MAX_TO = 50;
    /** Resend's limit per email (40 MB), applied here to the email's JSON. */
    public static final int MAX_EMAIL_BYTES = 40 * 1024 * 1024;

    /**
     * Parses request bodies without Parsson's default limit of 15 million characters per document, so that emails up
     * to {@link #MAX_EMAIL_BYTES} reach the stub's own checks as they would reach Resend's.
     */
    private static final JsonReaderFactory BODY_READER =
            Json.PROVIDER.createReaderFactory(Map.of("org.eclipse.parsson.maxParsingLimit", Integer.MAX_VALUE));
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    private static final Pattern BARE_ADDRESS = Pattern.compile("[^\\s@<>\",]+@[^\\s@<>\",]+\\.[^\\s@<>\",.]+");
    private static final Pattern MAILBOX = Pattern.compile("(?s)(.*?)\\s*<([^<>]+)>");
    private static final Pattern EMAIL_ID = Pattern.compile("/emails/([^/]+)");
    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSx").withZone(ZoneOffset.UTC);

    /** One e-mail accepted by {@code POST /emails} or as an item of {@code POST /emails/batch}. */
    public record SentEmail(String id, Instant receivedAt, String idempotencyKey, String apiKey, boolean batch,
                            String from, List<String> to, List<String> cc, List<String> bcc, List<String> replyTo,
                            String subject, String html, String text, Map<String, String> headers,
                            Map<String, String> tags, String scheduledAt, String json,
                            Map<String, List<String>> requestHeaders) {
    }

    /**
     * One request to the wire API, including rejected ones. {@code errorName} is null on success; {@code status} is
     * the answer given, or the one that would have been given when the connection was dropped instead
     * ({@link #dropNext}). {@code emails}: how many emails the body carried (1 for {@code POST /emails}, the array's
     * size for a batch, 0 for anything else or a body that is not JSON); {@code accepted}: how many emails this
     * request sent (0 when it was refused or replayed an earlier answer).
     */
    public record Request(String method, String path, Map<String, List<String>> headers, String body,
                          Instant receivedAt, int status, String errorName, String idempotencyKey, int emails,
                          int accepted, boolean dropped) {
    }

    private static final class ResendError extends RuntimeException {
        final int status;
        final String name;

        ResendError(int status, String name, String message) {
            super(message, null, false, false);
            this.status = status;
            this.name = name;
        }

        static ResendError validation(String message) {
            return new ResendError(422, "validation_error", message);
        }
    }

    private record Outcome(int status, JsonValue body, Map<String, String> headers, String errorName, Runnable afterReply,
                           int accepted) {
        Outcome(int status, JsonValue body, Map<String, String> headers, String errorName, Runnable afterReply) {
            this(status, body, headers, errorName, afterReply, 0);
        }
    }

    private static final class Idempotent {
        final String path;
        final JsonValue payload;
        final Instant createdAt;
        JsonValue response; // null while in progress

        Idempotent(String path, JsonValue payload, Instant createdAt) {
            this.path = path;
            this.payload = payload;
            this.createdAt = createdAt;
        }
    }

    private record Normalized(String from, List<String> to, List<String> cc, List<String> bcc, List<String> replyTo,
                              String subject, String html, String text, Map<String, String> headers,
                              Map<String, String> tags, String scheduledAt, JsonObject json) {
    }

    private final Object lock = new Object();
    private final List<SentEmail> emails = new ArrayList<>(); // guarded by lock
    private final List<Request> requests = new ArrayList<>(); // guarded by lock
    private final Map<String, Idempotent> idempotency = new HashMap<>(); // guarded by lock
    private final Map<String, SlidingSecond> windows = new HashMap<>(); // guarded by lock
    private final Faults faults = new Faults();
    private final AtomicInteger drops = new AtomicInteger();

    private volatile String expectedApiKey;
    private volatile String refusedRecipient;
    private volatile String refusedMessage;
    private volatile int rateLimit = DEFAULT_RATE_LIMIT;
    private volatile boolean enforceRateLimit;
    private volatile Clock clock = Clock.systemUTC();

    private ResendStub() {
        super("resend-stub");
    }

    /** Starts on an ephemeral port, accepting any Bearer key, rate limit not enforced. */
    public static ResendStub start() {
        return start(0);
    }

    public static ResendStub start(int port) {
        ResendStub stub = new ResendStub();
        stub.startServer(port);
        return stub;
    }

    // ------------------------------------------------------------------ configuration

    /** The only API key accepted ({@code null}: any non-empty Bearer key). Others get 403 invalid_api_key. */
    public ResendStub expectApiKey(String apiKey) {
        this.expectedApiKey = apiKey;
        return this;
    }

    /** Requests per second per API key (default 2). */
    public ResendStub rateLimit(int requestsPerSecond) {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("rate limit must be >= 1");
        }
        this.rateLimit = requestsPerSecond;
        return this;
    }

    /** When on, requests beyond the rate limit in any sliding second answer 429 rate_limit_exceeded. */
    public ResendStub enforceRateLimit(boolean enforce) {
        this.enforceRateLimit = enforce;
        return this;
    }

    /** Clock for recorded instants and the 24-hour idempotency window (default: system UTC). */
    public ResendStub clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    // ------------------------------------------------------------------ control

    /**
     * The next {@code times} API requests answer {@code status} with Resend's error document; a positive
     * {@code retryAfterSeconds} adds a {@code retry-after} header.
     */
    public void failNext(int times, int status, String name, String message, int retryAfterSeconds) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
        }
        faults.add(Faults.ANY, times, new Faults.Fault(status, Objects.requireNonNull(name, "name"),
                message == null ? "" : message, Duration.ZERO, retryAfterSeconds));
    }

    /**
     * The next {@code times} API requests are performed (e-mails recorded) but their answer is held back for
     * {@code delay}; meanwhile their idempotency key counts as in progress.
     */
    public void delayNext(int times, Duration delay) {
        faults.add(Faults.ANY, times, new Faults.Fault(0, null, null, Objects.requireNonNull(delay, "delay"), 0));
    }

    /**
     * The next {@code times} API requests are performed as usual (e-mails recorded, the idempotency key stored with
     * its answer) but the connection is then closed without any answer, as when the network fails after Resend has
     * accepted a request. Checked before {@link #failNext} and {@link #delayNext}, which such a request leaves queued.
     */
    public void dropNext(int times) {
        if (times <= 0) {
            throw new IllegalArgumentException("times must be positive: " + times);
        }
        drops.addAndGet(times);
    }

    /**
     * Makes every request with an email to {@code recipient} answer 422 {@code validation_error} with
     * {@code message}, as Resend does for an email it refuses (a whole batch is refused); null stops it.
     */
    public void refuseRecipient(String recipient, String message) {
        refusedRecipient = recipient;
        refusedMessage = message == null ? "Invalid `to` field." : message;
    }

    /** Accepted e-mails, oldest first (an idempotent replay adds nothing). */
    public List<SentEmail> sentEmails() {
        synchronized (lock) {
            return List.copyOf(emails);
        }
    }

    /** Number of requests to the wire API, including rejected ones. */
    public int requestCount() {
        synchronized (lock) {
            return requests.size();
        }
    }

    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /**
     * Forgets e-mails, requests, idempotency keys, rate windows and pending faults, and restores the rate
     * limit (2/s, not enforced). The expected API key, clock and port stay.
     */
    public void reset() {
        synchronized (lock) {
            emails.clear();
            requests.clear();
            idempotency.clear();
            windows.clear();
        }
        faults.clear();
        drops.set(0);
        rateLimit = DEFAULT_RATE_LIMIT;
        enforceRateLimit = false;
        refusedRecipient = null;
    }

    // ------------------------------------------------------------------ wire API

    @Override
    public String label() {
        return "Resend (local)";
    }

    @Override
    void handleApi(HttpExchange ex) throws IOException {
        Instant now = clock.instant();
        long receivedNanos = System.nanoTime();
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getPath();
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        byte[] raw = readBody(ex);
        String body = new String(raw, StandardCharsets.UTF_8);
        Map<String, List<String>> headers = copy(ex.getRequestHeaders());
        String idemKey = ex.getRequestHeaders().getFirst("Idempotency-Key");

        boolean drop = drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        Faults.Fault fault = drop ? null : faults.take(Faults.ANY);
        Outcome out;
        if (fault != null && fault.isError()) {
            Map<String, String> h = new LinkedHashMap<>();
            if (fault.retryAfterSeconds() > 0) {
                h.put("retry-after", String.valueOf(fault.retryAfterSeconds()));
            }
            out = new Outcome(fault.status(), errorJson(fault.status(), fault.code(), fault.message()), h, fault.code(), null);
        } else {
            out = process(method, path, body, headers, ex.getRequestHeaders(), idemKey, now, receivedNanos);
        }
        synchronized (lock) {
            addCapped(requests, new Request(method, path, headers, body, now, out.status(), out.errorName(), idemKey,
                    carried(method, path, body), out.accepted(), drop));
        }
        if (fault != null) {
            sleep(fault.delay());
        }
        if (drop) {
            // no response headers: closing the exchange closes the connection without an answer
            if (out.afterReply() != null) {
                out.afterReply().run();
            }
            return;
        }
        try {
            out.headers().forEach(ex.getResponseHeaders()::set);
            sendJson(ex, out.status(), out.body(), false);
        } finally {
            if (out.afterReply() != null) {
                out.afterReply().run();
            }
        }
    }

    private static JsonValue parseBody(String body) {
        try (JsonReader r = BODY_READER.createReader(new StringReader(body))) {
            return r.readValue();
        }
    }

    /** How many emails a request's body carries: 1 for POST /emails, the array's size for a batch, else 0. */
    private static int carried(String method, String path, String body) {
        if (!method.equals("POST")) {
            return 0;
        }
        try {
            JsonValue v = parseBody(body);
            if (path.equals("/emails/batch")) {
                return v instanceof JsonArray a ? a.size() : 0;
            }
            return path.equals("/emails") && v instanceof JsonObject ? 1 : 0;
        } catch (JsonException | IllegalStateException e) {
            return 0;
        }
    }

    private Outcome process(String method, String path, String body, Map<String, List<String>> headers,
                            Headers rawHeaders, String idemKey, Instant now, long receivedNanos) {
        Map<String, String> rl = new LinkedHashMap<>();
        try {
            boolean send = path.equals("/emails") || path.equals("/emails/batch");
            Matcher byId = EMAIL_ID.matcher(path);
            boolean get = !send && byId.matches();
            if (!send && !get) {
                throw new ResendError(404, "not_found", "The requested endpoint does not exist.");
            }
            if ((send && !method.equals("POST")) || (get && !method.equals("GET"))) {
                throw new ResendError(405, "method_not_allowed", "Method is not allowed for the requested path.");
            }
            String apiKey = authenticate(rawHeaders.getFirst("Authorization"));
            rateLimit(apiKey, rl, receivedNanos);
            if (get) {
                return new Outcome(200, retrieve(byId.group(1)), rl, null, null);
            }
            return send(path, body, headers, apiKey, idemKey, now, rl);
        } catch (ResendError e) {
            if (e.status == 429) {
                rl.put("retry-after", rl.getOrDefault("ratelimit-reset", "1"));
            }
            return new Outcome(e.status, errorJson(e.status, e.name, e.getMessage()), rl, e.name, null);
        }
    }

    private String authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                || authorization.substring(7).isBlank()) {
            throw new ResendError(401, "missing_api_key", "Missing API key in the authorization header.");
        }
        String key = authorization.substring(7).trim();
        String expected = expectedApiKey;
        if (expected != null && !expected.equals(key)) {
            throw new ResendError(403, "invalid_api_key", "API key is invalid.");
        }
        return key;
    }

    /**
     * Sliding one-second window per key, counted at each request's receipt (not when its handler got here, after
     * reading the body); fills the ratelimit-* headers; throws 429 when over.
     */
    private void rateLimit(String apiKey, Map<String, String> headers, long receivedNanos) {
        int limit = rateLimit;
        synchronized (lock) {
            SlidingSecond w = windows.computeIfAbsent(apiKey, k -> new SlidingSecond());
            long resetNanos = w.inSecondBefore(receivedNanos) == 0 ? 1_000_000_000L
                    : 1_000_000_000L - (receivedNanos - w.firstInSecondBefore(receivedNanos));
            long resetSeconds = Math.max(1, (resetNanos + 999_999_999L) / 1_000_000_000L);
            headers.put("ratelimit-limit", String.valueOf(limit));
            headers.put("ratelimit-reset", String.valueOf(resetSeconds));
            if (!w.admit(receivedNanos, 1, enforceRateLimit ? limit : Double.MAX_VALUE)) {
                headers.put("ratelimit-remaining", "0");
                throw new ResendError(429, "rate_limit_exceeded", "Too many requests. You can only make " + limit
                        + " requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.");
            }
            headers.put("ratelimit-remaining", String.valueOf(Math.max(0, limit - w.inSecondBefore(receivedNanos))));
        }
    }

    private Outcome send(String path, String body, Map<String, List<String>> headers, String apiKey, String idemKey,
                         Instant now, Map<String, String> rl) {
        if (idemKey != null && (idemKey.isEmpty() || idemKey.length() > 256)) {
            throw new ResendError(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
        }
        JsonValue payload;
        try {
            payload = parseBody(body);
        } catch (JsonException | IllegalStateException e) {
            throw new ResendError(400, "validation_error", "The request body is not valid JSON.");
        }
        boolean batch = path.equals("/emails/batch");
        List<Normalized> items = new ArrayList<>();
        if (batch) {
            if (!(payload instanceof JsonArray arr)) {
                throw ResendError.validation("The request body must be an array of emails.");
            }
            if (arr.isEmpty() || arr.size() > MAX_BATCH) {
                throw ResendError.validation("The batch must contain between 1 and " + MAX_BATCH + " emails, got " + arr.size() + ".");
            }
            for (int i = 0; i < arr.size(); i++) {
                if (!(arr.get(i) instanceof JsonObject o)) {
                    throw ResendError.validation("Each email of a batch must be an object.");
                }
                if (o.containsKey("attachments") || o.containsKey("scheduled_at")) {
                    throw ResendError.validation("`attachments` and `scheduled_at` are not supported in batch emails.");
                }
                items.add(normalize(o));
            }
        } else {
            if (!(payload instanceof JsonObject o)) {
                throw ResendError.validation("The request body must be a JSON object.");
            }
            items.add(normalize(o));
        }
        String refused = refusedRecipient;
        if (refused != null && items.stream().anyMatch(n -> n.to().stream().anyMatch(refused::equalsIgnoreCase))) {
            // as Resend's strict batch validation: the whole request is refused, without naming the email
            throw ResendError.validation(refusedMessage);
        }

        String idemSlot = idemKey == null ? null : apiKey + '\n' + idemKey;
        synchronized (lock) {
            if (idemSlot != null) {
                Idempotent prior = idempotency.get(idemSlot);
                if (prior != null && !now.isBefore(prior.createdAt.plus(IDEMPOTENCY_WINDOW))) {
                    idempotency.remove(idemSlot);
                    prior = null;
                }
                if (prior != null) {
                    if (!prior.path.equals(path) || !prior.payload.equals(payload)) {
                        throw new ResendError(409, "invalid_idempotent_request",
                                "Same idempotency key used with a different request payload.");
                    }
                    if (prior.response == null) {
                        throw new ResendError(409, "concurrent_idempotent_requests",
                                "Same idempotency key used while original request is still in progress.");
                    }
                    return new Outcome(200, prior.response, rl, null, null);
                }
            }
            JsonArrayBuilder data = Json.array();
            List<SentEmail> accepted = new ArrayList<>();
            for (Normalized n : items) {
                String id = UUID.randomUUID().toString();
                accepted.add(new SentEmail(id, now, idemKey, apiKey, batch, n.from(), n.to(), n.cc(), n.bcc(),
                        n.replyTo(), n.subject(), n.html(), n.text(), n.headers(), n.tags(), n.scheduledAt(),
                        Json.write(n.json(), false), headers));
                data.add(Json.object().add("id", id));
            }
            accepted.forEach(e -> addCapped(emails, e));
            JsonValue response = batch ? Json.object().add("data", data).build()
                    : Json.object().add("id", accepted.get(0).id()).build();
            if (idemSlot == null) {
                return new Outcome(200, response, rl, null, null, accepted.size());
            }
            Idempotent entry = new Idempotent(path, payload, now);
            if (idempotency.size() >= MAX_RECORDS) {
                idempotency.values().removeIf(i -> !now.isBefore(i.createdAt.plus(IDEMPOTENCY_WINDOW)));
            }
            idempotency.put(idemSlot, entry);
            // the key stays "in progress" until the answer has been written (matters with delayNext)
            return new Outcome(200, response, rl, null, () -> {
                synchronized (lock) {
                    entry.response = response;
                }
            }, accepted.size());
        }
    }

    private JsonValue retrieve(String id) {
        SentEmail m;
        synchronized (lock) {
            m = emails.stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
        }
        if (m == null) {
            throw new ResendError(404, "not_found", "Email not found");
        }
        JsonObjectBuilder b = Json.object().add("object", "email").add("id", m.id()).add("to", Json.strings(m.to()))
                .add("from", m.from()).add("created_at", CREATED_AT.format(m.receivedAt()))
                .add("subject", m.subject());
        b.add("html", m.html() == null ? JsonValue.NULL : Json.PROVIDER.createValue(m.html()));
        b.add("text", m.text() == null ? JsonValue.NULL : Json.PROVIDER.createValue(m.text()));
        b.add("bcc", m.bcc().isEmpty() ? JsonValue.NULL : Json.strings(m.bcc()));
        b.add("cc", m.cc().isEmpty() ? JsonValue.NULL : Json.strings(m.cc()));
        b.add("reply_to", m.replyTo().isEmpty() ? JsonValue.NULL : Json.strings(m.replyTo()));
        b.add("last_event", m.scheduledAt() == null ? "delivered" : "scheduled");
        b.add("scheduled_at", m.scheduledAt() == null ? JsonValue.NULL : Json.PROVIDER.createValue(m.scheduledAt()));
        JsonArrayBuilder tags = Json.array();
        m.tags().forEach((k, v) -> tags.add(Json.object().add("name", k).add("value", v)));
        return b.add("tags", tags).build();
    }

    // ------------------------------------------------------------------ validation

    private static Normalized normalize(JsonObject o) {
        String from = requiredString(o, "from");
        if (!validMailbox(from)) {
            throw ResendError.validation("Invalid `from` field. The email address needs to follow the "
                    + "`email@example.com` or `Name <email@example.com>` format.");
        }
        if (!o.containsKey("to") || o.get("to") == JsonValue.NULL) {
            throw new ResendError(422, "missing_required_field", "Missing `to` field.");
        }
        List<String> to = addresses(o, "to");
        if (to.isEmpty()) {
            throw new ResendError(422, "missing_required_field", "Missing `to` field.");
        }
        if (to.size() > MAX_TO) {
            throw ResendError.validation("Invalid `to` field. You can send to at most " + MAX_TO + " recipients.");
        }
        String subject = requiredString(o, "subject");
        List<String> cc = addresses(o, "cc");
        List<String> bcc = addresses(o, "bcc");
        List<String> replyTo = addresses(o, "reply_to");
        String html = optionalString(o, "html");
        String text = optionalString(o, "text");
        if ((html == null || html.isEmpty()) && (text == null || text.isEmpty())) {
            throw new ResendError(422, "missing_required_field", "Missing `html` or `text` field.");
        }
        String scheduledAt = optionalString(o, "scheduled_at");
        if (Json.write(o, false).getBytes(StandardCharsets.UTF_8).length > MAX_EMAIL_BYTES) {
            throw ResendError.validation("The email is larger than 40 MB.");
        }

        Map<String, String> headers = new LinkedHashMap<>();
        JsonValue hv = o.get("headers");
        if (hv != null && hv != JsonValue.NULL) {
            if (!(hv instanceof JsonObject ho)) {
                throw ResendError.validation("Invalid `headers` field. It must be an object of header names to string values.");
            }
            ho.forEach((k, v) -> {
                if (!(v instanceof JsonString s)) {
                    throw ResendError.validation("Invalid `headers` field. The value of `" + k + "` must be a string.");
                }
                headers.put(k, s.getString());
            });
        }

        Map<String, String> tags = new LinkedHashMap<>();
        JsonValue tv = o.get("tags");
        if (tv != null && tv != JsonValue.NULL) {
            if (!(tv instanceof JsonArray ta)) {
                throw ResendError.validation("Invalid `tags` field. It must be an array of {name, value} objects.");
            }
            for (JsonValue t : ta) {
                if (!(t instanceof JsonObject to2)) {
                    throw ResendError.validation("Invalid `tags` field. It must be an array of {name, value} objects.");
                }
                String name = Json.string(to2, "name");
                JsonValue rawValue = to2.get("value");
                String value = rawValue instanceof JsonString vs ? vs.getString() : null;
                boolean valueOk = rawValue == null || rawValue == JsonValue.NULL
                        || (value != null && TAG.matcher(value).matches());
                if (name == null || !TAG.matcher(name).matches() || !valueOk) {
                    throw ResendError.validation("Invalid `tags` field. Tag names and values can only contain ASCII "
                            + "letters (a-z, A-Z), numbers (0-9), underscores (_) or dashes (-), and at most 256 characters.");
                }
                tags.put(name, value == null ? "" : value);
            }
        }
        return new Normalized(from, to, cc, bcc, replyTo, subject, html, text, Collections.unmodifiableMap(headers),
                Collections.unmodifiableMap(tags), scheduledAt, o);
    }

    private static String requiredString(JsonObject o, String field) {
        JsonValue v = o.get(field);
        if (v == null || v == JsonValue.NULL) {
            throw new ResendError(422, "missing_required_field", "Missing `" + field + "` field.");
        }
        if (!(v instanceof JsonString s)) {
            throw ResendError.validation("Invalid `" + field + "` field. It must be a string.");
        }
        if (s.getString().isBlank()) {
            throw new ResendError(422, "missing_required_field", "Missing `" + field + "` field.");
        }
        return s.getString();
    }

    private static String optionalString(JsonObject o, String field) {
        JsonValue v = o.get(field);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw ResendError.validation("Invalid `" + field + "` field. It must be a string.");
        }
        return s.getString();
    }

    /** A string or an array of strings, each a valid mailbox. */
    private static List<String> addresses(JsonObject o, String field) {
        JsonValue v = o.get(field);
        List<String> out = new ArrayList<>();
        if (v == null || v == JsonValue.NULL) {
            return out;
        }
        if (v instanceof JsonString s) {
            out.add(s.getString());
        } else if (v instanceof JsonArray a) {
            for (JsonValue item : a) {
                if (!(item instanceof JsonString s)) {
                    throw ResendError.validation("Invalid `" + field + "` field. It must be a string or an array of strings.");
                }
                out.add(s.getString());
            }
        } else {
            throw ResendError.validation("Invalid `" + field + "` field. It must be a string or an array of strings.");
        }
        for (String a : out) {
            if (!validMailbox(a)) {
                throw ResendError.validation("Invalid `" + field + "` field. The email address needs to follow the "
                        + "`email@example.com` or `Name <email@example.com>` format.");
            }
        }
        return List.copyOf(out);
    }

    static boolean validMailbox(String s) {
        String t = s.trim();
        Matcher m = MAILBOX.matcher(t);
        String addr = m.matches() ? m.group(2).trim() : t;
        return BARE_ADDRESS.matcher(addr).matches();
    }

    static JsonObject errorJson(int status, String name, String message) {
        return Json.object().add("statusCode", status).add("name", name).add("message", message).build();
    }

    private static Map<String, List<String>> copy(Headers h) {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        return Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------ /_stub control over HTTP

    @Override
    List<String> controlHelp() {
        return List.of(
                "GET  /_stub/requests   - recorded requests, rejected ones included, with the emails each carried and accepted",
                "GET  /_stub/counts     - {\"requests\":n,\"emails\":m}",
                "POST /_stub/faults     - {\"times\":1,\"status\":500,\"name\":\"application_error\",\"message\":\"...\",\"retryAfterSeconds\":0} or {\"times\":1,\"delayMillis\":5000} or {\"times\":1,\"drop\":true}",
                "GET  /_stub/settings   - expected API key, rate limit, enforcement",
                "POST /_stub/settings   - {\"apiKey\":\"re_...\" or null,\"rateLimit\":2,\"enforceRateLimit\":true}",
                "POST /_stub/reset      - forget everything (see ResendStub.reset())");
    }

    @Override
    boolean handleControl(HttpExchange ex, String sub) throws IOException {
        switch (sub) {
            case "requests" -> {
                if (requireGet(ex)) {
                    JsonArrayBuilder a = Json.array();
                    requests().forEach(r -> {
                        JsonObjectBuilder b = Json.object().add("method", r.method()).add("path", r.path())
                                .add("headers", Json.listMap(r.headers())).add("body", r.body())
                                .add("receivedAt", r.receivedAt().toString()).add("status", r.status());
                        Json.opt(b, "errorName", r.errorName());
                        Json.opt(b, "idempotencyKey", r.idempotencyKey());
                        b.add("emails", r.emails()).add("accepted", r.accepted()).add("dropped", r.dropped());
                        a.add(b);
                    });
                    sendJson(ex, 200, a.build(), true);
                }
            }
            case "counts" -> {
                if (requireGet(ex)) {
                    int n;
                    int m;
                    synchronized (lock) {
                        n = requests.size();
                        m = emails.size();
                    }
                    sendJson(ex, 200, Json.object().add("requests", n).add("emails", m).build(), true);
                }
            }
            case "faults" -> {
                if (!isPost(ex)) {
                    sendJson(ex, 405, Json.object().add("error", "POST only").build(), true);
                    return true;
                }
                JsonObject o = readJsonObject(ex);
                int times = Optional.ofNullable(Json.integer(o, "times")).orElse(1);
                Integer status = Json.integer(o, "status");
                if (Boolean.TRUE.equals(Json.bool(o, "drop"))) {
                    dropNext(times);
                } else if (status != null) {
                    failNext(times, status, Objects.requireNonNull(Json.string(o, "name"), "name is required"),
                            Json.string(o, "message"), Optional.ofNullable(Json.integer(o, "retryAfterSeconds")).orElse(0));
                } else {
                    delayNext(times, millis(o, "delayMillis"));
                }
                sendOk(ex);
            }
            case "settings" -> {
                if (isPost(ex)) {
                    JsonObject o = readJsonObject(ex);
                    if (o.containsKey("apiKey")) {
                        expectApiKey(Json.string(o, "apiKey"));
                    }
                    Optional.ofNullable(Json.integer(o, "rateLimit")).ifPresent(this::rateLimit);
                    Optional.ofNullable(Json.bool(o, "enforceRateLimit")).ifPresent(this::enforceRateLimit);
                }
                if (isPost(ex) || requireGet(ex)) {
                    JsonObjectBuilder b = Json.object();
                    b.add("apiKey", expectedApiKey == null ? JsonValue.NULL : Json.PROVIDER.createValue(expectedApiKey));
                    sendJson(ex, 200, b.add("rateLimit", rateLimit).add("enforceRateLimit", enforceRateLimit)
                            .add("pendingFaults", faults.pending()).build(), true);
                }
            }
            case "reset" -> {
                if (!isPost(ex)) {
                    sendJson(ex, 405, Json.object().add("error", "POST only").build(), true);
                    return true;
                }
                reset();
                sendOk(ex);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    static JsonObject sentJson(SentEmail e) {
        JsonObjectBuilder b = Json.object().add("id", e.id()).add("receivedAt", e.receivedAt().toString());
        Json.opt(b, "idempotencyKey", e.idempotencyKey());
        b.add("batch", e.batch()).add("from", e.from()).add("to", Json.strings(e.to())).add("cc", Json.strings(e.cc()))
                .add("bcc", Json.strings(e.bcc())).add("replyTo", Json.strings(e.replyTo())).add("subject", e.subject());
        Json.opt(b, "html", e.html());
        Json.opt(b, "text", e.text());
        b.add("headers", Json.stringMap(e.headers())).add("tags", Json.stringMap(e.tags()));
        Json.opt(b, "scheduledAt", e.scheduledAt());
        return b.add("requestHeaders", Json.listMap(redacted(e.requestHeaders()))).build();
    }

    private static Map<String, List<String>> redacted(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>(headers);
        out.computeIfPresent("authorization", (k, v) -> List.of("Bearer <redacted>"));
        return out;
    }

    @Override
    List<MailView> mailViews() {
        return sentEmails().stream().map(e -> new MailView(e.id(), e.receivedAt(), e.from(), e.to(), e.cc(), e.bcc(),
                e.replyTo(), e.subject(), e.html(), e.text(),
                (e.batch() ? "batch" : "single") + (e.idempotencyKey() == null ? "" : ", Idempotency-Key " + e.idempotencyKey())
                        + (e.tags().isEmpty() ? "" : ", tags " + e.tags())
                        + (e.headers().isEmpty() ? "" : ", headers " + e.headers()))).toList();
    }

    @Override
    JsonValue mailJson() {
        List<SentEmail> all = new ArrayList<>(sentEmails());
        Collections.reverse(all);
        JsonArrayBuilder a = Json.array();
        all.forEach(e -> a.add(sentJson(e)));
        return a.build();
    }
}
