package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Sends through Resend's REST API ({@code POST /emails}, {@code POST /emails/batch}) with the JAX-RS client.
 * <p>
 * The JSON body follows Resend's published API: {@code from} ("Name &lt;addr&gt;" as formatted by
 * {@link MessageHeaders}), {@code to} and {@code reply_to} as arrays, {@code subject}, {@code html}, {@code text},
 * {@code headers} (object) and {@code tags} ({@code [{"name","value"}]}, sanitized, including
 * {@code organization} and {@code campaign}). The message's {@link EmailMessage#idempotencyKey()} goes in the
 * {@code Idempotency-Key} header (hashed when longer than 256 characters or not printable ASCII), so a retry of the
 * same message is never sent twice within Resend's 24-hour window.
 * <p>
 * Outcomes: 2xx is {@code SENT} with Resend's id. 429 is retried after {@code retry-after} seconds, up to
 * {@code maxRetries} times, as long as the wait is at most {@code maxRetryAfter}; after that the result is a
 * retryable {@code FAILED}. 5xx, 408, timeouts and connection errors are retryable {@code FAILED}, as is 409
 * {@code concurrent_idempotent_requests} (the first request with that key is still being processed). Every other 4xx
 * is a non-retryable {@code FAILED} with Resend's error {@code name} and {@code message}.
 * <p>
 * Does not rate-limit or check suppression. Never logs the API key; {@link #toString()} leaves it out. Thread-safe
 * (the JAX-RS {@link Client} is).
 */
public final class ResendEmailSender {

    /** Resend's limit of emails per batch call. */
    public static final int MAX_BATCH = 100;
    static final int MAX_IDEMPOTENCY_KEY = 256;
    private static final int MAX_ERROR_BODY = 300;
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    private final Client client;
    private final URI baseUrl;
    private final String apiKey;
    private final int maxRetries;
    private final Duration maxRetryAfter;
    private final JsonProvider json = JsonProvider.provider();

    /**
     * @param client        the shared JAX-RS client (its timeouts bound each attempt)
     * @param baseUrl       e.g. {@code https://api.resend.com}
     * @param apiKey        the API key; null or blank makes every send a non-retryable {@code FAILED}
     * @param maxRetries    how many times a 429 is retried (0 = never)
     * @param maxRetryAfter the longest {@code retry-after} honoured; a longer one ends the retries at once
     */
    public ResendEmailSender(Client client, URI baseUrl, String apiKey, int maxRetries, Duration maxRetryAfter) {
        this.client = Objects.requireNonNull(client, "client");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        if (this.apiKey != null && !this.apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("the Resend API key contains characters an API key cannot have");
        }
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be >= 0: " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must not be negative: " + maxRetryAfter);
        }
    }

    /** Sends one message with {@code POST /emails}. Never throws for provider failures. */
    public SendResult send(EmailMessage message) {
        if (apiKey == null) {
            return missingKey();
        }
        JsonObject body;
        try {
            body = body(message);
        } catch (MessageHeaders.InvalidMessageException e) {
            return failed(e.getMessage(), false);
        }
        Reply reply = post("emails", body.toString(), idempotencyKey(message.idempotencyKey()));
        if (!reply.ok()) {
            return failed(reply.error(), reply.retryable());
        }
        return SendResult.sent(ProviderName.RESEND, string(reply.json(), "id"), null);
    }

    /**
     * Sends messages with {@code POST /emails/batch}, {@value #MAX_BATCH} per call; results are in the same order.
     * A message that fails the checks of {@link MessageHeaders} is {@code FAILED} on its own and left out of the
     * call; when a call fails (e.g. one invalid email makes Resend refuse the whole batch with 422), every message of
     * that call gets the same failure. Each call carries an {@code Idempotency-Key} derived from its messages' keys
     * when all of them have one, so retrying the same batch is safe.
     */
    public List<SendResult> sendBatch(List<EmailMessage> messages) {
        SendResult[] results = new SendResult[messages.size()];
        if (apiKey == null) {
            Arrays.fill(results, missingKey());
            return List.of(results);
        }
        List<Integer> pending = new ArrayList<>();
        List<JsonObject> bodies = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            try {
                bodies.add(body(messages.get(i)));
                pending.add(i);
            } catch (MessageHeaders.InvalidMessageException e) {
                results[i] = failed(e.getMessage(), false);
            }
        }
        for (int from = 0; from < pending.size(); from += MAX_BATCH) {
            int to = Math.min(pending.size(), from + MAX_BATCH);
            List<Integer> chunk = pending.subList(from, to);
            JsonArrayBuilder array = json.createArrayBuilder();
            bodies.subList(from, to).forEach(array::add);
            Reply reply = post("emails/batch", array.build().toString(),
                    batchKey(chunk.stream().map(i -> messages.get(i).idempotencyKey()).toList()));
            JsonArray data = reply.ok() && reply.json() != null && reply.json().get("data") instanceof JsonArray a
                    ? a : null;
            for (int k = 0; k < chunk.size(); k++) {
                if (!reply.ok()) {
                    results[chunk.get(k)] = failed(reply.error(), reply.retryable());
                } else if (data != null && k < data.size() && data.get(k) instanceof JsonObject item) {
                    results[chunk.get(k)] = SendResult.sent(ProviderName.RESEND, string(item, "id"), null);
                } else {
                    results[chunk.get(k)] = SendResult.sent(ProviderName.RESEND, null,
                            "Resend accepted the batch but returned no id for this email");
                }
            }
        }
        return List.of(results);
    }

    /** The request body of one email per Resend's {@code SendEmailRequest}; throws for an invalid message. */
    JsonObject body(EmailMessage message) {
        MessageHeaders.Encoded e = MessageHeaders.encode(message);
        JsonObjectBuilder b = json.createObjectBuilder()
                .add("from", e.from())
                .add("to", json.createArrayBuilder().add(e.to()))
                .add("subject", e.subject());
        if (message.html() != null) {
            b.add("html", message.html());
        }
        if (message.text() != null) {
            b.add("text", message.text());
        }
        if (!e.replyTo().isEmpty()) {
            JsonArrayBuilder replyTo = json.createArrayBuilder();
            e.replyTo().forEach(replyTo::add);
            b.add("reply_to", replyTo);
        }
        if (!e.headers().isEmpty()) {
            JsonObjectBuilder headers = json.createObjectBuilder();
            e.headers().forEach(headers::add);
            b.add("headers", headers);
        }
        if (!e.tags().isEmpty()) {
            JsonArrayBuilder tags = json.createArrayBuilder();
            e.tags().forEach((name, value) -> tags.add(json.createObjectBuilder().add("name", name).add("value", value)));
            b.add("tags", tags);
        }
        return b.build();
    }

    // ------------------------------------------------------------------ HTTP

    /** The outcome of a call: the JSON answer when ok, else a description for people and whether to retry. */
    private record Reply(boolean ok, JsonObject json, String error, boolean retryable) {
    }

    private Reply post(String path, String body, String idempotencyKey) {
        for (int attempt = 0; ; attempt++) {
            Duration wait;
            try (Response response = request(path, idempotencyKey)
                    .post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8")))) {
                int status = response.getStatus();
                String text = response.hasEntity() ? response.readEntity(String.class) : "";
                if (status != 429) {
                    return interpret(status, text);
                }
                wait = retryAfter(response);
                String error = describe(status, text);
                if (attempt >= maxRetries) {
                    return new Reply(false, null, error + " (still throttled after " + maxRetries + " retries)", true);
                }
                if (wait.compareTo(maxRetryAfter) > 0) {
                    return new Reply(false, null, error + " (retry-after " + wait.toSeconds()
                            + " s is longer than the " + maxRetryAfter.toSeconds() + " s this client waits)", true);
                }
            } catch (ProcessingException e) {
                return new Reply(false, null, "could not reach Resend or it did not answer in time: "
                        + rootMessage(e), true);
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Reply(false, null, "interrupted while waiting to retry a throttled Resend call", true);
            }
        }
    }

    private Invocation.Builder request(String path, String idempotencyKey) {
        Invocation.Builder b = client.target(baseUrl).path(path).request(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return b;
    }

    private Reply interpret(int status, String text) {
        if (status >= 200 && status < 300) {
            JsonValue parsed = parse(text);
            return new Reply(true, parsed instanceof JsonObject o ? o : null, null, false);
        }
        String name = errorName(text);
        boolean retryable = status >= 500 || status == 408 || "concurrent_idempotent_requests".equals(name);
        return new Reply(false, null, describe(status, text), retryable);
    }

    /** "Resend 422 validation_error: message", or the start of a body that is not Resend's error document. */
    private String describe(int status, String text) {
        JsonValue parsed = parse(text);
        if (parsed instanceof JsonObject o && (o.get("name") instanceof JsonString || o.get("message") instanceof JsonString)) {
            return "Resend " + status + " " + Objects.toString(string(o, "name"), "error") + ": "
                    + Objects.toString(string(o, "message"), "");
        }
        String snippet = text == null ? "" : text.strip();
        if (snippet.length() > MAX_ERROR_BODY) {
            snippet = snippet.substring(0, MAX_ERROR_BODY) + "...";
        }
        return "Resend HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet);
    }

    private String errorName(String text) {
        return parse(text) instanceof JsonObject o ? string(o, "name") : null;
    }

    /** {@code retry-after} in seconds or as an HTTP date, else {@code ratelimit-reset} seconds, else 1 s. */
    static Duration retryAfter(Response response) {
        String value = response.getHeaderString("retry-after");
        if (value == null || value.isBlank()) {
            value = response.getHeaderString("ratelimit-reset");
        }
        if (value == null || value.isBlank()) {
            return DEFAULT_RETRY_AFTER;
        }
        String v = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(),
                        ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return DEFAULT_RETRY_AFTER;
            }
        }
    }

    private JsonValue parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try (JsonReader reader = json.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            return null;
        }
    }

    private static String string(JsonObject o, String field) {
        return o != null && o.get(field) instanceof JsonString s ? s.getString() : null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    // ------------------------------------------------------------------ idempotency keys

    /**
     * The key as sent: unchanged when it is 1-256 printable ASCII characters, else {@code sha256-<hex>} of it;
     * null or blank gives null (no header).
     */
    static String idempotencyKey(String key) {
        if (key == null || key.isBlank()) {
            return null;
        }
        boolean usable = key.length() <= MAX_IDEMPOTENCY_KEY && key.chars().allMatch(c -> c > 0x20 && c < 0x7F);
        return usable ? key : "sha256-" + sha256(key);
    }

    /** The batch's key: {@code batch-<sha256>} of its messages' keys when every one has a key, else null. */
    static String batchKey(List<String> keys) {
        if (keys.isEmpty() || keys.stream().anyMatch(k -> k == null || k.isBlank())) {
            return null;
        }
        return "batch-" + sha256(String.join("\n", keys));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SendResult missingKey() {
        return failed("no Resend API key is configured (senders.resend.api-key or RESEND_API_KEY)", false);
    }

    private static SendResult failed(String error, boolean retryable) {
        return SendResult.failed(ProviderName.RESEND, error, retryable, null);
    }

    @Override
    public String toString() {
        return "ResendEmailSender[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "missing" : "set")
                + ", maxRetries=" + maxRetries + ", maxRetryAfter=" + maxRetryAfter + "]";
    }
}
