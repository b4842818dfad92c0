package dev.senders.domain.model.address;

import com.google.common.net.InetAddresses;
import com.google.common.net.InternetDomainName;
import dev.senders.application.error.SendersProblem;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.IDN;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validates and normalises a sender email address typed by an organization. The input is hostile: every violation
 * is rejected with a {@link SendersProblem} (400, field {@value #FIELD}) whose {@code reason} is one of the codes
 * below. Details are fixed sentences and never echo the input.
 *
 * <p>Checks run in this order, so an input gets the most specific reason first:
 * <table>
 *   <caption>Reason codes</caption>
 *   <tr><td>{@code required}</td><td>null, empty or blank</td></tr>
 *   <tr><td>{@code line-break}</td><td>CR, LF, NEL, U+2028 or U+2029 anywhere (header injection), even at the ends;
 *       also one written out as text: {@code %0d%0a}, {@code \r\n}, {@code &#10;} ... ({@link LineBreaks})</td></tr>
 *   <tr><td>{@code too-long}</td><td>address &gt; 254, local part &gt; 64, domain &gt; 253 or a label &gt; 63 (A-label)
 *       characters; the detail names the part</td></tr>
 *   <tr><td>{@code control-character}</td><td>a control (NUL, TAB, DEL, ...) or invisible format character (zero
 *       width, bidi override, soft hyphen)</td></tr>
 *   <tr><td>{@code invalid-character}</td><td>an unassigned, private-use or lone surrogate code point</td></tr>
 *   <tr><td>{@code display-name}</td><td>{@code <} or {@code >}: a name-addr like {@code Name <a@b.com>}</td></tr>
 *   <tr><td>{@code comment}</td><td>{@code (} or {@code )}: an RFC 5322 comment</td></tr>
 *   <tr><td>{@code ip-literal}</td><td>{@code [1.2.3.4]}, {@code [IPv6:...]}, a bare IPv4/IPv6 address or an
 *       all-numeric top-level label</td></tr>
 *   <tr><td>{@code route-address}</td><td>source route such as {@code @relay.com:a@b.com}</td></tr>
 *   <tr><td>{@code group}</td><td>{@code :} or {@code ;}: group syntax such as {@code team: a@b.com;}</td></tr>
 *   <tr><td>{@code multiple-addresses}</td><td>{@code ,}: a list of addresses</td></tr>
 *   <tr><td>{@code quoted-local-part}</td><td>{@code "} or {@code \}: quoted string or quoted pair</td></tr>
 *   <tr><td>{@code whitespace}</td><td>a space (including no-break and ideographic spaces) inside the address</td></tr>
 *   <tr><td>{@code missing-at}, {@code multiple-at}</td><td>no {@code @}, or more than one</td></tr>
 *   <tr><td>{@code missing-local-part}, {@code missing-domain}</td><td>nothing before or after the {@code @}</td></tr>
 *   <tr><td>{@code non-ascii-local-part}</td><td>SES cannot send from SMTPUTF8 local parts</td></tr>
 *   <tr><td>{@code local-part-dots}</td><td>leading, trailing or consecutive dots in the local part</td></tr>
 *   <tr><td>{@code invalid-local-part}</td><td>a character that is not RFC 5322 atext</td></tr>
 *   <tr><td>{@code empty-label}</td><td>{@code a@b..com}, {@code a@.b.com}, {@code a@b.com..}</td></tr>
 *   <tr><td>{@code trailing-dot}</td><td>{@code a@b.com.}: the absolute form of a DNS name, which RFC 5321 addresses
 *       don't have</td></tr>
 *   <tr><td>{@code underscore}</td><td>an underscore in the domain</td></tr>
 *   <tr><td>{@code hyphen-edge}</td><td>a domain label starting or ending with a hyphen</td></tr>
 *   <tr><td>{@code mixed-script}</td><td>a label mixing scripts, e.g. Latin with a Cyrillic "а" (homograph), also
 *       when given as {@code xn--} A-label ({@link Homographs})</td></tr>
 *   <tr><td>{@code homograph}</td><td>a label written only with Cyrillic or Greek letters that look like Latin ones
 *       ({@code аррӏе.com}), outside the TLDs where that script is at home ({@link Homographs})</td></tr>
 *   <tr><td>{@code invalid-domain}</td><td>anything else IDNA (STD3 rules), Guava or punycode decoding rejects</td></tr>
 *   <tr><td>{@code localhost}</td><td>{@code localhost} and {@code *.localhost}</td></tr>
 *   <tr><td>{@code single-label}</td><td>a domain without a dot</td></tr>
 *   <tr><td>{@code reserved-tld}</td><td>a configured reserved TLD ({@code test}, {@code local}, ...)</td></tr>
 *   <tr><td>{@code reserved-domain}</td><td>a configured reserved domain ({@code example.com}, ...) or a
 *       subdomain of one</td></tr>
 *   <tr><td>{@code public-suffix}</td><td>the domain itself is a public suffix ({@code co.uk},
 *       {@code github.io})</td></tr>
 *   <tr><td>{@code unknown-tld}</td><td>not under any known public suffix</td></tr>
 *   <tr><td>{@code invalid-syntax}</td><td>Jakarta Mail's strict parser (the final backstop) rejects the
 *       normalised address</td></tr>
 * </table>
 *
 * <p>Homographs ({@link Homographs}) are checked on the labels as typed, before the conversion to A-labels, so that a
 * look-alike letter the JDK's IDNA 2003 tables don't know (Cyrillic "ӏ") is still named for what it is. Full-width
 * Latin letters are mapped to ASCII by IDNA and accepted as that ASCII domain.
 */
public final class SenderAddressPolicy {

    /** The problem field of every rejection. */
    public static final String FIELD = "emailAddress";
    public static final String DEFAULT_RESERVED_DOMAINS = "example.com,example.net,example.org,test.com";
    public static final String DEFAULT_RESERVED_TLDS = "test,example,invalid,localhost,local,onion,arpa";

    static final int MAX_ADDRESS = 254;
    static final int MAX_LOCAL_PART = 64;
    static final int MAX_DOMAIN = 253;
    static final int MAX_LABEL = 63;

    private static final String ATEXT_SPECIALS = "!#$%&'*+-/=?^_`{|}~";

    private final Set<String> reservedDomains;
    private final Set<String> reservedTlds;

    /**
     * @param reservedDomains domains that, with all their subdomains, can't be senders
     * @param reservedTlds    top-level domains that can't be senders
     * @throws IllegalArgumentException if an entry is not a valid domain name
     */
    public SenderAddressPolicy(Collection<String> reservedDomains, Collection<String> reservedTlds) {
        this.reservedDomains = normaliseAll(reservedDomains);
        this.reservedTlds = normaliseAll(reservedTlds);
    }

    /** The policy with {@value #DEFAULT_RESERVED_DOMAINS} and TLDs {@value #DEFAULT_RESERVED_TLDS}. */
    public static SenderAddressPolicy defaults() {
        return new SenderAddressPolicy(List.of(DEFAULT_RESERVED_DOMAINS.split(",")),
                List.of(DEFAULT_RESERVED_TLDS.split(",")));
    }

    public Set<String> reservedDomains() {
        return reservedDomains;
    }

    public Set<String> reservedTlds() {
        return reservedTlds;
    }

    /**
     * Validates and normalises one address.
     *
     * @throws SendersProblem (400, field {@value #FIELD}) with a reason code listed in the class documentation
     */
    public SenderAddress parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw problem("required", "Enter an email address");
        }
        if (LineBreaks.containsRaw(raw)) {
            throw problem("line-break", "The email address can't contain line breaks");
        }
        String s = trim(raw);
        if (s.isEmpty()) {
            throw problem("required", "Enter an email address");
        }
        if (LineBreaks.containsEscaped(s)) {
            throw problem("line-break", "The email address can't contain line breaks, also not written as %0A, \\n"
                    + " or &#10;");
        }
        if (s.length() > MAX_ADDRESS) {
            throw tooLong("The email address is longer than " + MAX_ADDRESS + " characters");
        }
        checkCharacters(s);
        checkSinglePlainAddress(s);

        int at = s.indexOf('@');
        if (at < 0) {
            throw problem("missing-at", "An email address needs an @ between the name and the domain");
        }
        if (at != s.lastIndexOf('@')) {
            throw problem("multiple-at", "An email address can contain only one @");
        }
        String localPart = s.substring(0, at);
        checkLocalPart(localPart);
        String domainInput = s.substring(at + 1);
        if (domainInput.isEmpty()) {
            throw problem("missing-domain", "Enter the domain after the @");
        }
        String domain = toAsciiDomain(domainInput);
        String domainUnicode = IDN.toUnicode(domain, IDN.USE_STD3_ASCII_RULES);
        checkDecodable(domain, domainUnicode);
        if (localPart.length() + 1 + domain.length() > MAX_ADDRESS) {
            throw tooLong("The email address is longer than " + MAX_ADDRESS + " characters");
        }
        checkDomainIsUsable(domain);

        String address = localPart + "@" + domain;
        checkWithJakartaMail(address);
        return new SenderAddress(localPart, domain, domainUnicode);
    }

    /**
     * The registrable domain (Guava {@code topPrivateDomain()}, e.g. {@code acme.co.uk} for {@code mail.acme.co.uk}):
     * the guess for the DNS zone apex, used to show host names relative to the zone. A domain that isn't under a
     * public suffix is returned normalised (lower-case A-labels, no trailing dot).
     *
     * @throws IllegalArgumentException if {@code domain} is not a valid domain name
     */
    public String registrableDomain(String domain) {
        InternetDomainName name = InternetDomainName.from(normalise(domain));
        return name.isUnderPublicSuffix() ? name.topPrivateDomain().toString() : name.toString();
    }

    /**
     * Whether {@code domain} equals {@code parent} or is a subdomain of it, compared label-wise after normalisation
     * (lower-case A-labels, no trailing dot): {@code mail.acme.com} is a subdomain of {@code acme.com},
     * {@code evilacme.com} is not. False for null or invalid names.
     */
    public static boolean isSameOrSubdomain(String domain, String parent) {
        if (domain == null || parent == null) {
            return false;
        }
        try {
            String d = normalise(domain);
            String p = normalise(parent);
            return !p.isEmpty() && (d.equals(p) || d.endsWith("." + p));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---- address-level checks ----

    private static void checkCharacters(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            switch (Character.getType(cp)) {
                case Character.CONTROL, Character.FORMAT -> throw problem("control-character",
                        "The email address contains a control or invisible character");
                case Character.UNASSIGNED, Character.PRIVATE_USE, Character.SURROGATE -> throw problem(
                        "invalid-character", "The email address contains a character that isn't allowed");
                default -> { }
            }
            i += Character.charCount(cp);
        }
    }

    /** Rejects everything RFC 5322 allows beyond one plain {@code local@domain}, with a reason per construct. */
    private static void checkSinglePlainAddress(String s) {
        if (s.indexOf('<') >= 0 || s.indexOf('>') >= 0) {
            throw problem("display-name", "Enter only the email address, without a name or angle brackets");
        }
        if (s.indexOf('(') >= 0 || s.indexOf(')') >= 0) {
            throw problem("comment", "Enter only the email address, without comments in parentheses");
        }
        if (s.indexOf('@') >= 0 && isIpLiteral(s.substring(s.lastIndexOf('@') + 1))) {
            throw problem("ip-literal",
                    "IP addresses can't be used as sender domains; use a domain name you own");
        }
        if (s.startsWith("@") && s.indexOf(':') >= 0) {
            throw problem("route-address", "Enter only the email address, without a source route");
        }
        if (s.indexOf(':') >= 0 || s.indexOf(';') >= 0) {
            throw problem("group", "Enter a single email address, not a group");
        }
        if (s.indexOf(',') >= 0) {
            throw problem("multiple-addresses", "Enter a single email address, not a list");
        }
        if (s.indexOf('"') >= 0 || s.indexOf('\\') >= 0) {
            throw problem("quoted-local-part",
                    "Quoted names like \"john doe\"@example.com aren't supported; use letters, digits and . + - _");
        }
        if (s.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp))) {
            throw problem("whitespace", "The email address can't contain spaces");
        }
    }

    private static void checkLocalPart(String localPart) {
        if (localPart.isEmpty()) {
            throw problem("missing-local-part", "Enter the name before the @");
        }
        if (!localPart.chars().allMatch(c -> c < 0x80)) {
            throw problem("non-ascii-local-part",
                    "The part before the @ can only contain ASCII letters, digits and . + - _");
        }
        if (localPart.length() > MAX_LOCAL_PART) {
            throw tooLong("The part before the @ (local part) is longer than " + MAX_LOCAL_PART + " characters");
        }
        if (localPart.startsWith(".") || localPart.endsWith(".") || localPart.contains("..")) {
            throw problem("local-part-dots",
                    "The part before the @ can't start or end with a dot or contain two dots in a row");
        }
        boolean atext = localPart.chars().allMatch(c -> c == '.' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || ATEXT_SPECIALS.indexOf(c) >= 0);
        if (!atext) {
            throw problem("invalid-local-part", "The part before the @ contains a character that isn't allowed");
        }
    }

    // ---- domain checks ----

    /** Lower-cases, checks the labels (homographs included) and converts to A-labels. */
    private static String toAsciiDomain(String input) {
        // IDNA treats these as dots too; make the label checks see what IDN.toASCII will see
        String domain = input.replace('\u3002', '.').replace('\uFF0E', '.').replace('\uFF61', '.')
                .toLowerCase(Locale.ROOT);
        boolean trailingDot = domain.endsWith(".");
        if (trailingDot) {
            domain = domain.substring(0, domain.length() - 1);
        }
        String[] labels = domain.split("\\.", -1);
        for (String label : labels) {
            if (label.isEmpty()) {
                throw problem("empty-label", "The domain can't start with a dot or contain two dots in a row");
            }
        }
        if (trailingDot) {
            throw problem("trailing-dot", "The domain can't end with a dot: enter it without the final dot");
        }
        for (String label : labels) {
            if (label.indexOf('_') >= 0) {
                throw problem("underscore", "The domain can't contain underscores");
            }
            if (label.startsWith("-") || label.endsWith("-")) {
                throw problem("hyphen-edge", "A part of the domain can't start or end with a hyphen");
            }
            if (label.length() > MAX_LABEL) {
                throw labelTooLong();
            }
        }
        checkHomographs(labels);
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            // java.net.IDN reports an over-long A-label only through its message
            if (e.getMessage() != null && e.getMessage().contains("too long")) {
                throw labelTooLong();
            }
            throw invalidDomain();
        }
        if (ascii.length() > MAX_DOMAIN) {
            throw tooLong("The domain is longer than " + MAX_DOMAIN + " characters");
        }
        return ascii;
    }

    /** Rejects labels that imitate other ones ({@link Homographs}), as typed or as {@code xn--} A-labels. */
    private static void checkHomographs(String[] labels) {
        String tld = labels[labels.length - 1];
        for (String label : labels) {
            switch (Homographs.check(label, tld)) {
                case MIXED_SCRIPT -> throw problem("mixed-script", "A part of the domain mixes letters from different"
                        + " alphabets, which is used to imitate other domains");
                case WHOLE_SCRIPT_LOOKALIKE -> throw problem("homograph", "A part of the domain is written in"
                        + " Cyrillic or Greek letters that look like Latin ones, which is used to imitate other domains");
                case NONE -> { }
            }
        }
    }

    /** Rejects {@code xn--} labels that do not decode (checked on the converted domain). */
    private static void checkDecodable(String ascii, String unicode) {
        String[] asciiLabels = ascii.split("\\.");
        String[] unicodeLabels = unicode.split("\\.");
        if (asciiLabels.length != unicodeLabels.length) {
            throw invalidDomain();
        }
        for (int i = 0; i < asciiLabels.length; i++) {
            // IDN.toUnicode returns a label it can't decode unchanged
            if (asciiLabels[i].startsWith("xn--") && asciiLabels[i].equals(unicodeLabels[i])) {
                throw invalidDomain();
            }
        }
    }

    private void checkDomainIsUsable(String domain) {
        if (domain.equals("localhost") || domain.endsWith(".localhost")) {
            throw problem("localhost", "localhost can't be used as a sender domain; use a domain name you own");
        }
        int lastDot = domain.lastIndexOf('.');
        if (lastDot < 0) {
            throw problem("single-label", "Enter a full domain name such as example.com");
        }
        if (reservedTlds.contains(domain.substring(lastDot + 1))) {
            throw problem("reserved-tld", "This top-level domain is reserved and can't receive or send email");
        }
        if (reservedDomains.stream().anyMatch(reserved -> isSameOrSubdomain(domain, reserved))) {
            throw problem("reserved-domain", "This domain is reserved for examples and tests; use a domain you own");
        }
        InternetDomainName name;
        try {
            name = InternetDomainName.from(domain);
        } catch (IllegalArgumentException e) {
            throw invalidDomain();
        }
        if (name.isPublicSuffix()) {
            throw problem("public-suffix", "This is a shared domain suffix that nobody can verify; "
                    + "use a domain registered under it");
        }
        if (!name.isUnderPublicSuffix()) {
            throw problem("unknown-tld", "The domain doesn't end in a known top-level domain");
        }
    }

    /** Bracketed address literals, bare IPv4/IPv6 addresses and all-numeric TLDs (like {@code 127.1}). */
    private static boolean isIpLiteral(String domain) {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.startsWith("[") || d.endsWith("]") || InetAddresses.isInetAddress(d)) {
            return true;
        }
        String tld = d.substring(d.lastIndexOf('.') + 1);
        return !tld.isEmpty() && tld.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** Final backstop: Jakarta Mail's strict RFC 822 parser must see exactly this one plain address. */
    private static void checkWithJakartaMail(String address) {
        try {
            InternetAddress parsed = new InternetAddress(address, true);
            parsed.validate();
            if (parsed.isGroup() || parsed.getPersonal() != null || !address.equals(parsed.getAddress())) {
                throw invalidSyntax();
            }
        } catch (AddressException e) {
            throw invalidSyntax();
        }
    }

    // ---- helpers ----

    /** Removes surrounding tabs and space separators (including no-break and ideographic spaces). */
    private static String trim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isTrimmable(s.charAt(start))) {
            start++;
        }
        while (end > start && isTrimmable(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isTrimmable(char c) {
        return c == '\t' || Character.isSpaceChar(c);
    }

    /** Lower-case A-label form without a trailing dot; for configuration and helper arguments. */
    private static String normalise(String domain) {
        String d = domain.strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return d.isEmpty() ? d : IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    }

    private static Set<String> normaliseAll(Collection<String> domains) {
        return domains == null ? Set.of() : domains.stream()
                .map(SenderAddressPolicy::normalise)
                .filter(d -> !d.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    private static SendersProblem problem(String reason, String detail) {
        return SendersProblem.invalid(FIELD, reason, detail);
    }

    private static SendersProblem tooLong(String detail) {
        return problem("too-long", detail);
    }

    private static SendersProblem labelTooLong() {
        return tooLong("A part of the domain (between dots) is longer than " + MAX_LABEL + " characters");
    }

    private static SendersProblem invalidDomain() {
        return problem("invalid-domain", "The domain isn't a valid domain name");
    }

    private static SendersProblem invalidSyntax() {
        return problem("invalid-syntax", "This isn't a valid email address");
    }
}
