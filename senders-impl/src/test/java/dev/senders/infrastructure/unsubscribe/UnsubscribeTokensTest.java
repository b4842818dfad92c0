package dev.senders.infrastructure.unsubscribe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnsubscribeTokensTest {

    private static final String CURRENT = "current-secret-0123456789abcdef-XYZ";
    private static final String OLD = "old-secret-0123456789abcdef-0123456";
    private static final String OTHER = "someone-elses-secret-0123456789abcd";
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 14);
    private static final UnsubscribeToken CLAIMS = new UnsubscribeToken("org-acme", "bob@example.org", "spring-news",
            TODAY.plusDays(90));

    private static TokenCheck.Outcome outcome(UnsubscribeTokens tokens, String token) {
        return tokens.check(token, TODAY).outcome();
    }

    @Test
    void aSignedTokenIsValidUrlSafeAndReadsBackItsClaims() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        String token = tokens.sign(CLAIMS);

        assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
        TokenCheck check = tokens.check(token, TODAY);
        assertThat(check.outcome()).isEqualTo(TokenCheck.Outcome.VALID);
        assertThat(check.token()).isEqualTo(CLAIMS);
        assertThat(tokens.sign(CLAIMS)).as("deterministic").isEqualTo(token);
    }

    @Test
    void withoutAListAndWithNonAsciiIds() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        UnsubscribeToken noList = new UnsubscribeToken("org-1", "ann@xn--bcher-kva.example", null, TODAY);
        UnsubscribeToken unicode = new UnsubscribeToken("organisation-ü", "ann@example.org", "liste:été", TODAY);
        assertThat(tokens.check(tokens.sign(noList), TODAY).token()).isEqualTo(noList);
        assertThat(tokens.check(tokens.sign(unicode), TODAY).token()).isEqualTo(unicode);
        assertThat(tokens.sign(new UnsubscribeToken("org-1", "ann@xn--bcher-kva.example", " ", TODAY)))
                .as("a blank list is no list").isEqualTo(tokens.sign(noList));
        assertThat(tokens.sign(new UnsubscribeToken("org-1", "ann@xn--bcher-kva.example", "l", TODAY)))
                .isNotEqualTo(tokens.sign(noList));
    }

    @Test
    void rotationTheFirstSecretSignsEverySecretVerifies() {
        UnsubscribeTokens before = new UnsubscribeTokens(List.of(OLD));
        UnsubscribeTokens during = new UnsubscribeTokens(List.of(CURRENT, OLD));
        UnsubscribeTokens after = new UnsubscribeTokens(List.of(CURRENT));
        String signedBefore = before.sign(CLAIMS);
        String signedDuring = during.sign(CLAIMS);

        assertThat(signedDuring).as("the new secret signs").isEqualTo(after.sign(CLAIMS)).isNotEqualTo(signedBefore);
        assertThat(outcome(during, signedBefore)).as("the old secret still verifies").isEqualTo(TokenCheck.Outcome.VALID);
        assertThat(outcome(during, signedDuring)).isEqualTo(TokenCheck.Outcome.VALID);
        assertThat(outcome(after, signedBefore)).as("once dropped, its tokens are refused")
                .isEqualTo(TokenCheck.Outcome.FORGED);
        assertThat(outcome(before, signedDuring)).isEqualTo(TokenCheck.Outcome.FORGED);
    }

    @Test
    void aTokenWorksThroughItsLastDayAndIsExpiredTheDayAfter() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        String token = tokens.sign(CLAIMS);

        assertThat(tokens.check(token, CLAIMS.expiresOn()).outcome()).isEqualTo(TokenCheck.Outcome.VALID);
        TokenCheck expired = tokens.check(token, CLAIMS.expiresOn().plusDays(1));
        assertThat(expired.outcome()).isEqualTo(TokenCheck.Outcome.EXPIRED);
        assertThat(expired.token()).as("signed by us, so its claims are known").isEqualTo(CLAIMS);
        assertThat(expired.valid()).isFalse();
    }

    @Test
    void aTokenSignedWithAnotherSecretIsForged() {
        String forged = new UnsubscribeTokens(List.of(OTHER)).sign(CLAIMS);
        assertThat(outcome(new UnsubscribeTokens(List.of(CURRENT, OLD)), forged)).isEqualTo(TokenCheck.Outcome.FORGED);
    }

    @Test
    void everyChangedCharacterIsRefused() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        String token = tokens.sign(CLAIMS);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < token.length(); i++) {
            if (token.charAt(i) == '.') {
                continue;
            }
            for (char c : new char[] {alphabet.charAt((alphabet.indexOf(token.charAt(i)) + 1) % 64),
                    alphabet.charAt((alphabet.indexOf(token.charAt(i)) + 32) % 64)}) {
                String changed = token.substring(0, i) + c + token.substring(i + 1);
                if (tokens.check(changed, TODAY).valid()) {
                    accepted.add(changed);
                }
            }
        }
        assertThat(accepted).as("altered tokens accepted").isEmpty();
    }

    @Test
    void anotherRecipientOrOrganizationOrLaterExpiryUnderTheSameMacIsForged() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        String mac = tokens.sign(CLAIMS).split("\\.")[1];
        for (UnsubscribeToken other : List.of(
                new UnsubscribeToken("org-acme", "eve@example.org", "spring-news", CLAIMS.expiresOn()),
                new UnsubscribeToken("org-globex", "bob@example.org", "spring-news", CLAIMS.expiresOn()),
                new UnsubscribeToken("org-acme", "bob@example.org", "spring-news", CLAIMS.expiresOn().plusYears(10)),
                new UnsubscribeToken("org-acme", "bob@example.org", null, CLAIMS.expiresOn()))) {
            String payload = tokens.sign(other).split("\\.")[0];
            assertThat(outcome(tokens, payload + "." + mac)).as("%s", other).isEqualTo(TokenCheck.Outcome.FORGED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "abc", "abcdefgh.", ".abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq",
            "abcdefgh.abcdefghijklmnopqrstuvwxyzabcdefghijklmnop", "abcdefgh.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqr",
            "abcdefgh+abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq", "abcd=fgh.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq",
            "abcdefgh.abcdefghijklmnopqrstuvwxyzabcdefghijklmnopq.x", "../../etc/passwd", "abc def.ghi",
            "abcdefgh%2Eabcdefghijklmnopqrstuvwxyzabcdefghijklmnopq"})
    void malformedTokensAreMalformed(String token) {
        assertThat(outcome(new UnsubscribeTokens(List.of(CURRENT)), token)).isEqualTo(TokenCheck.Outcome.MALFORMED);
    }

    @Test
    void nullAndOverlongTokensAreMalformedWithoutDecoding() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        assertThat(outcome(tokens, null)).isEqualTo(TokenCheck.Outcome.MALFORMED);
        assertThat(outcome(tokens, "A".repeat(UnsubscribeTokens.MAX_TOKEN_LENGTH) + "." + "A".repeat(43)))
                .isEqualTo(TokenCheck.Outcome.MALFORMED);
    }

    @Test
    void aSecondSpellingOfTheSameBytesIsMalformed() {
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        String token = tokens.sign(CLAIMS);
        // the MAC's 43rd character carries 4 unused bits: another character with the same 2 used bits decodes to
        // the same bytes, but is not the spelling this class writes
        String mac = token.substring(token.indexOf('.') + 1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int last = alphabet.indexOf(mac.charAt(42));
        char sameBits = alphabet.charAt(last ^ 1);
        String respelled = token.substring(0, token.length() - 1) + sameBits;
        String payload = token.substring(0, token.indexOf('.'));
        assertThat(Base64.getUrlDecoder().decode(respelled.substring(respelled.indexOf('.') + 1)))
                .isEqualTo(Base64.getUrlDecoder().decode(mac));
        assertThat(outcome(tokens, respelled)).isEqualTo(TokenCheck.Outcome.MALFORMED);
        assertThat(payload).isNotEmpty();
    }

    @Test
    void aSignedPayloadOfAnotherShapeIsMalformed() throws Exception {
        // what a holder of the secret could sign that this class never writes: another version, trailing bytes
        UnsubscribeTokens tokens = new UnsubscribeTokens(List.of(CURRENT));
        byte[] good = Base64.getUrlDecoder().decode(tokens.sign(CLAIMS).split("\\.")[0]);
        byte[] otherVersion = good.clone();
        otherVersion[0] = 2;
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        for (byte[] payload : List.of(otherVersion, trailing)) {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(CURRENT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update("senders-unsubscribe-v1\n".getBytes(StandardCharsets.US_ASCII));
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(payload) + "."
                    + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(payload));
            assertThat(outcome(tokens, token)).isEqualTo(TokenCheck.Outcome.MALFORMED);
        }
    }

    @Test
    void secretsMustBeLongEnoughAndAreNeverShown() {
        assertThatThrownBy(() -> new UnsubscribeTokens(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UnsubscribeTokens(List.of(CURRENT, "short-secret")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secret 2 of 2")
                .hasMessageContaining("32").hasMessageNotContaining("short-secret").hasMessageNotContaining(CURRENT);
        assertThat(new UnsubscribeTokens(List.of(CURRENT, OLD)).toString()).doesNotContain(CURRENT).doesNotContain(OLD);
    }
}
