package dev.senders.sandbox;

import com.sun.net.httpserver.HttpExchange;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stub of the Amazon SES v1 API (Query protocol: form-encoded POST, XML answers in namespace
 * {@value #NAMESPACE}) on {@code 127.0.0.1}, good enough for the real AWS SDK {@code SesClient}:
 * point it at {@link #endpoint()} with {@code endpointOverride}. SigV4 signatures are not checked; whether
 * a request carried an {@code Authorization} header is recorded.
 *
 * <p>Supported actions: {@link #ACTIONS}. Others answer {@code InvalidAction}. Errors use the SES Query
 * error document, so the SDK raises {@code SesException} whose {@code awsErrorDetails().errorCode()} is the
 * code.
 *
 * <p>Control: the public methods below, and the same over HTTP under {@code /_stub/} (JSON; see
 * {@code GET /_stub/}). Accepted mail is shown at {@code /_stub/mail}.
 *
 * <p>Thread-safe.
 */
public final class SesStub extends StubServer {
    public static final String NAMESPACE = "http://ses.amazonaws.com/doc/2010-12-01/";
    public static final double DEFAULT_MAX_24_HOUR_SEND = 50_000;
    public static final double DEFAULT_MAX_SEND_RATE = 14;
    public static final Duration DEFAULT_PENDING_EXPIRY = Duration.ofHours(72);
    /** Identity-status values, as SES spells them. */
    public static final Set<String> STATUSES = Set.of("Pending", "Success", "Failed", "TemporaryFailure", "NotStarted");
    public static final Set<String> ACTIONS = Set.of(
            "VerifyDomainIdentity", "VerifyDomainDkim", "VerifyEmailIdentity", "GetIdentityVerificationAttributes",
            "GetIdentityDkimAttributes", "DeleteIdentity", "ListIdentities", "GetSendQuota",
            "GetAccountSendingEnabled", "UpdateAccountSendingEnabled", "SendEmail", "SendRawEmail",
            "SetIdentityMailFromDomain", "GetIdentityMailFromDomainAttributes", "CreateConfigurationSet",
            "CreateConfigurationSetEventDestination", "DescribeConfigurationSet", "DeleteConfigurationSet");

    private static final String PENDING = "Pending";
    private static final String SUCCESS = "Success";
    private static final String FAILED = "Failed";
    private static final String TEMPORARY_FAILURE = "TemporaryFailure";
    private static final String NOT_STARTED = "NotStarted";
    private static final int MAX_RECIPIENTS = 50;
    private static final Pattern DOMAIN = Pattern.compile("(?i)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+");
    private static final Pattern CONFIG_SET_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern CREDENTIAL_REGION = Pattern.compile("Credential=[^/,\\s]+/\\d{8}/([a-z0-9-]+)/");
    /** The request header a sender may tag a request with ({@link Call#tag}). */
    public static final String TAG_HEADER = "x-senders-request-tag";
    private static final Set<String> EVENT_TYPES = Set.of("send", "reject", "bounce", "complaint", "delivery", "open",
            "click", "renderingFailure", "deliveryDelay", "subscription");

    // ------------------------------------------------------------------ recorded data (public views)

    /**
     * One request that reached the wire API, whatever its outcome.
     *
     * @param params       the decoded form parameters (including {@code Action} and {@code Version})
     * @param signed       whether an {@code Authorization} header was present
     * @param region       the region named in the SigV4 credential scope, or null
     * @param receivedNanos {@link System#nanoTime()} at receipt
     * @param status       the HTTP status answered
     * @param errorCode    the SES error code answered, or null on success
     * @param tag          the number the sender tagged this request with in the {@value #TAG_HEADER} header, or 0
     *                     when it named none: the bench matches it with the request's rate slot, known to the sender
     *                     only after the request was signed, for how long after its slot a request reached the stub
     */
    public record Call(String action, Map<String, String> params, boolean signed, String region, Instant receivedAt,
                       long receivedNanos, int status, String errorCode, long tag) {
        public String param(String name) {
            return params.get(name);
        }
    }

    /** One accepted {@code SendEmail} / {@code SendRawEmail}. {@code rawMessage} is set for raw sends only. */
    public record SentMessage(String messageId, String action, String source, List<String> to, List<String> cc,
                              List<String> bcc, List<String> replyTo, String subject, String html, String text,
                              String configurationSet, Map<String, String> tags, String returnPath,
                              String rawMessage, Instant timestamp) {
    }

    /** Snapshot of one identity, statuses evaluated at the time of the call. */
    public record IdentityInfo(String identity, String type, String verificationStatus, String verificationToken,
                               Instant createdAt, boolean dkimEnabled, String dkimVerificationStatus,
                               List<String> dkimTokens, String mailFromDomain, String mailFromDomainStatus,
                               String behaviorOnMxFailure) {
    }

    // ------------------------------------------------------------------ internal state

    /** A status that the policy may move on from Pending. Guarded by its Identity's monitor. */
    private static final class Check {
        String status;
        boolean transientFailure;
        Instant since;

        Check(String status, Instant since) {
            this.status = status;
            this.since = since;
        }

        boolean open() {
            return status.equals(PENDING) || (transientFailure && status.equals(TEMPORARY_FAILURE));
        }

        void set(String s, Instant now) {
            status = s;
            transientFailure = false;
            if (s.equals(PENDING)) {
                since = now;
            }
        }
    }

    private static final class Identity {
        final String name;
        final boolean domain;
        final long seq;
        final Instant createdAt;
        final Check verification;
        boolean dkimEnabled;
        List<String> dkimTokens = List.of();
        Check dkim;
        String mailFrom;
        Check mailFromCheck;
        String behaviorOnMx = "UseDefaultValue";

        Identity(String name, boolean domain, long seq, Instant now) {
            this.name = name;
            this.domain = domain;
            this.seq = seq;
            this.createdAt = now;
            this.verification = new Check(PENDING, now);
        }
    }

    private static final class ConfigSet {
        final String name;
        final Map<String, EventDestination> destinations = new LinkedHashMap<>();

        ConfigSet(String name) {
            this.name = name;
        }
    }

    private record EventDestination(String name, boolean enabled, List<String> types, String snsTopicArn) {
    }

    private record Sent(Instant at, int recipients) {
    }

    /** An error answered in the SES Query error format. */
    private static final class SesError extends RuntimeException {
        final int status;
        final String code;

        SesError(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }

        static SesError sender(String code, String message) {
            return new SesError(400, code, message);
        }
    }

    private record Reply(int status, String body, String errorCode) {
    }

    private final Map<String, Identity> identities = new ConcurrentHashMap<>();
    private final AtomicLong identitySeq = new AtomicLong();
    private final Map<String, ConfigSet> configSets = new LinkedHashMap<>(); // guarded by itself
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<SentMessage> sent = Collections.synchronizedList(new ArrayList<>());
    private final Faults faults = new Faults();
    private final Object sendLock = new Object();
    private final SlidingSecond rateWindow = new SlidingSecond(); // guarded by sendLock
    private final Deque<Sent> last24h = new ArrayDeque<>(); // guarded by sendLock
    private final AtomicLong messageSeq = new AtomicLong();

    private volatile double max24HourSend = DEFAULT_MAX_24_HOUR_SEND;
    private volatile double maxSendRate = DEFAULT_MAX_SEND_RATE;
    private volatile boolean sendingEnabled = true;
    private volatile boolean enforceMaxSendRate;
    private volatile VerificationPolicy policy;
    private volatile Duration pendingExpiry = DEFAULT_PENDING_EXPIRY;
    private volatile Clock clock = Clock.systemUTC();
    private volatile String defaultRegion = "us-east-1";
    private volatile Consumer<IdentityInfo> domainListener = info -> { };

    private SesStub(VerificationPolicy policy) {
        super("ses-stub");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Starts on an ephemeral port with the {@link VerificationPolicy#manual()} policy. */
    public static SesStub start() {
        return start(0);
    }

    /** Starts on {@code port} (0 = ephemeral) with the {@link VerificationPolicy#manual()} policy. */
    public static SesStub start(int port) {
        return start(port, VerificationPolicy.manual());
    }

    public static SesStub start(int port, VerificationPolicy policy) {
        SesStub stub = new SesStub(policy);
        stub.startServer(port);
        return stub;
    }

    // ------------------------------------------------------------------ configuration

    public SesStub verificationPolicy(VerificationPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        return this;
    }

    /** How long an identity may stay Pending before it becomes Failed (default 72 h). */
    public SesStub pendingExpiry(Duration expiry) {
        this.pendingExpiry = Objects.requireNonNull(expiry, "expiry");
        return this;
    }

    /** Clock for identity ages, the 24-hour send count and recorded timestamps (default: system UTC). */
    public SesStub clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * Told about a domain identity when it is created and whenever one of its statuses changes (by the policy, the
     * pending expiry or the control API), with the identity as it is then; called while the identity is locked, so it
     * must not call back into this stub. The sandbox's DNS zone publishes a verified domain's records this way.
     */
    public SesStub onDomainChange(Consumer<IdentityInfo> listener) {
        this.domainListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Region named in error messages when the request's credential scope names none (default us-east-1). */
    public SesStub defaultRegion(String region) {
        this.defaultRegion = Objects.requireNonNull(region, "region");
        return this;
    }

    public void setSendQuota(double max24HourSend, double maxSendRate) {
        if (max24HourSend < 0 || maxSendRate <= 0) {
            throw new IllegalArgumentException("quota must be >= 0 and rate > 0");
        }
        this.max24HourSend = max24HourSend;
        this.maxSendRate = maxSendRate;
    }

    /** GetSendQuota's Max24HourSend now. */
    public double max24HourSend() {
        return max24HourSend;
    }

    /** GetSendQuota's MaxSendRate now. */
    public double maxSendRate() {
        return maxSendRate;
    }

    public void setSendingEnabled(boolean enabled) {
        this.sendingEnabled = enabled;
    }

    /** When on, sends beyond MaxSendRate recipients in any sliding second answer {@code Throttling}. */
    public void enforceMaxSendRate(boolean enforce) {
        this.enforceMaxSendRate = enforce;
    }

    // ------------------------------------------------------------------ control: identities

    /** The token this stub hands out for {@code domain} (deterministic: the same in every run). */
    public static String verificationTokenFor(String domain) {
        return Base64.getEncoder().encodeToString(sha256("ses-stub/verification/" + normalizeDomain(domain)));
    }

    /** The three DKIM tokens this stub hands out for {@code domain} (deterministic, 32 chars of [a-z2-7]). */
    public static List<String> dkimTokensFor(String domain) {
        String d = normalizeDomain(domain);
        List<String> tokens = new ArrayList<>(3);
        for (int i = 1; i <= 3; i++) {
            tokens.add(base32Lower(sha256("ses-stub/dkim/" + i + "/" + d), 32));
        }
        return List.copyOf(tokens);
    }

    /** Sets the verification status of an identity (domain or e-mail address), creating it if unknown. */
    public void setVerificationStatus(String identity, String status) {
        String s = checkStatus(status);
        Identity id = getOrCreate(identity);
        synchronized (id) {
            id.verification.set(s, clock.instant());
            changed(id);
        }
    }

    /** Sets the DKIM status of a domain, creating the identity and its DKIM tokens if needed. */
    public void setDkimStatus(String domain, String status) {
        String s = checkStatus(status);
        Identity id = getOrCreate(normalizeDomain(domain));
        synchronized (id) {
            if (s.equals(NOT_STARTED)) {
                id.dkim = null;
                id.dkimEnabled = false;
            } else {
                ensureDkim(id, clock.instant());
                id.dkim.set(s, clock.instant());
            }
            changed(id);
        }
    }

    /** Sets the custom MAIL FROM status of an identity that has a MAIL FROM domain. */
    public void setMailFromStatus(String identity, String status) {
        String s = checkStatus(status);
        Identity id = identities.get(key(identity));
        if (id == null) {
            throw new IllegalArgumentException("unknown identity " + identity);
        }
        synchronized (id) {
            if (id.mailFromCheck == null) {
                throw new IllegalArgumentException("identity " + identity + " has no MAIL FROM domain");
            }
            id.mailFromCheck.set(s, clock.instant());
            changed(id);
        }
    }

    /** Shortcut: the domain exists and both its verification and DKIM are Success. */
    public void verifyDomain(String domain) {
        setVerificationStatus(normalizeDomain(domain), SUCCESS);
        setDkimStatus(domain, SUCCESS);
    }

    public List<IdentityInfo> identities() {
        Instant now = clock.instant();
        return identities.values().stream().sorted(Comparator.comparingLong(i -> i.seq)).map(i -> info(i, now)).toList();
    }

    public Optional<IdentityInfo> identity(String identity) {
        Identity id = identities.get(key(identity));
        return id == null ? Optional.empty() : Optional.of(info(id, clock.instant()));
    }

    // ------------------------------------------------------------------ control: faults and observation

    /**
     * The next {@code times} calls of {@code action} ("*" = any action) answer this error instead of being
     * performed. SDK behaviour by code: {@code Throttling} (400) and 500/503 are retried by the default retry
     * policy; other 4xx are not.
     */
    public void failNext(String action, int times, int httpStatus, String code, String message) {
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus must be 4xx or 5xx: " + httpStatus);
        }
        faults.add(action, times, new Faults.Fault(httpStatus, Objects.requireNonNull(code, "code"),
                message == null ? "" : message, Duration.ZERO, 0));
    }

    /**
     * The next {@code times} calls of {@code action} ("*" = any) are performed (a send is recorded) but the
     * answer is held back for {@code delay}: "accepted, then the client timed out".
     */
    public void delayNext(String action, int times, Duration delay) {
        faults.add(action, times, new Faults.Fault(0, null, null, Objects.requireNonNull(delay, "delay"), 0));
    }

    public int callCount(String action) {
        synchronized (calls) {
            return (int) calls.stream().filter(c -> Objects.equals(c.action(), action)).count();
        }
    }

    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public List<Call> calls(String action) {
        synchronized (calls) {
            return calls.stream().filter(c -> Objects.equals(c.action(), action)).toList();
        }
    }

    /** Accepted messages, oldest first. */
    public List<SentMessage> sentMessages() {
        synchronized (sent) {
            return List.copyOf(sent);
        }
    }

    /**
     * Forgets identities, configuration sets, calls, sent mail and pending faults, and restores quota, rate,
     * sending-enabled and rate enforcement to their defaults. Policy, pending expiry, clock and port stay.
     */
    public void reset() {
        identities.clear();
        synchronized (configSets) {
            configSets.clear();
        }
        calls.clear();
        sent.clear();
        faults.clear();
        synchronized (sendLock) {
            rateWindow.clear();
            last24h.clear();
        }
        max24HourSend = DEFAULT_MAX_24_HOUR_SEND;
        maxSendRate = DEFAULT_MAX_SEND_RATE;
        sendingEnabled = true;
        enforceMaxSendRate = false;
    }

    // ------------------------------------------------------------------ wire API

    @Override
    public String label() {
        return "Amazon SES (local)";
    }

    private static long tag(HttpExchange ex) {
        String named = ex.getRequestHeaders().getFirst(TAG_HEADER);
        try {
            return named == null ? 0 : Long.parseLong(named.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    void handleApi(HttpExchange ex) throws IOException {
        Instant now = clock.instant();
        long nanos = System.nanoTime();
        Map<String, String> params = new LinkedHashMap<>(query(ex));
        byte[] body = readBody(ex);
        if (body.length > 0) {
            params.putAll(parseForm(new String(body, StandardCharsets.UTF_8)));
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        String region = regionOf(auth);
        String action = params.get("Action");
        String requestId = UUID.randomUUID().toString();

        Faults.Fault fault = faults.take(action);
        Reply reply;
        if (fault != null && fault.isError()) {
            reply = error(new SesError(fault.status(), fault.code(), fault.message()), requestId);
        } else {
            try {
                if (!isPost(ex) && !ex.getRequestMethod().equals("GET")) {
                    throw new SesError(405, "MethodNotAllowed", "The requested method is not allowed.");
                }
                reply = new Reply(200, perform(action, params, region == null ? defaultRegion : region, now, nanos, requestId), null);
            } catch (SesError e) {
                reply = error(e, requestId);
            }
        }
        addCapped(calls, new Call(action, Collections.unmodifiableMap(params), auth != null && !auth.isBlank(), region,
                now, nanos, reply.status(), reply.errorCode(), tag(ex)));
        if (fault != null) {
            sleep(fault.delay());
        }
        ex.getResponseHeaders().set("x-amzn-RequestId", requestId);
        sendText(ex, reply.status(), "text/xml", reply.body());
    }

    private Reply error(SesError e, String requestId) {
        String xml = new Xml().start("ErrorResponse", NAMESPACE)
                .start("Error")
                .elem("Type", e.status >= 500 ? "Receiver" : "Sender")
                .elem("Code", e.code)
                .elem("Message", e.getMessage())
                .end()
                .elem("RequestId", requestId)
                .end().toString();
        return new Reply(e.status, xml, e.code);
    }

    private static String ok(String action, String requestId, Consumer<Xml> result) {
        Xml x = new Xml().start(action + "Response", NAMESPACE).start(action + "Result");
        result.accept(x);
        return x.end().start("ResponseMetadata").elem("RequestId", requestId).end().end().toString();
    }

    private String perform(String action, Map<String, String> p, String region, Instant now, long nanos, String rid) {
        if (action == null || action.isEmpty()) {
            throw SesError.sender("MissingAction", "The request must contain the parameter Action.");
        }
        return switch (action) {
            case "VerifyDomainIdentity" -> {
                String token = verifyDomainIdentity(required(p, "Domain"), now);
                yield ok(action, rid, x -> x.elem("VerificationToken", token));
            }
            case "VerifyDomainDkim" -> {
                List<String> tokens = verifyDomainDkim(required(p, "Domain"), now);
                yield ok(action, rid, x -> x.members("DkimTokens", tokens));
            }
            case "VerifyEmailIdentity" -> {
                verifyEmailIdentity(required(p, "EmailAddress"), now);
                yield ok(action, rid, x -> { });
            }
            case "GetIdentityVerificationAttributes" -> ok(action, rid, x -> identityMap(x, "VerificationAttributes",
                    identitiesParam(p), now, (i, v) -> {
                        v.elem("VerificationStatus", i.verification.status);
                        if (i.domain) {
                            v.elem("VerificationToken", verificationTokenFor(i.name));
                        }
                    }));
            case "GetIdentityDkimAttributes" -> ok(action, rid, x -> identityMap(x, "DkimAttributes",
                    identitiesParam(p), now, (i, v) -> {
                        v.elem("DkimEnabled", i.dkimEnabled);
                        v.elem("DkimVerificationStatus", i.dkim == null ? NOT_STARTED : i.dkim.status);
                        if (!i.dkimTokens.isEmpty()) {
                            v.members("DkimTokens", i.dkimTokens);
                        }
                    }));
            case "GetIdentityMailFromDomainAttributes" -> ok(action, rid, x -> identityMap(x, "MailFromDomainAttributes",
                    identitiesParam(p), now, (i, v) -> {
                        if (i.mailFrom != null) {
                            v.elem("MailFromDomain", i.mailFrom);
                            v.elem("MailFromDomainStatus", i.mailFromCheck.status);
                        }
                        v.elem("BehaviorOnMXFailure", i.behaviorOnMx);
                    }));
            case "DeleteIdentity" -> {
                identities.remove(key(required(p, "Identity")));
                yield ok(action, rid, x -> { });
            }
            case "ListIdentities" -> listIdentities(p, rid);
            case "GetSendQuota" -> {
                int sentCount = sentLast24Hours(now);
                yield ok(action, rid, x -> x.elem("SentLast24Hours", (double) sentCount)
                        .elem("Max24HourSend", max24HourSend).elem("MaxSendRate", maxSendRate));
            }
            case "GetAccountSendingEnabled" -> ok(action, rid, x -> x.elem("Enabled", sendingEnabled));
            case "UpdateAccountSendingEnabled" -> {
                sendingEnabled = Boolean.parseBoolean(p.getOrDefault("Enabled", "false"));
                yield ok(action, rid, x -> { });
            }
            case "SendEmail" -> {
                String id = sendEmail(p, region, now, nanos);
                yield ok(action, rid, x -> x.elem("MessageId", id));
            }
            case "SendRawEmail" -> {
                String id = sendRawEmail(p, region, now, nanos);
                yield ok(action, rid, x -> x.elem("MessageId", id));
            }
            case "SetIdentityMailFromDomain" -> {
                setIdentityMailFromDomain(p, now);
                yield ok(action, rid, x -> { });
            }
            case "CreateConfigurationSet" -> {
                createConfigurationSet(required(p, "ConfigurationSet.Name"));
                yield ok(action, rid, x -> { });
            }
            case "CreateConfigurationSetEventDestination" -> {
                createEventDestination(p);
                yield ok(action, rid, x -> { });
            }
            case "DescribeConfigurationSet" -> describeConfigurationSet(p, rid);
            case "DeleteConfigurationSet" -> {
                String name = required(p, "ConfigurationSetName");
                synchronized (configSets) {
                    if (configSets.remove(name) == null) {
                        throw configSetDoesNotExist(name);
                    }
                }
                yield ok(action, rid, x -> { });
            }
            default -> throw SesError.sender("InvalidAction", "The action " + action + " is not valid for this web service.");
        };
    }

    // ------------------------------------------------------------------ identities

    private String verifyDomainIdentity(String rawDomain, Instant now) {
        String domain = validDomain(rawDomain);
        Identity id = identities.computeIfAbsent(domain, d -> new Identity(d, true, identitySeq.incrementAndGet(), now));
        synchronized (id) {
            if (id.verification.status.equals(FAILED)) {
                id.verification.set(PENDING, now); // asking again restarts verification, same token
            }
            changed(id);
        }
        return verificationTokenFor(domain);
    }

    private List<String> verifyDomainDkim(String rawDomain, Instant now) {
        String domain = validDomain(rawDomain);
        Identity id = identities.computeIfAbsent(domain, d -> new Identity(d, true, identitySeq.incrementAndGet(), now));
        synchronized (id) {
            ensureDkim(id, now);
            if (id.dkim.status.equals(FAILED)) {
                id.dkim.set(PENDING, now);
            }
            changed(id);
            return id.dkimTokens;
        }
    }

    private void verifyEmailIdentity(String email, Instant now) {
        String addr = address(email);
        if (addr.indexOf('@') <= 0) {
            throw SesError.sender("InvalidParameterValue", "Invalid email address <" + email + ">.");
        }
        Identity id = identities.computeIfAbsent(key(addr), k -> new Identity(addr, false, identitySeq.incrementAndGet(), now));
        synchronized (id) {
            if (id.verification.status.equals(FAILED)) {
                id.verification.set(PENDING, now);
            }
        }
    }

    private void ensureDkim(Identity id, Instant now) {
        if (id.dkim == null) {
            id.dkim = new Check(PENDING, now);
            id.dkimTokens = dkimTokensFor(id.name);
            id.dkimEnabled = true;
        }
    }

    private List<String> identitiesParam(Map<String, String> p) {
        List<String> ids = members(p, "Identities");
        if (ids.size() > 100) {
            throw SesError.sender("InvalidParameterValue",
                    "Too many identities in one request: " + ids.size() + ". At most 100 identities are allowed.");
        }
        return ids;
    }

    private interface EntryWriter {
        void write(Identity identity, Xml value);
    }

    /** Writes {@code <mapName><entry><key/><value/></entry>...</mapName>}; unknown identities are omitted. */
    private void identityMap(Xml x, String mapName, List<String> names, Instant now, EntryWriter writer) {
        x.start(mapName);
        Set<String> seen = new java.util.HashSet<>();
        for (String name : names) {
            Identity id = identities.get(key(name));
            if (id == null || !seen.add(key(name))) {
                continue;
            }
            synchronized (id) {
                refresh(id, now);
                x.start("entry").elem("key", name).start("value");
                writer.write(id, x);
                x.end().end();
            }
        }
        x.end();
    }

    private String listIdentities(Map<String, String> p, String rid) {
        String type = p.get("IdentityType");
        if (type != null && !type.isEmpty() && !type.equals("EmailAddress") && !type.equals("Domain")) {
            throw SesError.sender("InvalidParameterValue", "Invalid identity type " + type + ".");
        }
        int max = 1000;
        if (p.get("MaxItems") != null) {
            try {
                max = Integer.parseInt(p.get("MaxItems"));
            } catch (NumberFormatException e) {
                throw SesError.sender("InvalidParameterValue", "MaxItems must be a number.");
            }
            if (max < 1 || max > 1000) {
                max = 1000;
            }
        }
        int offset = 0;
        String next = p.get("NextToken");
        if (next != null && !next.isEmpty()) {
            try {
                offset = Integer.parseInt(new String(Base64.getDecoder().decode(next), StandardCharsets.UTF_8).replace("offset:", ""));
            } catch (IllegalArgumentException e) {
                throw SesError.sender("InvalidParameterValue", "Invalid NextToken.");
            }
        }
        List<String> all = identities.values().stream()
                .filter(i -> type == null || type.isEmpty() || (type.equals("Domain") == i.domain))
                .sorted(Comparator.comparingLong(i -> i.seq)).map(i -> i.name).toList();
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + max);
        List<String> page = all.subList(from, to);
        String token = to < all.size()
                ? Base64.getEncoder().encodeToString(("offset:" + to).getBytes(StandardCharsets.UTF_8)) : null;
        return ok("ListIdentities", rid, x -> x.members("Identities", page).elem("NextToken", token));
    }

    private void setIdentityMailFromDomain(Map<String, String> p, Instant now) {
        String identity = required(p, "Identity");
        Identity id = identities.get(key(identity));
        if (id == null) {
            throw SesError.sender("InvalidParameterValue", "Identity <" + identity + "> does not exist.");
        }
        String mailFrom = p.get("MailFromDomain");
        String behavior = p.getOrDefault("BehaviorOnMXFailure", "UseDefaultValue");
        if (!behavior.equals("UseDefaultValue") && !behavior.equals("RejectMessage")) {
            throw SesError.sender("InvalidParameterValue", "Invalid BehaviorOnMXFailure " + behavior + ".");
        }
        synchronized (id) {
            if (mailFrom == null || mailFrom.isBlank()) {
                id.mailFrom = null;
                id.mailFromCheck = null;
            } else {
                String m = validDomain(mailFrom);
                String parent = id.domain ? id.name : id.name.substring(id.name.indexOf('@') + 1).toLowerCase(Locale.ROOT);
                if (!m.endsWith("." + parent)) {
                    throw SesError.sender("InvalidParameterValue", "Provided MAIL-FROM domain '" + m
                            + "' is not subdomain of the domain of the identity '" + parent + "'.");
                }
                if (!m.equals(id.mailFrom)) {
                    id.mailFrom = m;
                    id.mailFromCheck = new Check(PENDING, now);
                }
            }
            id.behaviorOnMx = behavior;
            changed(id);
        }
    }

    /** Applies expiry and the policy to whatever is still Pending. Caller holds the identity's monitor. */
    private void refresh(Identity id, Instant now) {
        String before = statuses(id);
        evaluateAll(id, now);
        if (!statuses(id).equals(before)) {
            changed(id);
        }
    }

    private static String statuses(Identity id) {
        return id.verification.status + "/" + (id.dkim == null ? NOT_STARTED : id.dkim.status) + "/"
                + (id.mailFromCheck == null ? "" : id.mailFrom + ":" + id.mailFromCheck.status);
    }

    /** Tells the listener about a domain identity. Caller holds the identity's monitor. */
    private void changed(Identity id) {
        if (id.domain) {
            domainListener.accept(snapshot(id));
        }
    }

    private void evaluateAll(Identity id, Instant now) {
        VerificationPolicy pol = policy;
        if (id.domain) {
            evaluate(id.verification, now, d -> pol.domainVerified(id.name, verificationTokenFor(id.name), d));
            if (id.dkim != null) {
                List<String> tokens = id.dkimTokens;
                evaluate(id.dkim, now, d -> pol.dkimVerified(id.name, tokens, d));
            }
        } else {
            evaluate(id.verification, now, d -> pol.emailVerified(id.name, d));
        }
        if (id.mailFromCheck != null) {
            String m = id.mailFrom;
            evaluate(id.mailFromCheck, now, d -> pol.mailFromVerified(m, d));
        }
    }

    private void evaluate(Check c, Instant now, Function<Duration, Boolean> probe) {
        if (!c.open()) {
            return;
        }
        Duration pendingFor = Duration.between(c.since, now);
        if (pendingFor.isNegative()) {
            pendingFor = Duration.ZERO;
        }
        if (pendingFor.compareTo(pendingExpiry) > 0) {
            c.set(FAILED, now);
            return;
        }
        try {
            if (Boolean.TRUE.equals(probe.apply(pendingFor))) {
                c.set(SUCCESS, now);
            } else {
                c.status = PENDING;
                c.transientFailure = false;
            }
        } catch (RuntimeException e) {
            c.status = TEMPORARY_FAILURE;
            c.transientFailure = true;
        }
    }

    private IdentityInfo info(Identity id, Instant now) {
        synchronized (id) {
            refresh(id, now);
            return snapshot(id);
        }
    }

    /** The identity as it is, without asking the policy. Caller holds the identity's monitor. */
    private IdentityInfo snapshot(Identity id) {
        return new IdentityInfo(id.name, id.domain ? "Domain" : "EmailAddress", id.verification.status,
                id.domain ? verificationTokenFor(id.name) : null, id.createdAt, id.dkimEnabled,
                id.dkim == null ? NOT_STARTED : id.dkim.status, id.dkimTokens, id.mailFrom,
                id.mailFromCheck == null ? null : id.mailFromCheck.status, id.behaviorOnMx);
    }

    private Identity getOrCreate(String identity) {
        String name = identity.contains("@") ? address(identity) : normalizeDomain(identity);
        boolean domain = !name.contains("@");
        Instant now = clock.instant();
        return identities.computeIfAbsent(key(name), k -> new Identity(name, domain, identitySeq.incrementAndGet(), now));
    }

    /** Status of an identity if it exists, evaluated now; null when unknown. */
    private String statusOf(String key, Instant now) {
        Identity id = identities.get(key);
        if (id == null) {
            return null;
        }
        synchronized (id) {
            refresh(id, now);
            return id.verification.status;
        }
    }

    // ------------------------------------------------------------------ sending

    private String sendEmail(Map<String, String> p, String region, Instant now, long receivedNanos) {
        String source = p.get("Source");
        List<String> to = members(p, "Destination.ToAddresses");
        List<String> cc = members(p, "Destination.CcAddresses");
        List<String> bcc = members(p, "Destination.BccAddresses");
        List<String> replyTo = members(p, "ReplyToAddresses");
        String configSet = p.get("ConfigurationSetName");
        Map<String, String> tags = tags(p);
        return accept("SendEmail", source, to, cc, bcc, replyTo, p.get("Message.Subject.Data"),
                p.get("Message.Body.Html.Data"), p.get("Message.Body.Text.Data"), configSet, tags,
                p.get("ReturnPath"), null, region, now, receivedNanos);
    }

    private String sendRawEmail(Map<String, String> p, String region, Instant now, long receivedNanos) {
        String data = required(p, "RawMessage.Data");
        String raw;
        try {
            raw = new String(Base64.getMimeDecoder().decode(data), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw SesError.sender("InvalidParameterValue", "RawMessage.Data is not valid base64.");
        }
        Map<String, String> headers = MimeHeaders.parse(raw);
        String source = p.get("Source");
        if (source == null || source.isBlank()) {
            source = headers.get("from");
        }
        if (source == null || source.isBlank()) {
            throw SesError.sender("InvalidParameterValue", "Missing required header 'From'.");
        }
        List<String> destinations = members(p, "Destinations");
        List<String> to = MimeHeaders.addresses(headers.get("to"));
        List<String> cc = MimeHeaders.addresses(headers.get("cc"));
        List<String> bcc = MimeHeaders.addresses(headers.get("bcc"));
        if (!destinations.isEmpty()) {
            // the envelope wins: header recipients not in it get nothing, envelope-only ones are blind copies
            Set<String> envelope = new java.util.HashSet<>();
            destinations.forEach(d -> envelope.add(key(address(d))));
            to = to.stream().filter(a -> envelope.remove(key(address(a)))).toList();
            cc = cc.stream().filter(a -> envelope.remove(key(address(a)))).toList();
            bcc = destinations.stream().filter(d -> envelope.contains(key(address(d)))).toList();
        }
        return accept("SendRawEmail", source, to, cc, bcc, MimeHeaders.addresses(headers.get("reply-to")),
                MimeHeaders.decodeWords(headers.get("subject")), null, null, p.get("ConfigurationSetName"), tags(p),
                null, raw, region, now, receivedNanos);
    }

    private String accept(String action, String source, List<String> to, List<String> cc, List<String> bcc,
                          List<String> replyTo, String subject, String html, String text, String configSet,
                          Map<String, String> tags, String returnPath, String raw, String region, Instant now,
                          long receivedNanos) {
        if (!sendingEnabled) {
            throw SesError.sender("AccountSendingPausedException", "Email sending is disabled for your entire Amazon SES account.");
        }
        if (source == null || source.isBlank()) {
            throw SesError.sender("ValidationError",
                    "1 validation error detected: Value null at 'source' failed to satisfy constraint: Member must not be null");
        }
        String from = address(source);
        int at = from.lastIndexOf('@');
        if (at <= 0 || at == from.length() - 1) {
            throw SesError.sender("InvalidParameterValue", "Missing final '@domain'");
        }
        int recipients = to.size() + cc.size() + bcc.size();
        if (recipients == 0) {
            throw SesError.sender("InvalidParameterValue", "Missing required header 'To'.");
        }
        if (recipients > MAX_RECIPIENTS) {
            throw SesError.sender("InvalidParameterValue", "Recipient count exceeds " + MAX_RECIPIENTS + ".");
        }
        for (String r : concat(to, cc, bcc)) {
            String a = address(r);
            if (a.indexOf('@') <= 0 || a.endsWith("@")) {
                throw SesError.sender("InvalidParameterValue", "Missing final '@domain'");
            }
        }
        checkSourceVerified(from, region, now);
        if (configSet != null && !configSet.isEmpty()) {
            synchronized (configSets) {
                if (!configSets.containsKey(configSet)) {
                    throw configSetDoesNotExist(configSet);
                }
            }
        }
        String messageId;
        synchronized (sendLock) {
            Instant dayAgo = now.minus(Duration.ofHours(24));
            while (!last24h.isEmpty() && !last24h.peekFirst().at().isAfter(dayAgo)) {
                last24h.pollFirst();
            }
            int sentToday = last24h.stream().mapToInt(Sent::recipients).sum();
            if (sentToday + recipients > max24HourSend) {
                throw SesError.sender("Throttling", "Daily message quota exceeded.");
            }
            // counted at receipt, as SES meters what reaches it, not when this handler got the lock
            if (!rateWindow.admit(receivedNanos, recipients, enforceMaxSendRate ? maxSendRate : Double.MAX_VALUE)) {
                throw SesError.sender("Throttling", "Maximum sending rate exceeded.");
            }
            last24h.addLast(new Sent(now, recipients));
            messageId = messageId(now);
            addCapped(sent, new SentMessage(messageId, action, source, List.copyOf(to), List.copyOf(cc), List.copyOf(bcc),
                    List.copyOf(replyTo), subject, html, text, configSet, Collections.unmodifiableMap(tags), returnPath,
                    raw, now));
        }
        return messageId;
    }

    private void checkSourceVerified(String from, String region, Instant now) {
        String lower = from.toLowerCase(Locale.ROOT);
        String domain = lower.substring(lower.lastIndexOf('@') + 1);
        boolean ok = SUCCESS.equals(statusOf(lower, now));
        String matchedDomain = null;
        for (String d = domain; !ok; ) {
            if (SUCCESS.equals(statusOf(d, now))) {
                ok = true;
                matchedDomain = d;
                break;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                break;
            }
            d = d.substring(dot + 1);
        }
        if (!ok) {
            throw SesError.sender("MessageRejected", "Email address is not verified. The following identities failed "
                    + "the check in region " + region.toUpperCase(Locale.ROOT) + ": " + from);
        }
        if (matchedDomain != null) {
            Identity id = identities.get(matchedDomain);
            if (id != null) {
                synchronized (id) {
                    if (id.mailFromCheck != null && id.behaviorOnMx.equals("RejectMessage")
                            && !id.mailFromCheck.status.equals(SUCCESS)) {
                        throw SesError.sender("MailFromDomainNotVerifiedException", "The message could not be sent "
                                + "because Amazon SES could not read the MX record required to use the specified MAIL FROM domain.");
                    }
                }
            }
        }
    }

    private int sentLast24Hours(Instant now) {
        synchronized (sendLock) {
            Instant dayAgo = now.minus(Duration.ofHours(24));
            return last24h.stream().filter(s -> s.at().isAfter(dayAgo)).mapToInt(Sent::recipients).sum();
        }
    }

    private String messageId(Instant now) {
        return String.format("0102%012x-%s-000000", now.toEpochMilli() & 0xFFFF_FFFF_FFFFL, UUID.randomUUID());
    }

    // ------------------------------------------------------------------ configuration sets

    private void createConfigurationSet(String name) {
        if (!CONFIG_SET_NAME.matcher(name).matches()) {
            throw SesError.sender("InvalidConfigurationSet", "Configuration set name " + name + " is invalid. Names "
                    + "may contain only ASCII letters, numbers, underscores and dashes, at most 64 characters.");
        }
        synchronized (configSets) {
            if (configSets.containsKey(name)) {
                throw SesError.sender("ConfigurationSetAlreadyExists", "Configuration set <" + name + "> already exists.");
            }
            configSets.put(name, new ConfigSet(name));
        }
    }

    private void createEventDestination(Map<String, String> p) {
        String setName = required(p, "ConfigurationSetName");
        String name = required(p, "EventDestination.Name");
        boolean enabled = Boolean.parseBoolean(p.getOrDefault("EventDestination.Enabled", "false"));
        List<String> types = members(p, "EventDestination.MatchingEventTypes");
        if (types.isEmpty()) {
            throw SesError.sender("ValidationError", "1 validation error detected: Value null at "
                    + "'eventDestination.matchingEventTypes' failed to satisfy constraint: Member must not be null");
        }
        for (String t : types) {
            if (!EVENT_TYPES.contains(t)) {
                throw SesError.sender("ValidationError", "1 validation error detected: Value '[" + t + "]' at "
                        + "'eventDestination.matchingEventTypes' failed to satisfy constraint: Member must satisfy "
                        + "constraint: [Member must satisfy enum value set: " + new java.util.TreeSet<>(EVENT_TYPES) + "]");
            }
        }
        String topic = p.get("EventDestination.SNSDestination.TopicARN");
        if (topic != null && !topic.startsWith("arn:")) {
            throw SesError.sender("InvalidSNSDestination", "SNS topic <" + topic + "> is invalid.");
        }
        synchronized (configSets) {
            ConfigSet cs = configSets.get(setName);
            if (cs == null) {
                throw configSetDoesNotExist(setName);
            }
            if (cs.destinations.containsKey(name)) {
                throw SesError.sender("EventDestinationAlreadyExists", "Event destination " + name
                        + " already exists in configuration set " + setName + ".");
            }
            cs.destinations.put(name, new EventDestination(name, enabled, List.copyOf(types), topic));
        }
    }

    private String describeConfigurationSet(Map<String, String> p, String rid) {
        String name = required(p, "ConfigurationSetName");
        List<String> attributes = members(p, "ConfigurationSetAttributeNames");
        List<EventDestination> dests;
        synchronized (configSets) {
            ConfigSet cs = configSets.get(name);
            if (cs == null) {
                throw configSetDoesNotExist(name);
            }
            dests = List.copyOf(cs.destinations.values());
        }
        return ok("DescribeConfigurationSet", rid, x -> {
            x.start("ConfigurationSet").elem("Name", name).end();
            if (attributes.contains("eventDestinations")) {
                x.start("EventDestinations");
                for (EventDestination d : dests) {
                    x.start("member").elem("Name", d.name()).elem("Enabled", d.enabled())
                            .members("MatchingEventTypes", d.types());
                    if (d.snsTopicArn() != null) {
                        x.start("SNSDestination").elem("TopicARN", d.snsTopicArn()).end();
                    }
                    x.end();
                }
                x.end();
            }
        });
    }

    private static SesError configSetDoesNotExist(String name) {
        return SesError.sender("ConfigurationSetDoesNotExist", "Configuration set <" + name + "> does not exist.");
    }

    // ------------------------------------------------------------------ parameter helpers

    private static String required(Map<String, String> p, String name) {
        String v = p.get(name);
        if (v == null || v.isEmpty()) {
            String member = Character.toLowerCase(name.charAt(0)) + name.substring(1);
            throw SesError.sender("ValidationError", "1 validation error detected: Value null at '" + member
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    /** Collects {@code prefix.member.N} in index order. */
    static List<String> members(Map<String, String> p, String prefix) {
        String start = prefix + ".member.";
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        for (Map.Entry<String, String> e : p.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(start) && k.indexOf('.', start.length()) < 0) {
                try {
                    byIndex.put(Integer.parseInt(k.substring(start.length())), e.getValue());
                } catch (NumberFormatException ignored) {
                    // not a member index
                }
            }
        }
        return List.copyOf(byIndex.values());
    }

    private static Map<String, String> tags(Map<String, String> p) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; p.containsKey("Tags.member." + i + ".Name"); i++) {
            tags.put(p.get("Tags.member." + i + ".Name"), p.getOrDefault("Tags.member." + i + ".Value", ""));
        }
        return tags;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        List<String> all = new ArrayList<>();
        for (List<String> l : lists) {
            all.addAll(l);
        }
        return all;
    }

    /** The bare address of {@code "Name <a@b>"} or {@code "a@b"}. */
    static String address(String mailbox) {
        String s = mailbox.trim();
        int lt = s.lastIndexOf('<');
        int gt = s.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            s = s.substring(lt + 1, gt).trim();
        }
        return s;
    }

    private static String key(String identity) {
        String s = identity.trim().toLowerCase(Locale.ROOT);
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String normalizeDomain(String domain) {
        return key(Objects.requireNonNull(domain, "domain"));
    }

    private static String validDomain(String raw) {
        String d = normalizeDomain(raw);
        if (!DOMAIN.matcher(d).matches()) {
            throw SesError.sender("InvalidParameterValue", "Invalid domain name <" + raw + ">.");
        }
        return d;
    }

    private static String checkStatus(String status) {
        if (!STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES + ": " + status);
        }
        return status;
    }

    private static String regionOf(String authorization) {
        if (authorization == null) {
            return null;
        }
        Matcher m = CREDENTIAL_REGION.matcher(authorization);
        return m.find() ? m.group(1) : null;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base32Lower(byte[] bytes, int chars) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        StringBuilder sb = new StringBuilder(chars);
        int buffer = 0;
        int bits = 0;
        int i = 0;
        while (sb.length() < chars) {
            if (bits < 5) {
                buffer = (buffer << 8) | (bytes[i++] & 0xFF);
                bits += 8;
            }
            sb.append(alphabet.charAt((buffer >> (bits - 5)) & 31));
            bits -= 5;
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ /_stub control over HTTP

    @Override
    List<String> controlHelp() {
        return List.of(
                "GET  /_stub/calls[?action=A]  - recorded requests",
                "GET  /_stub/counts            - {action: count}",
                "GET  /_stub/identities        - identities with evaluated statuses",
                "POST /_stub/identities        - {\"identity\":\"acme.com\",\"verificationStatus\":\"Success\",\"dkimStatus\":\"Success\",\"mailFromStatus\":\"Success\"} (any subset; \"verified\":true = both Success)",
                "POST /_stub/faults            - {\"action\":\"SendEmail\",\"times\":2,\"status\":400,\"code\":\"Throttling\",\"message\":\"...\"} or {\"action\":..,\"times\":..,\"delayMillis\":5000}",
                "GET  /_stub/settings          - quota, rate, sending enabled, enforcement, policy",
                "POST /_stub/settings          - {\"max24HourSend\":50000,\"maxSendRate\":14,\"sendingEnabled\":true,\"enforceMaxSendRate\":false}",
                "POST /_stub/reset             - forget everything (see SesStub.reset())");
    }

    @Override
    boolean handleControl(HttpExchange ex, String sub) throws IOException {
        switch (sub) {
            case "calls" -> {
                if (requireGet(ex)) {
                    String action = query(ex).get("action");
                    JsonArrayBuilder a = Json.array();
                    (action == null ? calls() : calls(action)).forEach(c -> a.add(callJson(c)));
                    sendJson(ex, 200, a.build(), true);
                }
            }
            case "counts" -> {
                if (requireGet(ex)) {
                    Map<String, Integer> counts = new TreeMap<>();
                    calls().forEach(c -> counts.merge(String.valueOf(c.action()), 1, Integer::sum));
                    JsonObjectBuilder b = Json.object();
                    counts.forEach(b::add);
                    sendJson(ex, 200, b.build(), true);
                }
            }
            case "identities" -> {
                if (isPost(ex)) {
                    JsonObject o = readJsonObject(ex);
                    String identity = Objects.requireNonNull(Json.string(o, "identity"), "identity is required");
                    if (Boolean.TRUE.equals(Json.bool(o, "verified"))) {
                        if (identity.contains("@")) {
                            setVerificationStatus(identity, SUCCESS);
                        } else {
                            verifyDomain(identity);
                        }
                    }
                    if (Json.string(o, "verificationStatus") != null) {
                        setVerificationStatus(identity, Json.string(o, "verificationStatus"));
                    }
                    if (Json.string(o, "dkimStatus") != null) {
                        setDkimStatus(identity, Json.string(o, "dkimStatus"));
                    }
                    if (Json.string(o, "mailFromStatus") != null) {
                        setMailFromStatus(identity, Json.string(o, "mailFromStatus"));
                    }
                    sendJson(ex, 200, identity(identity).<JsonValue>map(SesStub::identityJson).orElse(JsonValue.NULL), true);
                } else if (requireGet(ex)) {
                    JsonArrayBuilder a = Json.array();
                    identities().forEach(i -> a.add(identityJson(i)));
                    sendJson(ex, 200, a.build(), true);
                }
            }
            case "faults" -> {
                if (!isPost(ex)) {
                    sendJson(ex, 405, Json.object().add("error", "POST only").build(), true);
                    return true;
                }
                JsonObject o = readJsonObject(ex);
                String action = Json.string(o, "action");
                int times = Optional.ofNullable(Json.integer(o, "times")).orElse(1);
                Integer status = Json.integer(o, "status");
                if (status != null) {
                    failNext(action == null ? Faults.ANY : action, times, status,
                            Objects.requireNonNull(Json.string(o, "code"), "code is required"), Json.string(o, "message"));
                } else {
                    delayNext(action == null ? Faults.ANY : action, times, millis(o, "delayMillis"));
                }
                sendOk(ex);
            }
            case "settings" -> {
                if (isPost(ex)) {
                    JsonObject o = readJsonObject(ex);
                    Double max24 = Json.number(o, "max24HourSend");
                    Double rate = Json.number(o, "maxSendRate");
                    if (max24 != null || rate != null) {
                        setSendQuota(max24 != null ? max24 : max24HourSend, rate != null ? rate : maxSendRate);
                    }
                    Optional.ofNullable(Json.bool(o, "sendingEnabled")).ifPresent(this::setSendingEnabled);
                    Optional.ofNullable(Json.bool(o, "enforceMaxSendRate")).ifPresent(this::enforceMaxSendRate);
                }
                if (isPost(ex) || requireGet(ex)) {
                    sendJson(ex, 200, Json.object().add("max24HourSend", max24HourSend).add("maxSendRate", maxSendRate)
                            .add("sendingEnabled", sendingEnabled).add("enforceMaxSendRate", enforceMaxSendRate)
                            .add("sentLast24Hours", sentLast24Hours(clock.instant()))
                            .add("verificationPolicy", String.valueOf(policy))
                            .add("pendingExpiry", pendingExpiry.toString())
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

    private static JsonObject callJson(Call c) {
        JsonObjectBuilder b = Json.object();
        Json.opt(b, "action", c.action());
        b.add("params", Json.stringMap(c.params())).add("signed", c.signed());
        Json.opt(b, "region", c.region());
        b.add("receivedAt", c.receivedAt().toString()).add("status", c.status());
        Json.opt(b, "errorCode", c.errorCode());
        return b.build();
    }

    private static JsonObject identityJson(IdentityInfo i) {
        JsonObjectBuilder b = Json.object().add("identity", i.identity()).add("type", i.type())
                .add("verificationStatus", i.verificationStatus());
        Json.opt(b, "verificationToken", i.verificationToken());
        b.add("createdAt", i.createdAt().toString()).add("dkimEnabled", i.dkimEnabled())
                .add("dkimVerificationStatus", i.dkimVerificationStatus()).add("dkimTokens", Json.strings(i.dkimTokens()));
        Json.opt(b, "mailFromDomain", i.mailFromDomain());
        Json.opt(b, "mailFromDomainStatus", i.mailFromDomainStatus());
        return b.add("behaviorOnMxFailure", i.behaviorOnMxFailure()).build();
    }

    static JsonObject sentJson(SentMessage m) {
        JsonObjectBuilder b = Json.object().add("messageId", m.messageId()).add("action", m.action())
                .add("source", m.source()).add("to", Json.strings(m.to())).add("cc", Json.strings(m.cc()))
                .add("bcc", Json.strings(m.bcc())).add("replyTo", Json.strings(m.replyTo()));
        Json.opt(b, "subject", m.subject());
        Json.opt(b, "html", m.html());
        Json.opt(b, "text", m.text());
        Json.opt(b, "configurationSet", m.configurationSet());
        b.add("tags", Json.stringMap(m.tags()));
        Json.opt(b, "returnPath", m.returnPath());
        Json.opt(b, "rawMessage", m.rawMessage());
        return b.add("timestamp", m.timestamp().toString()).build();
    }

    @Override
    List<MailView> mailViews() {
        return sentMessages().stream().map(m -> new MailView(m.messageId(), m.timestamp(), m.source(), m.to(), m.cc(),
                m.bcc(), m.replyTo(), m.subject(), m.html(), m.rawMessage() != null ? m.rawMessage() : m.text(),
                "via " + m.action() + (m.configurationSet() == null ? "" : ", configuration set " + m.configurationSet())
                        + (m.tags().isEmpty() ? "" : ", tags " + m.tags()))).toList();
    }

    @Override
    JsonValue mailJson() {
        List<SentMessage> all = new ArrayList<>(sentMessages());
        Collections.reverse(all);
        JsonArrayBuilder a = Json.array();
        all.forEach(m -> a.add(sentJson(m)));
        return a.build();
    }
}
