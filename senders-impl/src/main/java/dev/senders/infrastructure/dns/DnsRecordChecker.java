package dev.senders.infrastructure.dns;

import com.google.common.net.InetAddresses;
import dev.senders.domain.model.DnsRecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Checks published DNS records against what they should be, with a live query each time (no cache), and says for each
 * record what was found and, when it is not right, why and what to do.
 * <p>
 * Queries go straight to the {@link Resolver} ({@link Resolver#sendAsync}), so the real rcode is seen: NXDOMAIN and
 * NODATA mean {@link RecordStatus#MISSING}; a timeout, SERVFAIL, REFUSED or network error means
 * {@link RecordStatus#UNKNOWN}, never "missing". Each query is bounded by the timeout given here, whatever the
 * resolver's own timeout is; the records of {@link #check(List)} are checked concurrently, so a dead server costs about
 * one timeout for the whole list, not one per record.
 * <p>
 * Comparison rules: CNAME targets case-insensitively and without the trailing dot; TXT values exactly, after
 * concatenating the strings of each TXT record (DNS splits long values into 255-byte strings); a name with several TXT
 * records is FOUND if any of them matches. A TXT record whose value starts with {@code v=spf1} is checked as SPF: FOUND
 * when the one SPF record of the name contains every {@code include:} of the expected value (other mechanisms are the
 * organization's business); several SPF records are {@link Diagnosis#MULTIPLE_SPF}. Problems with a record that is
 * not {@link DnsRecord#required() required} (SPF) are {@link RecordStatus#WARNING}s, whatever the diagnosis.
 * <p>
 * Thread-safe (immutable; dnsjava's resolvers are thread-safe).
 */
public final class DnsRecordChecker {

    private static final Logger LOG = Logger.getLogger(DnsRecordChecker.class.getName());
    private static final Duration MIN_PER_SERVER_TIMEOUT = Duration.ofMillis(200);
    private static final List<Diagnosis> VALUE_DIAGNOSES = List.of(Diagnosis.QUOTED_VALUE, Diagnosis.NAME_IN_VALUE,
            Diagnosis.ZONE_APPENDED_TO_TARGET, Diagnosis.WRONG_VALUE);

    private final Resolver resolver;
    private final Duration timeout;

    /**
     * @param resolver where queries go, e.g. a {@link SimpleResolver} or {@link ExtendedResolver}; not modified (give it
     *                 a timeout of its own no longer than {@code timeout}, as {@link #forServers} does, so abandoned
     *                 queries are not kept waiting)
     * @param timeout  the longest one query may take; past it the record is {@link RecordStatus#UNKNOWN}
     */
    public DnsRecordChecker(Resolver resolver, Duration timeout) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("The DNS timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
    }

    /**
     * A checker asking the given servers, or the system's resolvers (dnsjava's {@link ResolverConfig}:
     * /etc/resolv.conf, ...) when the list is empty. With several servers, each query tries them one after the other
     * (dnsjava's {@link ExtendedResolver}, which favours servers that failed less), each getting an equal share of the
     * timeout.
     */
    public static DnsRecordChecker forServers(List<InetSocketAddress> servers, Duration timeout) {
        return new DnsRecordChecker(resolverFor(servers, timeout), timeout);
    }

    /** A checker asking one server, e.g. a test DNS server on 127.0.0.1. */
    public static DnsRecordChecker forServer(String host, int port, Duration timeout) {
        return forServers(List.of(new InetSocketAddress(host, port)), timeout);
    }

    static Resolver resolverFor(List<InetSocketAddress> servers, Duration timeout) {
        List<InetSocketAddress> addresses = servers == null || servers.isEmpty()
                ? ResolverConfig.getCurrentConfig().servers() : servers;
        if (addresses.isEmpty()) {
            addresses = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
        }
        if (addresses.size() == 1) {
            SimpleResolver simple = new SimpleResolver(addresses.get(0));
            simple.setTimeout(timeout);
            return simple;
        }
        Duration perServer = timeout.dividedBy(addresses.size());
        Duration each = perServer.compareTo(MIN_PER_SERVER_TIMEOUT) < 0 ? MIN_PER_SERVER_TIMEOUT : perServer;
        ExtendedResolver extended = new ExtendedResolver(addresses.stream().map(a -> (Resolver) new SimpleResolver(a))
                .toList());
        for (Resolver r : extended.getResolvers()) {
            r.setTimeout(each);
        }
        extended.setRetries(1);
        extended.setLoadBalance(false);
        extended.setTimeout(timeout);
        return extended;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Checks one record (blocks at most a few timeouts; usually one round trip or three). */
    public RecordCheck check(DnsRecord record) {
        return checkAsync(record).join();
    }

    /** Checks the records concurrently; the results are in the order of {@code records}. */
    public List<RecordCheck> check(List<DnsRecord> records) {
        List<CompletableFuture<RecordCheck>> checks = records.stream().map(this::checkAsync).toList();
        return checks.stream().map(CompletableFuture::join).toList();
    }

    /** Checks one record without blocking; the future never completes exceptionally. */
    public CompletableFuture<RecordCheck> checkAsync(DnsRecord record) {
        Objects.requireNonNull(record, "record");
        CompletableFuture<RecordCheck> check;
        try {
            String type = record.type() == null ? "" : record.type().toUpperCase(Locale.ROOT);
            check = switch (type) {
                case "TXT" -> isSpf(record.value()) ? checkSpf(record)
                        : DmarcRecord.isDmarc(record.value()) ? checkDmarc(record) : checkTxt(record);
                case "CNAME" -> checkCname(record);
                default -> checkOther(record);
            };
        } catch (RuntimeException e) {
            check = CompletableFuture.failedFuture(e);
        }
        return check.handle((result, error) -> error == null ? result : internalError(record, error));
    }

    // ---------------------------------------------------------------------------------------------------- TXT

    private CompletableFuture<RecordCheck> checkTxt(DnsRecord r) {
        return query(r.name(), Type.TXT).thenCompose(a -> {
            if (a.failed()) {
                return done(unknown(r, a));
            }
            List<String> values = a.txtValues();
            if (values.contains(r.value())) {
                return done(found(r, values));
            }
            if (!values.isEmpty()) {
                return done(mismatch(r, values));
            }
            CNAMERecord cname = a.cname();
            if (cname != null) {
                return done(problem(r, RecordStatus.MISMATCH, Diagnosis.WRONG_TYPE,
                        List.of("CNAME " + DnsAnswer.rawName(cname.getTarget())), Advice.wrongType(r, "CNAME")));
            }
            return missing(r, Type.TXT, d -> !d.answers().isEmpty(), () -> notFound(r));
        });
    }

    private CompletableFuture<RecordCheck> checkSpf(DnsRecord r) {
        return query(r.name(), Type.TXT).thenCompose(a -> {
            if (a.failed()) {
                return done(unknown(r, a));
            }
            List<String> values = a.txtValues();
            List<String> spf = values.stream().filter(DnsRecordChecker::isSpf).toList();
            if (spf.size() > 1) {
                return done(problem(r, RecordStatus.MISMATCH, Diagnosis.MULTIPLE_SPF, spf,
                        Advice.multipleSpf(r, spf.size())));
            }
            if (spf.size() == 1) {
                return done(spfAuthorises(spf.get(0), r.value()) ? found(r, spf)
                        : problem(r, RecordStatus.MISMATCH, Diagnosis.SPF_MISSING_INCLUDE, spf,
                        Advice.spfMissingInclude(r)));
            }
            List<String> spfLike = values.stream().filter(DnsRecordChecker::mentionsSpf).toList();
            if (!spfLike.isEmpty()) {
                Diagnosis d = best(spfLike.stream().map(v -> isSpf(unquote(v)) ? Diagnosis.QUOTED_VALUE
                        : containsName(r, v.substring(0, lower(v).indexOf("v=spf1"))) ? Diagnosis.NAME_IN_VALUE
                        : Diagnosis.WRONG_VALUE).toList());
                return done(problem(r, RecordStatus.MISMATCH, d, spfLike, advice(r, d)));
            }
            return missing(r, Type.TXT, d -> d.txtValues().stream().anyMatch(DnsRecordChecker::mentionsSpf),
                    () -> problem(r, RecordStatus.MISSING, Diagnosis.SPF_MISSING, List.of(), Advice.spfMissing(r)));
        });
    }

    /**
     * DMARC: the one {@code v=DMARC1} TXT record at {@code _dmarc.<domain>}, whatever its policy (p=none, quarantine
     * or reject are the domain owner's choice), is FOUND when it parses; several are {@link Diagnosis#MULTIPLE_DMARC}
     * (receivers then ignore DMARC), one that does not parse {@link Diagnosis#DMARC_SYNTAX}, none
     * {@link Diagnosis#DMARC_MISSING}.
     */
    private CompletableFuture<RecordCheck> checkDmarc(DnsRecord r) {
        return query(r.name(), Type.TXT).thenCompose(a -> {
            if (a.failed()) {
                return done(unknown(r, a));
            }
            List<String> values = a.txtValues();
            List<String> dmarc = values.stream().filter(DmarcRecord::isDmarc).toList();
            if (dmarc.size() > 1) {
                return done(problem(r, RecordStatus.MISMATCH, Diagnosis.MULTIPLE_DMARC, dmarc,
                        Advice.multipleDmarc(r, dmarc.size())));
            }
            if (dmarc.size() == 1) {
                java.util.Optional<String> error = DmarcRecord.syntaxError(dmarc.get(0));
                return done(error.isEmpty() ? found(r, dmarc)
                        : problem(r, RecordStatus.MISMATCH, Diagnosis.DMARC_SYNTAX, dmarc,
                        Advice.dmarcSyntax(r, error.get())));
            }
            List<String> dmarcLike = values.stream().filter(v -> lower(v).contains("v=dmarc1")).toList();
            if (!dmarcLike.isEmpty()) {
                Diagnosis d = best(dmarcLike.stream().map(v -> DmarcRecord.isDmarc(unquote(v)) ? Diagnosis.QUOTED_VALUE
                        : Diagnosis.DMARC_SYNTAX).toList());
                return done(problem(r, RecordStatus.MISMATCH, d, dmarcLike, d == Diagnosis.QUOTED_VALUE
                        ? Advice.quotedValue(r) : Advice.dmarcSyntax(r, "the record must start with v=DMARC1")));
            }
            return missing(r, Type.TXT, d -> d.txtValues().stream().anyMatch(DmarcRecord::isDmarc),
                    () -> problem(r, RecordStatus.MISSING, Diagnosis.DMARC_MISSING, List.of(), Advice.dmarcMissing(r)));
        });
    }

    // -------------------------------------------------------------------------------------------------- CNAME

    private CompletableFuture<RecordCheck> checkCname(DnsRecord r) {
        return query(r.name(), Type.CNAME).thenCompose(a -> {
            if (a.failed()) {
                return done(unknown(r, a));
            }
            CNAMERecord cname = a.cname();
            if (cname != null) {
                String target = DnsAnswer.rawName(cname.getTarget());
                return done(normalize(r, target).equals(normalize(r, r.value())) ? found(r, List.of(target))
                        : mismatch(r, List.of(target)));
            }
            List<Record> addresses = addresses(a);
            if (!addresses.isEmpty()) {
                return done(proxied(r, addresses));
            }
            if (a.rcode() == Rcode.NXDOMAIN) {
                return missing(r, Type.CNAME, d -> !d.answers().isEmpty(), () -> notFound(r));
            }
            // The name exists but has no CNAME: see what it has instead.
            CompletableFuture<DnsAnswer> v4 = query(r.name(), Type.A);
            CompletableFuture<DnsAnswer> v6 = query(r.name(), Type.AAAA);
            CompletableFuture<DnsAnswer> txt = query(r.name(), Type.TXT);
            return CompletableFuture.allOf(v4, v6, txt).thenCompose(ignored -> {
                List<Record> ips = Stream.concat(addresses(v4.join()).stream(), addresses(v6.join()).stream()).toList();
                if (!ips.isEmpty()) {
                    return done(proxied(r, ips));
                }
                List<String> texts = txt.join().txtValues();
                if (!texts.isEmpty()) {
                    return done(problem(r, RecordStatus.MISMATCH, Diagnosis.WRONG_TYPE,
                            texts.stream().map(t -> "TXT " + t).toList(), Advice.wrongType(r, "TXT")));
                }
                return missing(r, Type.CNAME, d -> !d.answers().isEmpty(), () -> notFound(r));
            });
        });
    }

    private RecordCheck proxied(DnsRecord r, List<Record> addresses) {
        return problem(r, RecordStatus.MISMATCH, Diagnosis.CLOUDFLARE_PROXIED,
                addresses.stream().map(x -> describe(x, Type.CNAME)).toList(), Advice.cloudflareProxied(r));
    }

    private static List<Record> addresses(DnsAnswer a) {
        return a.failed() ? List.of()
                : Stream.concat(a.ofType(Type.A).stream(), a.ofType(Type.AAAA).stream())
                .filter(x -> x.getName().equals(a.name())).toList();
    }

    // -------------------------------------------------------------------------------------- MX and other types

    private CompletableFuture<RecordCheck> checkOther(DnsRecord r) {
        int type = Type.value(r.type());
        if (type < 0) {
            return done(new RecordCheck(r, RecordStatus.UNKNOWN, List.of(), Diagnosis.DNS_FAILURE,
                    "Could not check: records of type " + r.type() + " cannot be checked here."));
        }
        return query(r.name(), type).thenCompose(a -> {
            if (a.failed()) {
                return done(unknown(r, a));
            }
            List<String> values = a.ofType(type).stream().map(x -> describe(x, type)).toList();
            String expected = normalize(r, r.value());
            if (values.stream().anyMatch(v -> normalize(r, v).equals(expected))) {
                return done(found(r, values));
            }
            if (!values.isEmpty()) {
                return done(mismatch(r, values));
            }
            return missing(r, type, d -> !d.answers().isEmpty(), () -> notFound(r));
        });
    }

    // ------------------------------------------------------------------------------------------------- shared

    /**
     * Nothing at the name: look at {@code <name>.<zone>}, where a panel that appends the zone puts a record whose full
     * name was typed in.
     */
    private CompletableFuture<RecordCheck> missing(DnsRecord r, int type, Predicate<DnsAnswer> thereInstead,
                                                   Supplier<RecordCheck> otherwise) {
        String doubled = doubledName(r);
        if (doubled == null) {
            return done(otherwise.get());
        }
        return query(doubled, type).thenApply(d -> {
            if (!d.failed() && thereInstead.test(d)) {
                return problem(r, RecordStatus.MISSING, Diagnosis.ZONE_APPENDED_TWICE,
                        d.answers().stream().map(x -> describe(x, Type.value(r.type()))).toList(),
                        Advice.zoneAppendedTwice(r, doubled));
            }
            return otherwise.get();
        });
    }

    /** {@code <name>.<zone>}, or null when the name is not in the zone. */
    static String doubledName(DnsRecord r) {
        if (r.zone() == null || r.zone().isBlank() || r.name() == null) {
            return null;
        }
        String zone = trimDot(r.zone());
        String name = trimDot(r.name());
        if (!lower(name).equals(lower(zone)) && !lower(name).endsWith("." + lower(zone))) {
            return null;
        }
        return name + "." + zone;
    }

    private RecordCheck mismatch(DnsRecord r, List<String> values) {
        Diagnosis d = best(values.stream().map(v -> diagnoseValue(r, v)).toList());
        return problem(r, RecordStatus.MISMATCH, d, values, advice(r, d));
    }

    /** Why {@code value} (seen at the record's name, of the record's type) is not the expected value. */
    static Diagnosis diagnoseValue(DnsRecord r, String value) {
        String expected = normalize(r, r.value());
        String seen = normalize(r, value);
        String unquoted = unquote(seen);
        boolean cname = "CNAME".equalsIgnoreCase(r.type());
        String zoneAppended = expected + "." + lower(trimDot(r.zone() == null ? "" : r.zone()));
        if (!unquoted.equals(seen) && (unquoted.equals(expected) || (cname && unquoted.equals(zoneAppended)))) {
            return Diagnosis.QUOTED_VALUE;
        }
        if (cname && seen.equals(zoneAppended)) {
            return Diagnosis.ZONE_APPENDED_TO_TARGET;
        }
        int at = unquoted.indexOf(expected);
        if (at >= 0 && containsName(r, unquoted.substring(0, at) + " " + unquoted.substring(at + expected.length()))) {
            return Diagnosis.NAME_IN_VALUE;
        }
        return Diagnosis.WRONG_VALUE;
    }

    private static boolean containsName(DnsRecord r, String text) {
        String t = lower(text);
        String relative = r.relativeName();
        return t.contains(lower(trimDot(r.name())))
                || (relative != null && !relative.isBlank() && !"@".equals(relative) && t.contains(lower(relative)));
    }

    private static Diagnosis best(List<Diagnosis> diagnoses) {
        return VALUE_DIAGNOSES.stream().filter(diagnoses::contains).findFirst().orElse(Diagnosis.WRONG_VALUE);
    }

    private static String advice(DnsRecord r, Diagnosis d) {
        return switch (d) {
            case QUOTED_VALUE -> Advice.quotedValue(r);
            case NAME_IN_VALUE -> Advice.nameInValue(r);
            case ZONE_APPENDED_TO_TARGET -> Advice.zoneAppendedToTarget(r);
            default -> Advice.wrongValue(r);
        };
    }

    /** How values of the record's type compare: CNAME case-insensitively without the final dot, TXT exactly. */
    static String normalize(DnsRecord r, String value) {
        String type = r.type() == null ? "" : r.type().toUpperCase(Locale.ROOT);
        return switch (type) {
            case "TXT" -> value;
            case "CNAME" -> lower(trimDot(value.strip()));
            default -> String.join(" ", Arrays.stream(value.strip().split("\\s+")).map(t -> lower(trimDot(t)))
                    .toList());
        };
    }

    /**
     * The value without the quote marks people paste along with it: {@code "abc"}, {@code \"abc\"}, {@code 'abc'},
     * typographic quotes, and the quotes between the parts of a split value ({@code "part1" "part2"}).
     */
    static String unquote(String value) {
        String v = value.strip().replaceAll("[\"\u201C\u201D]\\s+[\"\u201C\u201D]", "")
                .replace("\\\"", "").replaceAll("[\"\u201C\u201D]", "").strip();
        if (v.length() >= 2 && (v.charAt(0) == '\'' || v.charAt(0) == '\u2018')
                && (v.charAt(v.length() - 1) == '\'' || v.charAt(v.length() - 1) == '\u2019')) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v;
    }

    static boolean isSpf(String value) {
        String v = lower(value);
        return v.equals("v=spf1") || v.startsWith("v=spf1 ");
    }

    private static boolean mentionsSpf(String value) {
        return lower(value).contains("v=spf1");
    }

    /**
     * The {@code include:} mechanisms of an SPF value, lower case, up to its {@code all} mechanism (receivers ignore
     * what follows it, so an include appended at the very end does not count).
     */
    static List<String> spfIncludes(String spf) {
        List<String> includes = new java.util.ArrayList<>();
        for (String token : lower(spf).strip().split("\\s+")) {
            String t = token.startsWith("+") ? token.substring(1) : token;
            if (t.matches("[-~?]?all")) {
                break;
            }
            if (t.startsWith("include:")) {
                includes.add(trimDot(t));
            }
        }
        return includes;
    }

    /** The published SPF value includes whatever the expected one includes (or equals it, if it includes nothing). */
    static boolean spfAuthorises(String published, String expected) {
        List<String> wanted = spfIncludes(expected);
        if (wanted.isEmpty()) {
            return lower(published).strip().replaceAll("\\s+", " ").equals(lower(expected).strip()
                    .replaceAll("\\s+", " "));
        }
        return Set.copyOf(spfIncludes(published)).containsAll(wanted);
    }

    /** A record for display: the value as typed, prefixed with its type when that is not {@code expectedType}. */
    static String describe(Record x, int expectedType) {
        String value;
        if (x instanceof TXTRecord txt) {
            value = DnsAnswer.txtValue(txt);
        } else if (x instanceof CNAMERecord cname) {
            value = DnsAnswer.rawName(cname.getTarget());
        } else if (x instanceof ARecord a) {
            value = InetAddresses.toAddrString(a.getAddress());
        } else if (x instanceof AAAARecord aaaa) {
            value = InetAddresses.toAddrString(aaaa.getAddress());
        } else {
            value = x.rdataToString();
        }
        return x.getType() == expectedType ? value : Type.string(x.getType()) + " " + value;
    }

    private CompletableFuture<DnsAnswer> query(String fqdn, int type) {
        Name name;
        try {
            name = Name.fromString(trimDot(fqdn) + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(DnsAnswer.failed(Name.root, type, e));
        }
        CompletableFuture<DnsAnswer> answer = new CompletableFuture<>();
        try {
            Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
            // Continue off dnsjava's I/O thread: the next query of a check is sent from the continuation.
            resolver.sendAsync(query).whenCompleteAsync((message, error) -> answer.complete(error == null
                    ? DnsAnswer.of(name, type, message) : DnsAnswer.failed(name, type, error)));
        } catch (RuntimeException e) {
            answer.complete(DnsAnswer.failed(name, type, e));
        }
        return answer.completeOnTimeout(DnsAnswer.failed(name, type, new TimeoutException(
                "no answer within " + Advice.human(timeout))), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static RecordCheck found(DnsRecord r, List<String> values) {
        return new RecordCheck(r, RecordStatus.FOUND, values, null, null);
    }

    private static RecordCheck notFound(DnsRecord r) {
        return problem(r, RecordStatus.MISSING, Diagnosis.NOT_FOUND, List.of(), Advice.notFound(r));
    }

    /** A problem; with a record that is only recommended (SPF) it is a {@link RecordStatus#WARNING}. */
    private static RecordCheck problem(DnsRecord r, RecordStatus status, Diagnosis d, List<String> found,
                                       String advice) {
        return new RecordCheck(r, r.required() ? status : RecordStatus.WARNING, found, d, advice);
    }

    private RecordCheck unknown(DnsRecord r, DnsAnswer a) {
        return a.timedOut()
                ? new RecordCheck(r, RecordStatus.UNKNOWN, List.of(), Diagnosis.DNS_TIMEOUT, Advice.timeout(timeout))
                : new RecordCheck(r, RecordStatus.UNKNOWN, List.of(), Diagnosis.DNS_FAILURE, Advice.failure(a));
    }

    private static RecordCheck internalError(DnsRecord r, Throwable error) {
        LOG.log(Level.WARNING, error, () -> "DNS check of " + r.type() + " " + r.name() + " failed");
        return new RecordCheck(r, RecordStatus.UNKNOWN, List.of(), Diagnosis.DNS_FAILURE,
                "Could not check: the DNS check failed unexpectedly, which says nothing about your record, so try again"
                        + " later.");
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "DnsRecordChecker[" + resolver + ", timeout=" + timeout + "]";
    }
}
