package dev.senders.api.sending;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One email to one recipient, immutable. Build it with {@link #builder()}.
 *
 * @param to             the recipient address
 * @param from           the sender address (must be one of the organization's senders to go through SES)
 * @param fromName       the display name, or null
 * @param subject        the subject
 * @param html           the HTML body, or null
 * @param text           the plain-text body, or null (at least one body is required)
 * @param replyTo        Reply-To addresses (empty for none)
 * @param headers        extra headers such as {@code List-Unsubscribe}: RFC 5322 field names, none that the module or
 *                       the providers set themselves ({@link #isReservedHeader}: checked when the message is built,
 *                       an {@link IllegalArgumentException}); values without CR, LF or other control characters
 *                       (checked when sent: the send is {@code FAILED}, not retryable)
 * @param tags           name/value tags for the provider's events
 * @param organizationId the sending organization
 * @param campaignId     the host's campaign, or null
 * @param idempotencyKey a key unique to this message (e.g. the campaign item id), so a retry never sends twice
 */
public record EmailMessage(String to, String from, String fromName, String subject, String html, String text,
                           List<String> replyTo, Map<String, String> headers, Map<String, String> tags,
                           String organizationId, String campaignId, String idempotencyKey) {

    /**
     * Header fields an extra header may not set (lower case): the ones the module writes (addresses, subject, MIME
     * structure), the ones that identify and date the message or prove its origin and that the sending provider
     * writes ({@code Message-ID}, {@code Date}, {@code DKIM-Signature}, {@code Return-Path}), and the trace fields of
     * the path it took.
     */
    public static final Set<String> RESERVED_HEADERS = Set.of("from", "sender", "to", "cc", "bcc", "reply-to",
            "subject", "mime-version", "content-type", "content-transfer-encoding", "message-id", "date",
            "dkim-signature", "return-path", "received", "arc-seal", "arc-message-signature",
            "arc-authentication-results", "authentication-results");

    /**
     * Prefixes of reserved header fields (lower case): {@code Resent-*} (RFC 5322 resent fields) and {@code X-SES-*}
     * (instructions to Amazon SES, such as another configuration set or another account's identity).
     */
    public static final List<String> RESERVED_HEADER_PREFIXES = List.of("resent-", "x-ses-");

    /** RFC 5322 field name: printable US-ASCII except the colon; at most 76 characters (one folded line). */
    private static final Pattern HEADER_NAME = Pattern.compile("[\\x21-\\x39\\x3B-\\x7E]{1,76}");

    /** Whether {@code name} is a valid RFC 5322 field name. */
    public static boolean isHeaderName(String name) {
        return name != null && HEADER_NAME.matcher(name).matches();
    }

    /** Whether an extra header may not set this field (case-insensitive; {@link #RESERVED_HEADERS}, prefixes). */
    public static boolean isReservedHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return RESERVED_HEADERS.contains(n) || RESERVED_HEADER_PREFIXES.stream().anyMatch(n::startsWith);
    }

    /**
     * @throws IllegalArgumentException when there is no body, or an extra header's name is not an RFC 5322 field name
     *                                  or is reserved ({@link #isReservedHeader}); the message names the header
     */
    public EmailMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(organizationId, "organizationId");
        if (html == null && text == null) {
            throw new IllegalArgumentException("an email needs an HTML or a text body");
        }
        replyTo = replyTo == null ? List.of() : List.copyOf(replyTo);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        for (String name : headers.keySet()) {
            if (!isHeaderName(name)) {
                throw new IllegalArgumentException("a header name is not a valid RFC 5322 field name"
                        + " (printable ASCII without ':' or spaces)");
            }
            if (isReservedHeader(name)) {
                throw new IllegalArgumentException("header " + name + " cannot be set as an extra header: the module"
                        + " or the provider sets it");
            }
        }
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy with other values, for the module's own fallbacks. */
    public Builder toBuilder() {
        Builder b = new Builder().to(to).from(from).fromName(fromName).subject(subject).html(html).text(text)
                .organizationId(organizationId).campaignId(campaignId).idempotencyKey(idempotencyKey);
        b.replyTo.addAll(replyTo);
        b.headers.putAll(headers);
        b.tags.putAll(tags);
        return b;
    }

    public static final class Builder {
        private String to;
        private String from;
        private String fromName;
        private String subject;
        private String html;
        private String text;
        private final java.util.ArrayList<String> replyTo = new java.util.ArrayList<>();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Map<String, String> tags = new LinkedHashMap<>();
        private String organizationId;
        private String campaignId;
        private String idempotencyKey;

        public Builder to(String value) { to = value; return this; }
        public Builder from(String value) { from = value; return this; }
        public Builder fromName(String value) { fromName = value; return this; }
        public Builder subject(String value) { subject = value; return this; }
        public Builder html(String value) { html = value; return this; }
        public Builder text(String value) { text = value; return this; }
        public Builder replyTo(String value) { replyTo.clear(); if (value != null) { replyTo.add(value); } return this; }
        public Builder addReplyTo(String value) { replyTo.add(value); return this; }
        public Builder header(String name, String value) { headers.put(name, value); return this; }
        public Builder tag(String name, String value) { tags.put(name, value); return this; }
        public Builder organizationId(String value) { organizationId = value; return this; }
        public Builder campaignId(String value) { campaignId = value; return this; }
        public Builder idempotencyKey(String value) { idempotencyKey = value; return this; }

        public EmailMessage build() {
            return new EmailMessage(to, from, fromName, subject, html, text, replyTo, headers, tags, organizationId,
                    campaignId, idempotencyKey);
        }
    }
}
