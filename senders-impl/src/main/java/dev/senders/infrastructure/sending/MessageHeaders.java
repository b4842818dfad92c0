package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.domain.model.suppression.SuppressedAddress;
import dev.senders.infrastructure.unsubscribe.UnsubscribeLinks;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.io.UnsupportedEncodingException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks and encodes the header fields of an {@link EmailMessage} the same way for every provider (uses Jakarta Mail).
 * <ul>
 *     <li>No CR, LF or other control character anywhere in an address, name, subject or header (header injection):
 *     such a message is refused, never repaired.</li>
 *     <li>Addresses are parsed strictly; internationalized domains become A-labels ({@code xn--...}); a non-ASCII
 *     local part is refused (neither SES v1 nor the module supports SMTPUTF8).</li>
 *     <li>A mailbox with a display name is formatted per RFC 5322 (quoted when needed) and RFC 2047 (encoded words
 *     for non-ASCII names), e.g. {@code "Acme, Inc." <news@acme.com>} or {@code =?UTF-8?Q?Zo=C3=AB?= <z@acme.com>}.</li>
 *     <li>Extra headers may not set a field the module or the provider sets ({@link EmailMessage#isReservedHeader}:
 *     {@code From}, {@code Message-ID}, {@code Date}, {@code DKIM-Signature}, {@code Return-Path}, {@code Resent-*},
 *     ...); their values follow the rule above.</li>
 *     <li>A message that asks for a one-click unsubscribe link ({@link EmailMessage#unsubscribe()}) gets the module's
 *     {@value #LIST_UNSUBSCRIBE} and {@value #LIST_UNSUBSCRIBE_POST} fields ({@link #encode(EmailMessage,
 *     UnsubscribeLinks)}); hosts cannot set them (reserved).</li>
 *     <li>Tag names and values are reduced to the characters SES and Resend accept: ASCII letters, digits, {@code _}
 *     and {@code -}, at most {@value #MAX_TAG_LENGTH} characters; others become {@code _}.</li>
 * </ul>
 */
public final class MessageHeaders {

    public static final int MAX_TAG_LENGTH = 256;
    /** Tag carrying {@link EmailMessage#organizationId()}; it overrides a message tag of the same name. */
    public static final String ORGANIZATION_TAG = "organization";
    /** Tag carrying {@link EmailMessage#campaignId()} when there is one; it overrides a message tag of the same name. */
    public static final String CAMPAIGN_TAG = "campaign";
    /** RFC 2369: the link, {@code <https://...>}. */
    public static final String LIST_UNSUBSCRIBE = "List-Unsubscribe";
    /** RFC 8058: the link takes a one-click POST. */
    public static final String LIST_UNSUBSCRIBE_POST = "List-Unsubscribe-Post";
    /** RFC 8058's value of {@value #LIST_UNSUBSCRIBE_POST}, and the body of the POST. */
    public static final String ONE_CLICK = "List-Unsubscribe=One-Click";
    /** RFC 5322: a line of a message is at most 998 characters; a URL cannot be folded. */
    static final int MAX_LINE = 998;

    private MessageHeaders() {
    }

    /** A message that must not be sent as it is; the message says why (never including the offending value). */
    public static final class InvalidMessageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public InvalidMessageException(String message) {
            super(message);
        }
    }

    /**
     * The header fields of a message, checked and encoded for the wire.
     *
     * @param fromAddress the bare From address (ASCII, IDN domain as A-labels)
     * @param from        the From mailbox, with the display name formatted and encoded
     * @param toAddress   the bare recipient address
     * @param to          the recipient mailbox (the bare address unless the message gave a name)
     * @param replyTo     the Reply-To mailboxes
     * @param subject     the subject, unchanged (the providers encode it)
     * @param headers     the extra headers, unchanged, in the message's order; then the module's unsubscribe fields
     *                    when encoded with {@link #encode(EmailMessage, UnsubscribeLinks)}
     * @param tags        the sanitized tags: the message's, then {@value #ORGANIZATION_TAG} and {@value #CAMPAIGN_TAG}
     */
    public record Encoded(String fromAddress, String from, String toAddress, String to, List<String> replyTo,
                          String subject, Map<String, String> headers, Map<String, String> tags) {
    }

    /** Checks and encodes the message's header fields; throws {@link InvalidMessageException} when it must not go. */
    public static Encoded encode(EmailMessage message) {
        requireClean("subject", message.subject(), true);
        requireClean("fromName", message.fromName(), false);
        InternetAddress from = parse("from", message.from());
        String personal = message.fromName() != null && !message.fromName().isBlank()
                ? message.fromName().strip() : from.getPersonal();
        InternetAddress to = parse("to", message.to());
        List<String> replyTo = message.replyTo().stream()
                .map(r -> parse("replyTo", r))
                .map(a -> mailbox(a.getAddress(), a.getPersonal()))
                .toList();
        return new Encoded(from.getAddress(), mailbox(from.getAddress(), personal), to.getAddress(),
                mailbox(to.getAddress(), to.getPersonal()), replyTo, message.subject(), headers(message.headers()),
                tags(message));
    }

    /**
     * {@link #encode(EmailMessage)}, and when the message asks for a one-click unsubscribe link, the module's
     * {@value #LIST_UNSUBSCRIBE} ({@code <link>}) and {@value #LIST_UNSUBSCRIBE_POST} ({@value #ONE_CLICK}) after
     * the extra headers. The link names the message's organization, its recipient (normalized as on the suppression
     * list) and the list.
     *
     * @throws InvalidMessageException as {@link #encode(EmailMessage)}, and when the message asks for a link but links
     *                                 are not configured, or the link would not fit on one header line (an
     *                                 organization or list id too long)
     */
    public static Encoded encode(EmailMessage message, UnsubscribeLinks links) {
        Encoded encoded = encode(message);
        if (message.unsubscribe() == null) {
            return encoded;
        }
        if (!links.configured()) {
            throw new InvalidMessageException("the message asks for a one-click unsubscribe link, but none can be"
                    + " made: senders.unsubscribe.base-url and senders.unsubscribe.secrets are not configured");
        }
        // the spelling the send path's suppression check reads (SendClaims), so the entry the link makes applies
        String recipient = SuppressedAddress.normalize(message.to())
                .orElseThrow(() -> new InvalidMessageException("to is not a valid email address"));
        String link = links.link(message.organizationId(), recipient, message.unsubscribe().listId());
        String value = "<" + link + ">";
        if (LIST_UNSUBSCRIBE.length() + 2 + value.length() > MAX_LINE) {
            throw new InvalidMessageException("the unsubscribe link would be " + link.length() + " characters long,"
                    + " too long for one header line (" + MAX_LINE + "): the organization id or the list id is too"
                    + " long");
        }
        Map<String, String> headers = new LinkedHashMap<>(encoded.headers());
        headers.put(LIST_UNSUBSCRIBE, value);
        headers.put(LIST_UNSUBSCRIBE_POST, ONE_CLICK);
        return new Encoded(encoded.fromAddress(), encoded.from(), encoded.toAddress(), encoded.to(),
                encoded.replyTo(), encoded.subject(), Collections.unmodifiableMap(headers), encoded.tags());
    }

    /**
     * Parses one address strictly ({@code InternetAddress(s, true)}), either bare or {@code Name <addr>}, after
     * converting an internationalized domain to A-labels.
     */
    public static InternetAddress parse(String field, String raw) {
        requireClean(field, raw, false);
        String s = raw == null ? "" : raw.strip();
        if (s.isEmpty()) {
            throw new InvalidMessageException(field + " is empty");
        }
        int lt = s.lastIndexOf('<');
        boolean angle = lt >= 0 && s.endsWith(">");
        String spec = angle ? s.substring(lt + 1, s.length() - 1).strip() : s;
        String ascii = asciiAddrSpec(field, spec);
        try {
            InternetAddress parsed = new InternetAddress(angle ? s.substring(0, lt + 1) + ascii + ">" : ascii, true);
            String address = parsed.getAddress();
            if (address == null || address.indexOf('@') <= 0 || parsed.isGroup()) {
                throw new InvalidMessageException(field + " is not a valid email address");
            }
            return parsed;
        } catch (AddressException e) {
            throw new InvalidMessageException(field + " is not a valid email address: " + e.getMessage());
        }
    }

    /** {@code address}, or {@code Name <address>} with the name quoted (RFC 5322) and encoded (RFC 2047) as needed. */
    public static String mailbox(String address, String personal) {
        if (personal == null || personal.isBlank()) {
            return address;
        }
        requireClean("display name", personal, false);
        try {
            String formatted = new InternetAddress(address, personal.strip(), StandardCharsets.UTF_8.name()).toString();
            requireClean("display name", formatted, false); // encoded words are never folded, but make sure
            return formatted;
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** The domain of an addr-spec as A-labels, lower case, without a trailing dot ({@code null} stays null). */
    public static String asciiDomain(String domain) {
        if (domain == null) {
            return null;
        }
        String d = domain.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        return IDN.toASCII(d).toLowerCase(Locale.ROOT);
    }

    /**
     * The extra headers, checked: valid names, none reserved ({@link EmailMessage#isReservedHeader}: an
     * {@link EmailMessage} already refuses them when built; checked again here for every other caller), no control
     * characters in values.
     */
    public static Map<String, String> headers(Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!EmailMessage.isHeaderName(name)) {
                throw new InvalidMessageException("a header name is not a valid RFC 5322 field name"
                        + " (printable ASCII without ':' or spaces)");
            }
            if (EmailMessage.isReservedHeader(name)) {
                throw new InvalidMessageException("header " + name + " cannot be set as an extra header");
            }
            requireClean("header " + name, value, true);
            out.put(name, value);
        });
        return Collections.unmodifiableMap(out);
    }

    /**
     * The message's tags, then {@value #ORGANIZATION_TAG} and {@value #CAMPAIGN_TAG} (which win over message tags of
     * the same name), all sanitized with {@link #sanitizeTag}. A tag whose name is blank is dropped.
     */
    public static Map<String, String> tags(EmailMessage message) {
        Map<String, String> out = new LinkedHashMap<>();
        message.tags().forEach((name, value) -> {
            if (name != null && !name.isBlank()) {
                out.put(sanitizeTag(name), sanitizeTag(value));
            }
        });
        out.put(ORGANIZATION_TAG, sanitizeTag(message.organizationId()));
        if (message.campaignId() != null && !message.campaignId().isBlank()) {
            out.put(CAMPAIGN_TAG, sanitizeTag(message.campaignId()));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * A tag name or value SES and Resend accept: every character other than ASCII letters, digits, {@code _} and
     * {@code -} becomes {@code _} (one per code point), cut to {@value #MAX_TAG_LENGTH}; empty or null becomes
     * {@code _}.
     */
    public static String sanitizeTag(String value) {
        if (value == null || value.isEmpty()) {
            return "_";
        }
        StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_TAG_LENGTH));
        value.codePoints().limit(MAX_TAG_LENGTH).forEach(cp -> sb.append(
                (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9') || cp == '_' || cp == '-'
                        ? (char) cp : '_'));
        return sb.toString();
    }

    /**
     * Refuses CR, LF and every other control character (C0, DEL, C1, U+2028/U+2029) in {@code value}; a horizontal
     * tab is allowed only where {@code tabAllowed}. {@code null} passes.
     */
    public static void requireClean(String field, String value, boolean tabAllowed) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029;
            if (control && !(tabAllowed && c == '\t')) {
                throw new InvalidMessageException(field + " contains "
                        + (c == '\r' || c == '\n' ? "a line break" : "a control character")
                        + String.format(" (U+%04X); refusing to send", (int) c));
            }
        }
    }

    /** {@code local@domain} with the domain as A-labels; a non-ASCII local part is refused. */
    private static String asciiAddrSpec(String field, String spec) {
        int at = spec.lastIndexOf('@');
        if (at <= 0 || at == spec.length() - 1) {
            throw new InvalidMessageException(field + " is not a valid email address");
        }
        String local = spec.substring(0, at);
        String domain = spec.substring(at + 1);
        if (!local.chars().allMatch(c -> c < 0x80)) {
            throw new InvalidMessageException(field + " has a non-ASCII local part, which cannot be sent");
        }
        if (domain.chars().allMatch(c -> c < 0x80)) {
            return spec;
        }
        try {
            return local + "@" + IDN.toASCII(domain);
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(field + " has an invalid internationalized domain: " + e.getMessage());
        }
    }
}
