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
 * @param headers        extra headers such as {@code X-Campaign}: RFC 5322 field names, none that the module or
 *                       the providers set themselves ({@link #isReservedHeader}: checked when the message is built,
 *                       an {@link IllegalArgumentException}); values without CR, LF or other control characters
 *                       (checked when sent: the send is {@code FAILED}, not retryable)
 * @param tags           name/value tags for the provider's events
 * @param organizationId the sending organization
 * @param campaignId     the host's campaign, or null
 * @param idempotencyKey a key unique to this message within its organization (e.g. the campaign item id), so a retry
 *                       never sends twice; at most {@value #MAX_KEY_LENGTH} characters, or null for none
 * @param unsubscribe    a one-click unsubscribe link for the recipient ({@link Unsubscribe}), or null for none
 */
public record EmailMessage(String to, String from, String fromName, String subject, String html, String text,
                           List<String> replyTo, Map<String, String> headers, Map<String, String> tags,
                           String organizationId, String campaignId, String idempotencyKey, Unsubscribe unsubscribe) {

    /**
     * A request for a one-click unsubscribe link (RFC 8058, RFC 2369). The module adds
     * {@code List-Unsubscribe: <https://.../api/unsubscribe/{token}>} and
     * {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} to the message, through Amazon SES and Resend alike.
     * The token is signed by the module and names the message's own organization and recipient ({@code to}) and this
     * list, so a host cannot make a link for another organization or another recipient. A POST to the link suppresses
     * the recipient for the organization ({@code SUPPRESSED} from the next send on) and fires
     * {@code dev.senders.api.events.RecipientUnsubscribed}.
     *
     * @param listId the host's campaign or mailing list the link is about (carried in the token and the event), or
     *               null; at most {@value EmailMessage#MAX_KEY_LENGTH} characters; blank is null
     */
    public record Unsubscribe(String listId) {
        public Unsubscribe {
            listId = listId == null || listId.isBlank() ? null : listId;
            requireStorable("unsubscribe listId", listId);
        }
    }

    /**
     * Header fields an extra header may not set (lower case): the ones the module writes (addresses, subject, MIME
     * structure, and the one-click unsubscribe fields of {@link Unsubscribe}, so that the module's link is the only
     * one), the ones that identify and date the message or prove its origin and that the sending provider writes
     * ({@code Message-ID}, {@code Date}, {@code DKIM-Signature}, {@code Return-Path}), and the trace fields of the path
     * it took.
     */
    public static final Set<String> RESERVED_HEADERS = Set.of("from", "sender", "to", "cc", "bcc", "reply-to",
            "subject", "mime-version", "content-type", "content-transfer-encoding", "message-id", "date",
            "dkim-signature", "return-path", "received", "arc-seal", "arc-message-signature",
            "arc-authentication-results", "authentication-results", "list-unsubscribe", "list-unsubscribe-post");

    /**
     * Prefixes of reserved header fields (lower case): {@code Resent-*} (RFC 5322 resent fields) and {@code X-SES-*}
     * (instructions to Amazon SES, such as another configuration set or another account's identity).
     */
    public static final List<String> RESERVED_HEADER_PREFIXES = List.of("resent-", "x-ses-");

    /** The longest organization id, campaign id and idempotency key the module stores. */
    public static final int MAX_KEY_LENGTH = 255;

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
     * @throws IllegalArgumentException when there is no body, an extra header's name is not an RFC 5322 field name
     *                                  or is reserved ({@link #isReservedHeader}; the message names the header), or
     *                                  the organization id, campaign id or idempotency key is longer than
     *                                  {@value #MAX_KEY_LENGTH} characters (or the key is blank)
     */
    public EmailMessage {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(organizationId, "organizationId");
        if (html == null && text == null) {
            throw new IllegalArgumentException("an email needs an HTML or a text body");
        }
        requireStorable("organizationId", organizationId);
        requireStorable("campaignId", campaignId);
        requireStorable("idempotencyKey", idempotencyKey);
        if (idempotencyKey != null && idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotencyKey is blank: give a key unique to the message, or null");
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

    /** A message without an unsubscribe link (the form before {@link Unsubscribe} existed). */
    public EmailMessage(String to, String from, String fromName, String subject, String html, String text,
                        List<String> replyTo, Map<String, String> headers, Map<String, String> tags,
                        String organizationId, String campaignId, String idempotencyKey) {
        this(to, from, fromName, subject, html, text, replyTo, headers, tags, organizationId, campaignId,
                idempotencyKey, null);
    }

    private static void requireStorable(String name, String value) {
        if (value != null && value.length() > MAX_KEY_LENGTH) {
            throw new IllegalArgumentException(name + " is " + value.length() + " characters long; the module stores"
                    + " at most " + MAX_KEY_LENGTH);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy with other values, for the module's own fallbacks. */
    public Builder toBuilder() {
        Builder b = new Builder().to(to).from(from).fromName(fromName).subject(subject).html(html).text(text)
                .organizationId(organizationId).campaignId(campaignId).idempotencyKey(idempotencyKey)
                .unsubscribeLink(unsubscribe);
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
        private Unsubscribe unsubscribe;

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
        /** A one-click unsubscribe link for the recipient, for no list in particular ({@link Unsubscribe}). */
        public Builder unsubscribe() { unsubscribe = new Unsubscribe(null); return this; }
        /** A one-click unsubscribe link for the recipient about this campaign or list ({@link Unsubscribe}). */
        public Builder unsubscribe(String listId) { unsubscribe = new Unsubscribe(listId); return this; }
        /** The unsubscribe link asked for, or null for none. */
        public Builder unsubscribeLink(Unsubscribe value) { unsubscribe = value; return this; }

        public EmailMessage build() {
            return new EmailMessage(to, from, fromName, subject, html, text, replyTo, headers, tags, organizationId,
                    campaignId, idempotencyKey, unsubscribe);
        }
    }
}
