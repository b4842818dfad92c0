package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.unsubscribe.UnsubscribeLinks;
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

import javax.net.ssl.SSLHandshakeException;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Resend's REST API ({@code POST /emails}, {@code POST /emails/batch}) over the JAX-RS client: exactly one HTTP
 * request per call of {@link #sendOne} or {@link #sendBatch(List, String)}, whose {@link RequestOutcome} says what it
 * came to. The caller takes one rate-limit token per call and decides about retries; this class decides nothing about
 * either.
 * <p>
 * The JSON body follows Resend's published API: {@code from} ("Name &lt;addr&gt;" as formatted by
 * {@link MessageHeaders}), {@code to} and {@code reply_to} as arrays, {@code subject}, {@code html}, {@code text},
 * {@code headers} (object) and {@code tags} ({@code [{"name","value"}]}, sanitized, including {@code organization} and
 * {@code campaign}). It is deterministic: the same messages in the same order give the same bytes, in any JVM (headers
 * and tags are sorted by name), so a request sent again after a lost answer is the payload Resend saw and its
 * {@code Idempotency-Key} replays the first answer instead of sending twice (24 hours).
 * <p>
 * Keys: {@link #messageKey} and {@link #batchKey} derive the {@code Idempotency-Key} from the organization and the
 * message keys, so two organizations using the same key both send.
 * <p>
 * Never logs the API key, never puts it in an outcome; {@link #toString()} leaves it out. Thread-safe (the JAX-RS
 * {@link Client} is).
 */
public final class ResendEmailSender {

    /** Resend's limit of emails per batch call. */
    public static final int MAX_BATCH = 100;
    /** Resend's limit per email (40 MB, documented with attachments), applied to the email's JSON. */
    public static final int MAX_EMAIL_BYTES = 40 * 1024 * 1024;
    static final int MAX_IDEMPOTENCY_KEY = 256;
    private static final int MAX_ERROR_BODY = 300;
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");
    /**
     * Jersey's {@code ClientProperties.REQUEST_ENTITY_PROCESSING}. Chunked streams the body instead of letting
     * {@code HttpURLConnection} buffer it, and a buffered POST is silently sent a second time by
     * {@code HttpURLConnection} when the connection closes before the answer ({@code sun.net.http.retryPost}): for
     * Resend, a second request this class did not make.
     */
    private static final String ENTITY_PROCESSING = "jersey.config.client.request.entity.processing";
    /**
     * The address form Resend accepts ("The email address needs to follow the {@code email@example.com} format"): no
     * spaces, quotes, angle brackets or commas, and a domain with a dot. Stricter than RFC 5322 (which
     * {@link MessageHeaders} checks): a quoted local part or a dotless domain passes there and not here.
     */
    private static final Pattern RESEND_ADDRESS = Pattern.compile("[^\\s@<>\",]+@[^\\s@<>\",]+\\.[^\\s@<>\",.]+");

    /**
     * What one request to Resend came to.
     *
     * @param kind         what happened
     * @param ids          for {@link Kind#ACCEPTED}: Resend's id of each email, in the order sent, one per email (null
     *                     where Resend's answer had none); else empty
     * @param error        what went wrong, for people (Resend's status, error name and message; never the API key);
     *                     null when accepted
     * @param retryAfter   for {@link Kind#THROTTLED}: how long to wait ({@code retry-after} in seconds or as an HTTP
     *                     date, else {@code ratelimit-reset}, else 1 s); for {@link Kind#QUOTA_EXCEEDED} the same
     *                     headers when Resend sent them, else null; null otherwise
     * @param invalidIndex for {@link Kind#INVALID} from {@link #sendBatch(List, String)}: the index of the email that
     *                     failed the local checks ({@link #invalid}); null when Resend refused the batch, since
     *                     Resend's answer does not say which email it was (strict batch validation), and for
     *                     {@link #sendOne}
     */
    public record RequestOutcome(Kind kind, List<String> ids, String error, Duration retryAfter, Integer invalidIndex) {

        public enum Kind {
            /** 2xx: sent (or an earlier identical request with the same key was, and this is its answer). */
            ACCEPTED,
            /** 429 {@code rate_limit_exceeded} (or another 429 than a quota): nothing sent; wait {@code retryAfter}. */
            THROTTLED,
            /**
             * 429 {@code daily_quota_exceeded} or {@code monthly_quota_exceeded}: nothing sent, and nothing will be
             * until the quota resets (hours); retrying now only spends requests.
             */
            QUOTA_EXCEEDED,
            /**
             * The payload was refused (400/422: {@code validation_error}, {@code missing_required_field}, ...), or a
             * message failed {@link #invalid} and no request was made: nothing sent, not retryable as it is.
             */
            INVALID,
            /**
             * Another 4xx (401/403 such as {@code invalid_api_key} or an unverified domain, 400
             * {@code invalid_idempotency_key}, 404, 405, 451, ...): nothing sent, not retryable as it is.
             */
            REJECTED,
            /**
             * 409 {@code invalid_idempotent_request}: the key was used with another payload within 24 hours. Nothing
             * sent by this request; what the first one did is not known here.
             */
            CONFLICT,
            /** 409 {@code concurrent_idempotent_requests}: the first request with this key is still running. */
            IN_PROGRESS,
            /**
             * Not accepted: 5xx other than 504, 408, or the connection could not be made (refused, unknown host, no
             * route, TLS handshake), so no request was written.
             */
            UNAVAILABLE,
            /**
             * Maybe accepted: no answer in time, 504, or the connection broke after the request may have been
             * written. Send the same request again with the same key to learn the answer.
             */
            TIMEOUT,
            /** No API key is configured: no request was made. */
            NOT_CONFIGURED
        }

        public RequestOutcome {
            Objects.requireNonNull(kind, "kind");
            ids = ids == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(ids));
        }

        /** Whether Resend took the request ({@link Kind#ACCEPTED}). */
        public boolean accepted() {
            return kind == Kind.ACCEPTED;
        }

        /** Whether the emails may have gone out: {@link Kind#ACCEPTED} or {@link Kind#TIMEOUT}. */
        public boolean maybeSent() {
            return kind == Kind.ACCEPTED || kind == Kind.TIMEOUT;
        }

        static RequestOutcome accepted(List<String> ids) {
            return new RequestOutcome(Kind.ACCEPTED, ids, null, null, null);
        }

        static RequestOutcome failed(Kind kind, String error) {
            return new RequestOutcome(kind, List.of(), error, null, null);
        }
    }

    private final Client client;
    private final URI baseUrl;
    private final String apiKey;
    private final UnsubscribeLinks unsubscribeLinks;
    private final JsonProvider json = JsonProvider.provider();

    /** A sender that makes no unsubscribe links (a message asking for one is invalid). */
    public ResendEmailSender(Client client, URI baseUrl, String apiKey) {
        this(client, baseUrl, apiKey, UnsubscribeLinks.none());
    }

    /**
     * @param client  the shared JAX-RS client (its timeouts bound each request)
     * @param baseUrl e.g. {@code https://api.resend.com}
     * @param apiKey  the API key; null or blank makes every call {@link RequestOutcome.Kind#NOT_CONFIGURED}
     * @param unsubscribeLinks the module's one-click unsubscribe links, for messages that ask for one (their
     *                         {@code List-Unsubscribe} and {@code List-Unsubscribe-Post} go in {@code headers})
     */
    public ResendEmailSender(Client client, URI baseUrl, String apiKey, UnsubscribeLinks unsubscribeLinks) {
        this.client = Objects.requireNonNull(client, "client");
        this.unsubscribeLinks = Objects.requireNonNull(unsubscribeLinks, "unsubscribeLinks");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        if (this.apiKey != null && !this.apiKey.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("the Resend API key contains characters an API key cannot have");
        }
    }

    // ------------------------------------------------------------------ the API

    /**
     * One email with {@code POST /emails}: one request, or none when there is no API key or the message fails
     * {@link #invalid} ({@link RequestOutcome.Kind#INVALID}, {@code invalidIndex} null). Never throws for provider
     * failures.
     *
     * @param idempotencyKey the {@code Idempotency-Key}, normally {@link #messageKey}; null for none
     * @throws IllegalArgumentException when the key is not 1-256 printable ASCII characters
     */
    public RequestOutcome sendOne(EmailMessage message, String idempotencyKey) {
        return send(prepareOne(message, idempotencyKey), idempotencyKey);
    }

    /**
     * A request checked and built ahead of its rate-limit slot, so that at the slot only the POST is left (building
     * and checking 100 emails' JSON took tens of milliseconds on a busy machine, enough to put a request next to the
     * one after it: bench figure 15.1b). {@code refused}: no request is to be made, and this is the outcome.
     */
    public record PreparedRequest(String path, String body, int emails, RequestOutcome refused) {
        static PreparedRequest refusing(RequestOutcome outcome) {
            return new PreparedRequest(null, null, 0, outcome);
        }
    }

    /** {@link #sendOne}, up to the request: checked and built, not sent. */
    public PreparedRequest prepareOne(EmailMessage message, String idempotencyKey) {
        Objects.requireNonNull(message, "message");
        checkKey(idempotencyKey);
        if (apiKey == null) {
            return PreparedRequest.refusing(notConfigured());
        }
        Optional<String> invalid = invalid(message);
        if (invalid.isPresent()) {
            return PreparedRequest.refusing(RequestOutcome.failed(RequestOutcome.Kind.INVALID, invalid.get()));
        }
        return new PreparedRequest("emails", email(message).toString(), 1, null);
    }

    /** Sends a prepared request (or answers its refusal); never throws for provider failures. */
    public RequestOutcome send(PreparedRequest request, String idempotencyKey) {
        if (request.refused() != null) {
            return request.refused();
        }
        return post(request.path(), request.body(), idempotencyKey, request.emails());
    }

    /**
     * Up to {@value #MAX_BATCH} emails with one {@code POST /emails/batch}; on {@link RequestOutcome.Kind#ACCEPTED}
     * the ids are in the order of {@code messages}. When a message fails {@link #invalid}, no request is made: the
     * outcome is {@link RequestOutcome.Kind#INVALID} with the index of the first such message. Resend refuses a whole
     * batch when one email is invalid (422, nothing sent, without saying which). Never throws for provider failures.
     *
     * @param idempotencyKey the {@code Idempotency-Key}, normally {@link #batchKey}; null for none. A batch sent again
     *                       under the same key must be the same messages in the same order, or Resend answers
     *                       {@link RequestOutcome.Kind#CONFLICT}
     * @throws IllegalArgumentException when there are no messages or more than {@value #MAX_BATCH}, or the key is not
     *                                  1-256 printable ASCII characters
     */
    public RequestOutcome sendBatch(List<EmailMessage> messages, String idempotencyKey) {
        return send(prepareBatch(messages, idempotencyKey), idempotencyKey);
    }

    /** {@link #sendBatch}, up to the request: checked and built, not sent. */
    public PreparedRequest prepareBatch(List<EmailMessage> messages, String idempotencyKey) {
        Objects.requireNonNull(messages, "messages");
        if (messages.isEmpty() || messages.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a Resend batch has 1 to " + MAX_BATCH + " emails, not " + messages.size());
        }
        checkKey(idempotencyKey);
        if (apiKey == null) {
            return PreparedRequest.refusing(notConfigured());
        }
        for (int i = 0; i < messages.size(); i++) {
            Optional<String> invalid = invalid(messages.get(i));
            if (invalid.isPresent()) {
                return PreparedRequest.refusing(
                        new RequestOutcome(RequestOutcome.Kind.INVALID, List.of(), invalid.get(), null, i));
            }
        }
        return new PreparedRequest("emails/batch", batchBody(messages), messages.size(), null);
    }

    /**
     * What Resend would refuse in this message that can be known here, so that a batch goes only with emails that
     * pass: the checks of {@link MessageHeaders} (no control characters, addresses, extra headers), addresses in the
     * form Resend accepts ({@code name@example.com}: no quoted local part, a domain with a dot), a non-blank subject,
     * a non-empty HTML or text body, and at most {@value #MAX_EMAIL_BYTES} bytes of JSON. Empty when it passes; else
     * why not, without the offending value.
     */
    public Optional<String> invalid(EmailMessage message) {
        MessageHeaders.Encoded e;
        try {
            e = MessageHeaders.encode(message, unsubscribeLinks);
        } catch (MessageHeaders.InvalidMessageException ex) {
            return Optional.of(ex.getMessage());
        }
        if (!RESEND_ADDRESS.matcher(e.fromAddress()).matches()) {
            return Optional.of("from is not an address Resend accepts (name@example.com)");
        }
        if (!RESEND_ADDRESS.matcher(e.toAddress()).matches()) {
            return Optional.of("to is not an address Resend accepts (name@example.com)");
        }
        for (String replyTo : message.replyTo()) {
            if (!RESEND_ADDRESS.matcher(MessageHeaders.parse("replyTo", replyTo).getAddress()).matches()) {
                return Optional.of("replyTo is not an address Resend accepts (name@example.com)");
            }
        }
        if (message.subject().isBlank()) {
            return Optional.of("subject is empty");
        }
        if (isEmpty(message.html()) && isEmpty(message.text())) {
            return Optional.of("the email has neither an HTML nor a text body");
        }
        if (utf8Length(email(message).toString()) > MAX_EMAIL_BYTES) {
            return Optional.of("the email is larger than Resend's 40 MB");
        }
        return Optional.empty();
    }

    // ------------------------------------------------------------------ idempotency keys

    /**
     * The {@code Idempotency-Key} of one email: {@code msg-<sha256 hex>} of the organization and the message's key, so
     * the same key in two organizations gives two keys, and the same pair always the same one (68 printable ASCII
     * characters). Null when the message has no key (null or blank).
     */
    public static String messageKey(String organizationId, String idempotencyKey) {
        Objects.requireNonNull(organizationId, "organizationId");
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            return null;
        }
        return "msg-" + digest("message", organizationId, idempotencyKey);
    }

    /** {@link #messageKey(String, String)} of the message's organization and key. */
    public static String messageKey(EmailMessage message) {
        return messageKey(message.organizationId(), message.idempotencyKey());
    }

    /**
     * The {@code Idempotency-Key} of a batch: {@code batch-<sha256 hex>} of the organization and the messages' keys in
     * order (70 printable ASCII characters). Null when there are none or any of them is null or blank.
     */
    public static String batchKey(String organizationId, List<String> idempotencyKeys) {
        Objects.requireNonNull(organizationId, "organizationId");
        return batchKeyOf(idempotencyKeys.stream().map(k -> new String[] {organizationId, k}).toList());
    }

    /**
     * The {@code Idempotency-Key} of a batch from each message's organization and key; equal to
     * {@link #batchKey(String, List)} when all messages belong to one organization, and defined for a batch that mixes
     * organizations.
     */
    public static String batchKey(List<EmailMessage> messages) {
        return batchKeyOf(messages.stream().map(m -> new String[] {m.organizationId(), m.idempotencyKey()}).toList());
    }

    private static String batchKeyOf(List<String[]> pairs) {
        if (pairs.isEmpty() || pairs.stream().anyMatch(p -> p[1] == null || p[1].isBlank())) {
            return null;
        }
        List<String> fields = new ArrayList<>(1 + 2 * pairs.size());
        fields.add("batch");
        for (String[] p : pairs) {
            fields.add(Objects.requireNonNull(p[0], "organizationId"));
            fields.add(p[1]);
        }
        return "batch-" + digest(fields.toArray(String[]::new));
    }

    /**
     * SHA-256 of the fields, each as its UTF-8 length (4 bytes, big-endian) followed by its bytes: no two different
     * lists of fields give the same input (organization "a" with key "b:c" is not organization "a:b" with key "c").
     */
    private static String digest(String... fields) {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        for (String field : fields) {
            byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
            input.write(bytes.length >>> 24);
            input.write(bytes.length >>> 16);
            input.write(bytes.length >>> 8);
            input.write(bytes.length);
            input.writeBytes(bytes);
        }
        return sha256(input.toByteArray());
    }

    private static void checkKey(String key) {
        if (key != null && (key.isEmpty() || key.length() > MAX_IDEMPOTENCY_KEY
                || !key.chars().allMatch(c -> c > 0x20 && c < 0x7F))) {
            throw new IllegalArgumentException("an Idempotency-Key is 1-" + MAX_IDEMPOTENCY_KEY
                    + " printable ASCII characters (use messageKey or batchKey)");
        }
    }

    // ------------------------------------------------------------------ request bodies

    /** The JSON array of a batch request, deterministic for the same messages in the same order. */
    String batchBody(List<EmailMessage> messages) {
        JsonArrayBuilder array = json.createArrayBuilder();
        messages.forEach(m -> array.add(email(m)));
        return array.build().toString();
    }

    /**
     * One email per Resend's {@code SendEmailRequest}, with headers and tags sorted by name so that the same message
     * gives the same JSON in every JVM (an {@link EmailMessage}'s maps have no defined order); throws
     * {@link MessageHeaders.InvalidMessageException} for a message that fails {@link MessageHeaders}.
     */
    JsonObject email(EmailMessage message) {
        MessageHeaders.Encoded e = MessageHeaders.encode(message, unsubscribeLinks);
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
            new TreeMap<>(e.headers()).forEach(headers::add);
            b.add("headers", headers);
        }
        if (!e.tags().isEmpty()) {
            JsonArrayBuilder tags = json.createArrayBuilder();
            new TreeMap<>(e.tags()).forEach((name, value) ->
                    tags.add(json.createObjectBuilder().add("name", name).add("value", value)));
            b.add("tags", tags);
        }
        return b.build();
    }

    // ------------------------------------------------------------------ HTTP

    private RequestOutcome post(String path, String body, String idempotencyKey, int emails) {
        Invocation.Builder request = client.target(baseUrl).path(path)
                .property(ENTITY_PROCESSING, "CHUNKED")
                .request(MediaType.APPLICATION_JSON_TYPE)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + apiKey);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        try (Response response = request.post(Entity.entity(body, JSON_UTF8))) {
            int status = response.getStatus();
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            return interpret(status, text, response, emails);
        } catch (ProcessingException e) {
            return connectionFailure(e);
        }
    }

    private RequestOutcome interpret(int status, String text, Response response, int emails) {
        if (status >= 200 && status < 300) {
            return RequestOutcome.accepted(ids(parse(text), emails));
        }
        String name = errorName(text);
        String error = describe(status, text);
        RequestOutcome.Kind kind;
        Duration retryAfter = null;
        if (status == 429) {
            boolean quota = "daily_quota_exceeded".equals(name) || "monthly_quota_exceeded".equals(name);
            kind = quota ? RequestOutcome.Kind.QUOTA_EXCEEDED : RequestOutcome.Kind.THROTTLED;
            retryAfter = quota && !hasRetryHeaders(response) ? null : retryAfter(response);
        } else if (status == 409 && "invalid_idempotent_request".equals(name)) {
            kind = RequestOutcome.Kind.CONFLICT;
        } else if (status == 409 && "concurrent_idempotent_requests".equals(name)) {
            kind = RequestOutcome.Kind.IN_PROGRESS;
        } else if ((status == 400 || status == 422) && !"invalid_idempotency_key".equals(name)) {
            kind = RequestOutcome.Kind.INVALID;
        } else if (status == 504) {
            kind = RequestOutcome.Kind.TIMEOUT;
        } else if (status >= 500 || status == 408) {
            kind = RequestOutcome.Kind.UNAVAILABLE;
        } else {
            kind = RequestOutcome.Kind.REJECTED;
        }
        return new RequestOutcome(kind, List.of(), error, retryAfter, null);
    }

    /** Resend's ids: {@code {"id"}} for one email, {@code {"data":[{"id"},...]}} for a batch; null where missing. */
    private static List<String> ids(JsonValue answer, int emails) {
        String[] ids = new String[emails];
        if (answer instanceof JsonObject o) {
            if (o.get("data") instanceof JsonArray data) {
                for (int i = 0; i < Math.min(emails, data.size()); i++) {
                    ids[i] = data.get(i) instanceof JsonObject item ? string(item, "id") : null;
                }
            } else if (emails == 1) {
                ids[0] = string(o, "id");
            }
        }
        return Arrays.asList(ids);
    }

    /**
     * A request that got no HTTP answer. Only a connection that could not be made proves that nothing was written;
     * everything else (a read timeout, a reset or an end of stream while waiting for the answer) may follow an accepted
     * request.
     */
    private static RequestOutcome connectionFailure(ProcessingException e) {
        boolean notConnected = false;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof NoRouteToHostException
                    || t instanceof PortUnreachableException || t instanceof SSLHandshakeException) {
                notConnected = true;
                break;
            }
        }
        return notConnected
                ? RequestOutcome.failed(RequestOutcome.Kind.UNAVAILABLE, "could not reach Resend: " + rootMessage(e))
                : RequestOutcome.failed(RequestOutcome.Kind.TIMEOUT,
                "Resend did not answer (the request may have been accepted): " + rootMessage(e));
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

    private static boolean hasRetryHeaders(Response response) {
        return !isEmpty(response.getHeaderString("retry-after")) || !isEmpty(response.getHeaderString("ratelimit-reset"));
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

    private static RequestOutcome notConfigured() {
        return RequestOutcome.failed(RequestOutcome.Kind.NOT_CONFIGURED,
                "no Resend API key is configured (senders.resend.api-key or RESEND_API_KEY)");
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static String sha256(byte[] input) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(input));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "ResendEmailSender[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null ? "missing" : "set") + "]";
    }
}
