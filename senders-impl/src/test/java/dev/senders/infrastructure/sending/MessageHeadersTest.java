package dev.senders.infrastructure.sending;

import dev.senders.api.sending.EmailMessage;
import jakarta.mail.internet.InternetAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MessageHeadersTest {

    private static EmailMessage.Builder message() {
        return EmailMessage.builder().to("bob@example.org").from("news@acme.com").subject("Hello").text("Hi")
                .organizationId("org-1");
    }

    @Test
    void displayNamesAreQuotedOrEncoded() throws Exception {
        assertThat(MessageHeaders.mailbox("news@acme.com", "Acme, Inc.")).isEqualTo("\"Acme, Inc.\" <news@acme.com>");
        assertThat(MessageHeaders.mailbox("news@acme.com", "Acme")).isEqualTo("Acme <news@acme.com>");
        assertThat(MessageHeaders.mailbox("news@acme.com", "Say \"hi\"")).isEqualTo("\"Say \\\"hi\\\"\" <news@acme.com>");
        assertThat(MessageHeaders.mailbox("news@acme.com", null)).isEqualTo("news@acme.com");
        String encoded = MessageHeaders.mailbox("news@acme.com", "Zoë Café");
        assertThat(encoded).startsWith("=?UTF-8?").endsWith("?= <news@acme.com>").isASCII();
        assertThat(new InternetAddress(encoded, true).getPersonal()).isEqualTo("Zoë Café");
        String longName = MessageHeaders.mailbox("news@acme.com", "Ünïcödé ".repeat(20).strip());
        assertThat(longName).doesNotContain("\r", "\n");
        assertThat(new InternetAddress(longName, true).getPersonal()).isEqualTo("Ünïcödé ".repeat(20).strip());
    }

    @Test
    void addressesAreParsedStrictlyWithIdnDomainsAsALabels() {
        assertThat(MessageHeaders.parse("to", "bob@bücher.example").getAddress()).isEqualTo("bob@xn--bcher-kva.example");
        InternetAddress named = MessageHeaders.parse("to", "Bob Büchner <bob@bücher.example>");
        assertThat(named.getAddress()).isEqualTo("bob@xn--bcher-kva.example");
        assertThat(named.getPersonal()).isEqualTo("Bob Büchner");
        for (String bad : new String[] {"", "bob", "bob@", "@example.org", "bob smith@example.org", "a@b.com, c@d.com",
                "zoë@example.org", "group: a@b.com;"}) {
            assertThatThrownBy(() -> MessageHeaders.parse("to", bad)).as(bad)
                    .isInstanceOf(MessageHeaders.InvalidMessageException.class).hasMessageStartingWith("to ");
        }
    }

    @Test
    void controlCharactersAreRefusedEverywhere() {
        assertThatThrownBy(() -> MessageHeaders.encode(message().subject("Hi\r\nBcc: x@evil.com").build()))
                .isInstanceOf(MessageHeaders.InvalidMessageException.class).hasMessageContaining("subject")
                .hasMessageContaining("line break");
        assertThatThrownBy(() -> MessageHeaders.encode(message().fromName("Acme\nBcc: x@evil.com").build()))
                .hasMessageContaining("fromName");
        assertThatThrownBy(() -> MessageHeaders.encode(message().to("bob@example.org\r\nBcc: x@evil.com").build()))
                .hasMessageContaining("to");
        assertThatThrownBy(() -> MessageHeaders.encode(message().replyTo("a@acme.com\u0000").build()))
                .hasMessageContaining("replyTo").hasMessageContaining("control character");
        assertThatThrownBy(() -> MessageHeaders.encode(message().header("X-Foo", "a\r\nBcc: x@evil.com").build()))
                .hasMessageContaining("header X-Foo");
        assertThatThrownBy(() -> message().header("X-Foo\r\nBcc", "x").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header name");
        assertThatThrownBy(() -> MessageHeaders.headers(java.util.Map.of("X-Foo\r\nBcc", "x")))
                .isInstanceOf(MessageHeaders.InvalidMessageException.class).hasMessageContaining("header name");
        assertThatThrownBy(() -> MessageHeaders.encode(message().subject("a\u2028b").build()))
                .hasMessageContaining("subject");
        // a tab is harmless in a subject or header value
        assertThat(MessageHeaders.encode(message().subject("a\tb").header("X-Foo", "1\t2").build()).subject())
                .isEqualTo("a\tb");
    }

    /**
     * Fields the module or the provider sets, the message's identity, date and signature, and resent/trace fields:
     * refused when the message is built (IllegalArgumentException naming the header), and again by the send-time
     * check for any other caller of {@link MessageHeaders#headers}.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"Bcc", "from", "Content-Type", "Reply-To", "Message-ID",
            "message-id", "Date", "DKIM-Signature", "Return-Path", "Resent-From", "resent-message-id", "RESENT-DATE",
            "Received", "Authentication-Results", "X-SES-CONFIGURATION-SET", "x-ses-source-arn", "List-Unsubscribe",
            "list-unsubscribe-post"})
    void reservedHeadersCannotBeSet(String name) {
        assertThatThrownBy(() -> message().header(name, "x").build()).as(name)
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("header " + name);
        assertThat(EmailMessage.isReservedHeader(name)).isTrue();
        assertThatThrownBy(() -> MessageHeaders.headers(java.util.Map.of(name, "x"))).as(name)
                .isInstanceOf(MessageHeaders.InvalidMessageException.class).hasMessageContaining(name);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"List-Id", "List-Unsubscribed", "X-Campaign",
            "Precedence", "Feedback-ID", "X-Message-Ref", "Dated", "Resent", "X-SESSION"})
    void otherHeadersMayBeSet(String name) {
        assertThat(EmailMessage.isReservedHeader(name)).as(name).isFalse();
        assertThat(MessageHeaders.encode(message().header(name, "<mailto:u@acme.com>").build()).headers())
                .containsEntry(name, "<mailto:u@acme.com>");
    }

    @Test
    void tagsAreSanitized() {
        assertThat(MessageHeaders.sanitizeTag("Spring 2025/€")).isEqualTo("Spring_2025__");
        assertThat(MessageHeaders.sanitizeTag("ok_-9Z")).isEqualTo("ok_-9Z");
        assertThat(MessageHeaders.sanitizeTag("😀")).isEqualTo("_");
        assertThat(MessageHeaders.sanitizeTag("")).isEqualTo("_");
        assertThat(MessageHeaders.sanitizeTag(null)).isEqualTo("_");
        assertThat(MessageHeaders.sanitizeTag("x".repeat(300))).hasSize(256);

        EmailMessage m = message().organizationId("org 1").campaignId("c/2").tag("kind", "news letter")
                .tag("organization", "spoofed").tag(" ", "dropped").build();
        assertThat(MessageHeaders.tags(m)).containsOnly(
                org.assertj.core.api.Assertions.entry("kind", "news_letter"),
                org.assertj.core.api.Assertions.entry("organization", "org_1"),
                org.assertj.core.api.Assertions.entry("campaign", "c_2"));
        assertThat(MessageHeaders.tags(message().build())).containsOnlyKeys("organization");
    }

    @Test
    void encodeCombinesEverything() {
        MessageHeaders.Encoded e = MessageHeaders.encode(message().from("news@Bücher.example").fromName("Zoë")
                .to("Bob <bob@example.org>").addReplyTo("Support <help@acme.com>").addReplyTo("x@acme.com").build());
        assertThat(e.fromAddress()).isEqualTo("news@xn--bcher-kva.example");
        assertThat(e.from()).startsWith("=?UTF-8?").endsWith("<news@xn--bcher-kva.example>");
        assertThat(e.toAddress()).isEqualTo("bob@example.org");
        assertThat(e.to()).isEqualTo("Bob <bob@example.org>");
        assertThat(e.replyTo()).containsExactly("Support <help@acme.com>", "x@acme.com");
    }

    @Test
    void senderDomainMustBeTheVerifiedOneOrASubdomain() {
        SesEmailSender.requireDomain("a@acme.com", "acme.com");
        SesEmailSender.requireDomain("a@mail.ACME.com", "Acme.com.");
        SesEmailSender.requireDomain("a@xn--bcher-kva.example", "bücher.example");
        for (String from : new String[] {"a@notacme.com", "a@acme.com.evil.com", "a@com"}) {
            assertThatThrownBy(() -> SesEmailSender.requireDomain(from, "acme.com")).as(from)
                    .hasMessageContaining("sender domain does not match the verified domain");
        }
        assertThatThrownBy(() -> SesEmailSender.requireDomain("a@acme.com", " "))
                .isInstanceOf(MessageHeaders.InvalidMessageException.class);
    }

    // ------------------------------------------------------------------ one-click unsubscribe (issue 17)

    private static final String SECRET = "unsubscribe-secret-for-the-unit-test-0001";
    private static final java.time.Instant NOON = java.time.Instant.parse("2026-03-14T12:00:00Z");

    private static dev.senders.infrastructure.unsubscribe.UnsubscribeLinks links(java.time.Instant now) {
        return new dev.senders.infrastructure.unsubscribe.UnsubscribeLinks(java.net.URI.create("https://app.acme.io"),
                new dev.senders.infrastructure.unsubscribe.UnsubscribeTokens(java.util.List.of(SECRET)), 90,
                java.time.Clock.fixed(now, java.time.ZoneOffset.UTC));
    }

    @Test
    void aMessageAskingForAnUnsubscribeLinkGetsBothFieldsAfterItsOwnHeaders() {
        EmailMessage m = message().to("Bob <Bob@Bücher.example>").header("X-Campaign", "7").unsubscribe("spring")
                .build();
        var links = links(NOON);

        java.util.Map<String, String> headers = MessageHeaders.encode(m, links).headers();

        assertThat(headers.keySet()).containsExactly("X-Campaign", "List-Unsubscribe", "List-Unsubscribe-Post");
        assertThat(headers.get("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        String value = headers.get("List-Unsubscribe");
        assertThat(value).startsWith("<https://app.acme.io/api/unsubscribe/").endsWith(">");
        String token = value.substring("<https://app.acme.io/api/unsubscribe/".length(), value.length() - 1);
        var check = links.check(token);
        assertThat(check.valid()).isTrue();
        assertThat(check.token()).isEqualTo(new dev.senders.infrastructure.unsubscribe.UnsubscribeToken("org-1",
                "bob@xn--bcher-kva.example", "spring", java.time.LocalDate.of(2026, 6, 12)));
        // the same link all day (a Resend replay is the same bytes), another one the next day
        assertThat(MessageHeaders.encode(m, links(NOON.plusSeconds(11 * 3600 + 59 * 60))).headers()).isEqualTo(headers);
        assertThat(MessageHeaders.encode(m, links(NOON.plusSeconds(12 * 3600))).headers()).isNotEqualTo(headers);
        // the copy the module makes for its fallback keeps the request
        assertThat(m.toBuilder().from("notifications@platform.example").build().unsubscribe()).isEqualTo(m.unsubscribe());
    }

    @Test
    void withoutARequestNothingIsAdded() {
        EmailMessage m = message().header("X-Campaign", "7").build();
        assertThat(MessageHeaders.encode(m, links(NOON))).isEqualTo(MessageHeaders.encode(m));
        assertThat(MessageHeaders.encode(m, dev.senders.infrastructure.unsubscribe.UnsubscribeLinks.none()))
                .isEqualTo(MessageHeaders.encode(m));
    }

    @Test
    void aRequestWithoutConfiguredLinksOrTooLongForAHeaderLineIsInvalid() {
        assertThatThrownBy(() -> MessageHeaders.encode(message().unsubscribe().build(),
                dev.senders.infrastructure.unsubscribe.UnsubscribeLinks.none()))
                .isInstanceOf(MessageHeaders.InvalidMessageException.class)
                .hasMessageContaining("senders.unsubscribe.base-url");
        EmailMessage huge = message().organizationId("ü".repeat(255)).unsubscribe("é".repeat(255)).build();
        assertThatThrownBy(() -> MessageHeaders.encode(huge, links(NOON)))
                .isInstanceOf(MessageHeaders.InvalidMessageException.class).hasMessageContaining("too long");
        assertThatThrownBy(() -> message().unsubscribe("x".repeat(256)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listId");
    }
}
