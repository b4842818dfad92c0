package dev.senders.domain.model.address;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.senders.application.error.SendersProblem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class MailFromDomainPolicyTest {

    private static final String DOMAIN = "acme.com";

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', textBlock = """
            mail.acme.com\\r\\nX: y          | line-break
            mail.acme.com%0d%0aBcc: x@y.io   | line-break
            mail.acme.com&#10;               | line-break
            mail.acme.com\u200B              | control-character
            mail.acme.com.                   | trailing-dot
            m\u0430il.acme.com               | mixed-script
            xn--mil-8cd.acme.com             | mixed-script
            b\u043E\u0443nce.acme.com        | mixed-script
            \u0441\u043E\u0441\u0430.acme.com | homograph
            bounce                           | ok
            mail_1.acme.com                  | invalid-host-name
            -mail.acme.com                   | invalid-host-name
            mail..acme.com                   | invalid-host-name
            mail!.acme.com                   | invalid-host-name
            bounce.other-shop.com            | not-a-subdomain
            acme.com                         | not-a-subdomain
            mail.acme.com.evil.com           | not-a-subdomain
            10.0.0.1                         | not-a-subdomain
            """)
    void refusesWithItsReason(String input, String reason) {
        String typed = input.replace("\\r", "\r").replace("\\n", "\n");
        SendersProblem problem = catchThrowableOfType(SendersProblem.class,
                () -> MailFromDomainPolicy.parse(typed, DOMAIN, "mail"));
        if (reason.equals("ok")) {
            assertThat(problem).isNull();
            return;
        }
        assertThat(problem).as(input).isNotNull();
        assertThat(problem.reason()).isEqualTo(reason);
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.field()).isEqualTo("mailFromDomain");
        assertThat(problem.detail()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mail.acme.com\r\nX: y", "mail.acme.com\n", "\rmail.acme.com", "mail\u2028.acme.com"})
    void aRawLineBreakIsALineBreak(String input) {
        assertThat(catchThrowableOfType(SendersProblem.class, () -> MailFromDomainPolicy.parse(input, DOMAIN, "mail"))
                .reason()).isEqualTo("line-break");
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 250})
    void overLongLabelsAndNames(int length) {
        String input = length == 64 ? "m".repeat(64) + "." + DOMAIN : ("a".repeat(60) + ".").repeat(5) + DOMAIN;
        assertThat(catchThrowableOfType(SendersProblem.class, () -> MailFromDomainPolicy.parse(input, DOMAIN, "mail"))
                .reason()).isEqualTo("too-long");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            mail.acme.com         | acme.com          | mail.acme.com
            MAIL.Acme.COM         | acme.com          | mail.acme.com
            bounce                | acme.com          | bounce.acme.com
            ' bounce.acme.com '   | acme.com          | bounce.acme.com
            a.b.acme.com          | acme.com          | a.b.acme.com
            ｍａｉｌ.acme.com        | acme.com          | mail.acme.com
            mail.bücher.de        | xn--bcher-kva.de  | mail.xn--bcher-kva.de
            почта                 | xn--e1afmkfd.xn--p1ai | xn--80a1acny.xn--e1afmkfd.xn--p1ai
            """)
    void acceptsAndNormalises(String input, String domain, String expected) {
        assertThat(MailFromDomainPolicy.parse(input, domain, "mail")).isEqualTo(expected);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void nothingMeansTheDefaultPrefix(String input) {
        assertThat(MailFromDomainPolicy.parse(input, DOMAIN, "bounces")).isEqualTo("bounces.acme.com");
    }
}
