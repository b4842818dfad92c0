package dev.senders.domain.model.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.senders.application.error.SendersProblem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class SenderAddressPolicyTest {

    private static final SenderAddressPolicy POLICY = SenderAddressPolicy.defaults();

    /** 18 distinct Han characters: an 18-character U-label whose A-label has 58 characters. */
    private static final String HAN_18 = "東京都港区新宿渋谷池袋上野浅草品川目";

    static Stream<Arguments> invalidAddresses() {
        return Stream.of(
                // required
                arguments(null, "required"),
                arguments("", "required"),
                arguments("   ", "required"),
                arguments("\u00A0\t", "required"),
                // line breaks (header injection), anywhere including the ends
                arguments("a@acme.com\r\nBcc: victim@acme.com", "line-break"),
                arguments("a\n@acme.com", "line-break"),
                arguments("a@acme.com\r", "line-break"),
                arguments("\na@acme.com", "line-break"),
                arguments("a@acme\u2028.com", "line-break"),
                arguments("a@acme.com\u2029", "line-break"),
                arguments("a\u0085@acme.com", "line-break"),
                // line breaks written out as text (a layer on the way may decode them): never "not a group"
                arguments("a@acme.com%0d%0aBcc: victim@acme.com", "line-break"),
                arguments("a@acme.com%0D%0ABcc:victim@acme.com", "line-break"),
                arguments("news%0a@acme.com", "line-break"),
                arguments("a@acme.com%E2%80%A8", "line-break"),
                arguments("a@acme.com\\r\\nBcc: victim@acme.com", "line-break"),
                arguments("a@acme.com\\nBcc: victim@acme.com", "line-break"),
                arguments("a@acme.com\\u000d\\u000aBcc: victim@acme.com", "line-break"),
                arguments("a@acme.com\\x0aBcc: victim@acme.com", "line-break"),
                arguments("a@acme.com&#13;&#10;Bcc: victim@acme.com", "line-break"),
                arguments("a@acme.com&#x0A;Bcc: victim@acme.com", "line-break"),
                arguments("a@acme.com&NewLine;Bcc: victim@acme.com", "line-break"),
                // control and invisible characters
                arguments("a\u0000@acme.com", "control-character"),
                arguments("a@acme.com\u0000", "control-character"),
                arguments("a\t@acme.com", "control-character"),
                arguments("a@ac\tme.com", "control-character"),
                arguments("a@acme.com\u007F", "control-character"),
                arguments("a@pay\u200Bpal.com", "control-character"),
                arguments("a@\u202Eacme.com", "control-character"),
                arguments("a\u00AD@acme.com", "control-character"),
                arguments("a@acme\uE000.com", "invalid-character"),
                arguments("a@acme\uD800.com", "invalid-character"),
                // whitespace inside
                arguments("a b@acme.com", "whitespace"),
                arguments("a@acme .com", "whitespace"),
                arguments("a@acme\u00A0.com", "whitespace"),
                arguments("a@acme\u3000.com", "whitespace"),
                // exactly one plain address
                arguments("Alice <a@acme.com>", "display-name"),
                arguments("\"Alice\" <a@acme.com>", "display-name"),
                arguments("Alice<a@acme.com>", "display-name"),
                arguments("<a@acme.com>", "display-name"),
                arguments("<@relay.com:a@acme.com>", "display-name"),
                arguments("a@acme.com (Alice)", "comment"),
                arguments("a(x)@acme.com", "comment"),
                arguments("@relay.com:a@acme.com", "route-address"),
                arguments("team: a@acme.com;", "group"),
                arguments("undisclosed-recipients:;", "group"),
                arguments("a@acme.com;", "group"),
                arguments("a@acme.com, b@acme.com", "multiple-addresses"),
                arguments("a@acme.com,b@evil.com", "multiple-addresses"),
                arguments("\"a\"@acme.com", "quoted-local-part"),
                arguments("\"a b\"@acme.com", "quoted-local-part"),
                arguments("\"a@b\"@acme.com", "quoted-local-part"),
                arguments("a\\@b@acme.com", "quoted-local-part"),
                // @ and local part
                arguments("acme.com", "missing-at"),
                arguments("a.acme.com", "missing-at"),
                arguments("a@b@acme.com", "multiple-at"),
                arguments("@acme.com", "missing-local-part"),
                arguments("a@", "missing-domain"),
                arguments(".a@acme.com", "local-part-dots"),
                arguments("a.@acme.com", "local-part-dots"),
                arguments("a..b@acme.com", "local-part-dots"),
                arguments("a[b]@acme.com", "invalid-local-part"),
                arguments("jörg@acme.com", "non-ascii-local-part"),
                arguments("почта@acme.com", "non-ascii-local-part"),
                // lengths
                arguments("a".repeat(65) + "@acme.com", "too-long"),
                arguments("a@" + "b".repeat(64) + ".com", "too-long"),
                arguments("a@" + ("b".repeat(60) + ".").repeat(5) + "com", "too-long"),
                arguments("a@" + (HAN_18 + "ab.").repeat(5) + "jp", "too-long"),
                // domain labels
                arguments("a@acme..com", "empty-label"),
                arguments("a@.acme.com", "empty-label"),
                arguments("a@acme.com..", "empty-label"),
                // RFC 5321 has no trailing dot (the absolute DNS form)
                arguments("user@acme.io.", "trailing-dot"),
                arguments("a@mail.acme.com.", "trailing-dot"),
                arguments("a@acme\u3002com\u3002", "trailing-dot"),
                arguments("a@localhost.", "trailing-dot"),
                arguments("a@intranet.", "trailing-dot"),
                arguments("a@deep.sub.test.com.", "trailing-dot"),
                arguments("a@-acme.com", "hyphen-edge"),
                arguments("a@acme-.com", "hyphen-edge"),
                arguments("a@mail.-acme.com", "hyphen-edge"),
                arguments("a@ac_me.com", "underscore"),
                arguments("a@_dmarc.acme.com", "underscore"),
                arguments("a@acme!.com", "invalid-domain"),
                arguments("a@*.acme.com", "invalid-domain"),
                arguments("a@xn--zzzz.com", "invalid-domain"),
                // homographs
                arguments("a@p\u0430ypal.com", "mixed-script"),
                arguments("a@g\u03BFogle.com", "mixed-script"),
                arguments("a@mail.p\u0430ypal.com", "mixed-script"),
                arguments("a@xn--pypal-4ve.com", "mixed-script"),
                arguments("a@XN--PYPAL-4VE.COM", "mixed-script"),
                // a look-alike letter newer than the JDK's IDNA 2003 tables (Cyrillic palochka) is still named
                arguments("a@p\u0430yp\u0430\u04CF.com", "mixed-script"),
                arguments("a@\u13A0pple.com", "mixed-script"),
                arguments("a@\uFF50\u0430ypal.com", "mixed-script"),
                // whole-script look-alikes: only Cyrillic (or Greek) letters that pass for Latin ones
                arguments("a@\u0430\u0440\u0440\u04CF\u0435.com", "homograph"),
                arguments("a@xn--80ak6aa92e.com", "homograph"),
                arguments("a@\u0430\u0440\u0440\u0456\u0435.com", "homograph"),
                arguments("a@\u0410\u0420\u0420\u0406\u0415.COM", "homograph"),
                arguments("a@\u0441\u043E\u0441\u0430.com", "homograph"),
                arguments("a@mail.\u0440\u0430\u0443\u0440\u0430\u04CF.com", "homograph"),
                arguments("a@\u03BF\u03BF.com", "homograph"),
                // IP addresses
                arguments("a@[127.0.0.1]", "ip-literal"),
                arguments("a@[IPv6:::1]", "ip-literal"),
                arguments("a@[IPv6:2001:db8::1]", "ip-literal"),
                arguments("a@127.0.0.1", "ip-literal"),
                arguments("a@10.0.0.1.", "ip-literal"),
                arguments("a@127.1", "ip-literal"),
                arguments("a@::1", "ip-literal"),
                arguments("a@2001:db8::1", "ip-literal"),
                // localhost and single labels
                arguments("a@localhost", "localhost"),
                arguments("a@LOCALHOST", "localhost"),
                arguments("a@app.localhost", "localhost"),
                arguments("a@acme", "single-label"),
                arguments("a@com", "single-label"),
                // reserved
                arguments("a@example.com", "reserved-domain"),
                arguments("a@EXAMPLE.ORG", "reserved-domain"),
                arguments("a@mail.example.net", "reserved-domain"),
                arguments("a@test.com", "reserved-domain"),
                arguments("a@deep.sub.test.com", "reserved-domain"),
                arguments("a@acme.test", "reserved-tld"),
                arguments("a@acme.example", "reserved-tld"),
                arguments("a@acme.invalid", "reserved-tld"),
                arguments("a@printer.local", "reserved-tld"),
                // public suffix list
                arguments("a@co.uk", "public-suffix"),
                arguments("a@github.io", "public-suffix"),
                arguments("a@com.au", "public-suffix"),
                arguments("a@acme.zzqq", "unknown-tld"),
                arguments("a@acme.corp", "unknown-tld"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("invalidAddresses")
    void rejectsWithSpecificReason(String input, String reason) {
        SendersProblem problem = catchThrowableOfType(SendersProblem.class, () -> POLICY.parse(input));

        assertThat(problem).as("rejects %s", input).isNotNull();
        assertThat(problem.reason()).isEqualTo(reason);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("emailAddress");
        assertThat(problem.detail()).isNotBlank();
    }

    @Test
    void tooLongNamesThePart() {
        assertThat(detailOf("a".repeat(65) + "@acme.com")).contains("local part");
        assertThat(detailOf("a@" + "b".repeat(64) + ".com")).contains("part of the domain");
        assertThat(detailOf("a@" + HAN_18 + "abc.jp")).contains("part of the domain"); // A-label of 64
        assertThat(detailOf("a@" + (HAN_18 + "ab.").repeat(5) + "jp")).contains("domain is longer");
        assertThat(detailOf("a@" + ("b".repeat(60) + ".").repeat(5) + "com")).contains("email address is longer");
        assertThat(detailOf("a".repeat(64) + "@" + (HAN_18 + ".").repeat(4) + "jp")).contains("email address is longer");
    }

    @Test
    void detailDoesNotEchoTheInput() {
        assertThat(detailOf("<script>@acme.com")).doesNotContain("script");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            user@acme.com                 | user        | acme.com                 | acme.com
            user@mail.acme.com            | user        | mail.acme.com            | mail.acme.com
            John.Doe@ACME.Com             | John.Doe    | acme.com                 | acme.com
            news+tag@acme.com             | news+tag    | acme.com                 | acme.com
            o'brien_x-y=z@acme.com        | o'brien_x-y=z | acme.com               | acme.com
            NEWS@acme.io                  | NEWS        | acme.io                  | acme.io
            a%41&#43b@acme.com            | a%41&#43b   | acme.com                 | acme.com
            user@mail.acme.co.uk          | user        | mail.acme.co.uk          | mail.acme.co.uk
            user@acme.github.io           | user        | acme.github.io           | acme.github.io
            user@１２３ａｃｍｅ.com          | user        | 123acme.com              | 123acme.com
            info@bücher.de                | info        | xn--bcher-kva.de         | bücher.de
            info@BÜCHER.DE                | info        | xn--bcher-kva.de         | bücher.de
            info@xn--bcher-kva.de         | info        | xn--bcher-kva.de         | bücher.de
            info@пример.рф                | info        | xn--e1afmkfd.xn--p1ai    | пример.рф
            info@ｐａｙｐａｌ.com            | info        | paypal.com               | paypal.com
            info@асе.ru                   | info        | xn--80ak9a.ru            | асе.ru
            info@сосо.рф                  | info        | xn--n1aahb.xn--p1ai      | сосо.рф
            info@почта.com                | info        | xn--80a1acny.com         | почта.com
            info@ελλάδα.com               | info        | xn--hxakic4aa.com        | ελλάδα.com
            info@ドメイン名例.jp            | info        | xn--eckwd4c7cu47r2wf.jp  | ドメイン名例.jp
            info@한국어도메인.kr             | info        | xn--3e0b73j92f06mw8bq76a.kr | 한국어도메인.kr
            """)
    void acceptsAndNormalises(String input, String localPart, String domain, String domainUnicode) {
        SenderAddress address = POLICY.parse(input);

        assertThat(address).isEqualTo(new SenderAddress(localPart, domain, domainUnicode));
        assertThat(address.emailAddress()).isEqualTo(localPart + "@" + domain);
        assertThat(address.isInternationalized()).isEqualTo(!domain.equals(domainUnicode));
    }

    @Test
    void trimsSurroundingWhitespace() {
        assertThat(POLICY.parse(" \t user@acme.com\u00A0 ").emailAddress()).isEqualTo("user@acme.com");
    }

    @Test
    void acceptsMaximumLengths() {
        String local = "a".repeat(64);
        String label = "b".repeat(63);
        assertThat(POLICY.parse(local + "@" + label + ".com").localPart()).isEqualTo(local);
        String domain = (label + ".").repeat(2) + "c".repeat(57) + ".com"; // 189 characters
        assertThat(POLICY.parse(local + "@" + domain).emailAddress()).hasSize(254);
    }

    @Test
    void internationalizedFlag() {
        assertThat(POLICY.parse("info@bücher.de").isInternationalized()).isTrue();
        assertThat(POLICY.parse("info@acme.com").isInternationalized()).isFalse();
    }

    @Test
    void configuredListsReplaceTheDefaults() {
        SenderAddressPolicy policy = new SenderAddressPolicy(List.of(" ACME.com. ", ""), List.of("corp", "Bücher"));

        assertThat(policy.reservedDomains()).containsExactly("acme.com");
        assertThat(policy.reservedTlds()).containsExactlyInAnyOrder("corp", "xn--bcher-kva");
        assertThat(reasonOf(policy, "a@mail.acme.com")).isEqualTo("reserved-domain");
        assertThat(reasonOf(policy, "a@evilacme.com")).isNull();
        assertThat(reasonOf(policy, "a@intranet.corp")).isEqualTo("reserved-tld");
        assertThat(reasonOf(policy, "a@example.com")).isNull();
    }

    @ParameterizedTest
    @CsvSource({
            "acme.com, acme.com",
            "mail.acme.com, acme.com",
            "a.b.mail.acme.co.uk, acme.co.uk",
            "acme.github.io, acme.github.io",
            "x.acme.github.io, acme.github.io",
            "MAIL.Bücher.de., xn--bcher-kva.de",
            "intranet.zzqq, intranet.zzqq"})
    void registrableDomain(String domain, String expected) {
        assertThat(POLICY.registrableDomain(domain)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
            "acme.com, acme.com, true",
            "mail.acme.com, acme.com, true",
            "a.b.acme.com, acme.com, true",
            "Mail.ACME.com., acme.com, true",
            "mail.bücher.de, xn--bcher-kva.de, true",
            "evilacme.com, acme.com, false",
            "acme.com, mail.acme.com, false",
            "acme.com.evil.com, acme.com, false",
            "acme.com, com.acme, false",
            "acme.com, '', false",
            "'', '', false",
            "acme.com, a_b!.com, false"})
    void isSameOrSubdomain(String domain, String parent, boolean expected) {
        assertThat(SenderAddressPolicy.isSameOrSubdomain(domain, parent)).isEqualTo(expected);
    }

    @Test
    void isSameOrSubdomainHandlesNull() {
        assertThat(SenderAddressPolicy.isSameOrSubdomain(null, "acme.com")).isFalse();
        assertThat(SenderAddressPolicy.isSameOrSubdomain("acme.com", null)).isFalse();
    }

    @Test
    void producerReadsConfiguredLists() {
        SenderAddressPolicyProducer producer = new SenderAddressPolicyProducer();
        producer.reservedDomains = List.of("acme.com");
        producer.reservedTlds = List.of("corp");

        SenderAddressPolicy policy = producer.senderAddressPolicy();

        assertThat(policy.reservedDomains()).containsExactly("acme.com");
        assertThat(policy.reservedTlds()).containsExactly("corp");
    }

    private static String detailOf(String input) {
        return catchThrowableOfType(SendersProblem.class, () -> POLICY.parse(input)).detail();
    }

    private static String reasonOf(SenderAddressPolicy policy, String input) {
        SendersProblem problem = catchThrowableOfType(SendersProblem.class, () -> policy.parse(input));
        return problem == null ? null : problem.reason();
    }
}
