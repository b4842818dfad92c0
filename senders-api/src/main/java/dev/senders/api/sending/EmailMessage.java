package dev.senders.api.sending;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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
 * @param headers        extra headers (no CR or LF anywhere)
 * @param tags           name/value tags for the provider's events
 * @param organizationId the sending organization
 * @param campaignId     the host's campaign, or null
 * @param idempotencyKey a key unique to this message (e.g. the campaign item id), so a retry never sends twice
 */
public record EmailMessage(String to, String from, String fromName, String subject, String html, String text,
                           List<String> replyTo, Map<String, String> headers, Map<String, String> tags,
                           String organizationId, String campaignId, String idempotencyKey) {

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
