package dev.senders.host.it.security;

import dev.senders.host.it.Api;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import dev.senders.host.it.Unsubscribes;
import dev.senders.infrastructure.unsubscribe.UnsubscribeToken;
import dev.senders.infrastructure.unsubscribe.UnsubscribeTokens;
import dev.senders.sandbox.TestCredentials;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's one-click unsubscribe links under attack, on the deployed module: forged tokens (signed with another
 * secret), altered ones (another recipient, organization, list or last day under the genuine MAC, a changed
 * character, a MAC cut short), expired ones (signed by the module, past their last day) and malformed ones, each
 * posted as a mailbox provider would (problem+json: 400 {@code invalid-signature} or {@code malformed}, 410
 * {@code expired}) and opened as a browser would (an HTML page with the same status); wrong bodies and content types on
 * a genuine link (415, 400, 413). Every refusal changes no row of any table (row count and MD5), reaches no provider,
 * and the host hears no event; every answer carries the security headers. The rotation case: a link signed with the
 * retired secret (second in {@code senders.unsubscribe.secrets}) still unsubscribes. Counted in
 * {@link SecurityReport} as part 6.
 */
@ExtendWith(ArquillianExtension.class)
class UnsubscribeLinksIT {

    private static final String PART = "6 unsubscribe links";
    private static final String ATTACKER_SECRET = "an-attackers-guess-at-the-secret-000001";

    @ArquillianResource
    URL base;

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A refused token: its class of case, its name, the token, and the status and reason it must get. */
    record Hostile(String caseClass, String name, String token, int status, String reason) {
    }

    private static final UnsubscribeTokens SIGNER = new UnsubscribeTokens(List.of(TestCredentials.UNSUBSCRIBE_SECRET));
    private static final UnsubscribeTokens RETIRED = new UnsubscribeTokens(
            List.of(TestCredentials.UNSUBSCRIBE_RETIRED_SECRET));
    private static final UnsubscribeTokens ATTACKER = new UnsubscribeTokens(List.of(ATTACKER_SECRET));

    private static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    private static String payload(String token) {
        return token.substring(0, token.indexOf('.'));
    }

    private static String mac(String token) {
        return token.substring(token.indexOf('.') + 1);
    }

    /** The character at {@code i} replaced by another base64url character. */
    private static String changed(String token, int i) {
        char c = token.charAt(i);
        return token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
    }

    @TestFactory
    Stream<DynamicTest> forgedAlteredExpiredAndMalformedTokens() {
        String t = tag();
        TestUsers.User a = TestUsers.inNewOrganization();
        TestUsers.User b = TestUsers.inNewOrganization();
        String victim = "victim-" + t + "@inbox-links.net";
        String otherRecipient = "other-" + t + "@inbox-links.net";
        Unsubscribes.send(base, a.organizationId(), "news@links-a-" + t + ".com", victim, true, "list-" + t);
        Unsubscribes.send(base, b.organizationId(), "news@links-b-" + t + ".com", otherRecipient, true, null);
        String genuine = Unsubscribes.tokenSentThroughResend(victim);
        String genuineOfB = Unsubscribes.tokenSentThroughResend(otherRecipient);
        UnsubscribeToken claims = SIGNER.check(genuine, today()).token();
        assertThat(claims.organizationId()).isEqualTo(a.organizationId());
        assertThat(claims.recipient()).isEqualTo(victim);

        String forged = "forged token (signed with another secret)";
        String altered = "altered token (claims or MAC changed after signing)";
        String expired = "expired token (signed by the module, past its last day)";
        String malformed = "malformed token (shape, length, encoding)";
        String byContainer = "a NUL in the link's path (refused by Payara before the module)";
        List<Hostile> cases = new ArrayList<>(List.of(
                new Hostile(forged, "A's claims, signed by an attacker", ATTACKER.sign(claims), 400,
                        "invalid-signature"),
                new Hostile(forged, "B's organization and A's recipient, signed by an attacker", ATTACKER.sign(
                        new UnsubscribeToken(b.organizationId(), victim, null, claims.expiresOn())), 400,
                        "invalid-signature"),
                new Hostile(forged, "A's organization and another recipient, signed by an attacker", ATTACKER.sign(
                        new UnsubscribeToken(a.organizationId(), otherRecipient, null, claims.expiresOn())), 400,
                        "invalid-signature"),
                new Hostile(altered, "another recipient under the genuine MAC", payload(ATTACKER.sign(
                        new UnsubscribeToken(a.organizationId(), otherRecipient, claims.listId(), claims.expiresOn())))
                        + "." + mac(genuine), 400, "invalid-signature"),
                new Hostile(altered, "another organization under the genuine MAC", payload(ATTACKER.sign(
                        new UnsubscribeToken(b.organizationId(), victim, claims.listId(), claims.expiresOn())))
                        + "." + mac(genuine), 400, "invalid-signature"),
                new Hostile(altered, "a later last day under the genuine MAC", payload(ATTACKER.sign(
                        new UnsubscribeToken(a.organizationId(), victim, claims.listId(),
                                claims.expiresOn().plusYears(5)))) + "." + mac(genuine), 400, "invalid-signature"),
                new Hostile(altered, "no list under the genuine MAC", payload(ATTACKER.sign(
                        new UnsubscribeToken(a.organizationId(), victim, null, claims.expiresOn())))
                        + "." + mac(genuine), 400, "invalid-signature"),
                new Hostile(altered, "A's claims under B's genuine MAC", payload(genuine) + "." + mac(genuineOfB), 400,
                        "invalid-signature"),
                new Hostile(altered, "a character of the claims changed", changed(genuine, payload(genuine).length() / 2),
                        400, null),
                new Hostile(altered, "a character of the MAC changed", changed(genuine,
                        payload(genuine).length() + 20), 400, "invalid-signature"),
                new Hostile(altered, "the MAC cut short", genuine.substring(0, genuine.length() - 1), 400,
                        "malformed"),
                new Hostile(altered, "the MAC left out", payload(genuine), 400, "malformed"),
                new Hostile(altered, "a character appended", genuine + "A", 400, "malformed"),
                new Hostile(expired, "yesterday, current secret", SIGNER.sign(new UnsubscribeToken(
                        a.organizationId(), victim, claims.listId(), today().minusDays(1))), 410, "expired"),
                new Hostile(expired, "yesterday, retired secret", RETIRED.sign(new UnsubscribeToken(
                        a.organizationId(), victim, null, today().minusDays(1))), 410, "expired"),
                new Hostile(expired, "years ago", SIGNER.sign(new UnsubscribeToken(a.organizationId(), victim, null,
                        LocalDate.of(2020, 1, 1))), 410, "expired"),
                new Hostile(malformed, "not a token", "not-a-token", 400, "malformed"),
                new Hostile(malformed, "standard base64 characters", payload(genuine) + "+." + mac(genuine), 400,
                        "malformed"),
                new Hostile(malformed, "markup, percent-encoded", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400,
                        "malformed"),
                // Payara's HTTP layer (Grizzly) refuses an encoded NUL in a path itself, with an empty 400, before
                // any filter or the module runs: no body, hence no problem to check (reason null), nothing changed
                new Hostile(byContainer, "a NUL, percent-encoded", payload(genuine) + "%00." + mac(genuine), 400,
                        null),
                new Hostile(malformed, "3000 characters", "A".repeat(2956) + "." + "A".repeat(43), 400,
                        "malformed")));

        List<DynamicTest> tests = new ArrayList<>();
        for (Hostile hostile : cases) {
            tests.add(DynamicTest.dynamicTest(hostile.caseClass() + ": " + hostile.name(), () -> SecurityReport.check(
                    PART, hostile.caseClass(), () -> {
                        Calls calls = Calls.now();
                        DbSnapshot before = DbSnapshot.take();

                        Api.Reply post = Unsubscribes.post(base, hostile.token(), "application/x-www-form-urlencoded",
                                Unsubscribes.ONE_CLICK, "application/json");
                        if (hostile.caseClass().equals(byContainer)) {
                            assertThat(post.status()).as(post.toString()).isEqualTo(400);
                            assertThat(Unsubscribes.open(base, hostile.token(), "text/html").status()).isEqualTo(400);
                            assertThat(DbSnapshot.take().changedSince(before)).as("tables changed").isEmpty();
                            calls.assertNone();
                            return;
                        }
                        SecuritySuiteIT.assertProblem(post);
                        assertThat(post.status()).as(post.toString()).isEqualTo(hostile.status());
                        assertThat(post.json().getString("field")).isEqualTo("token");
                        if (hostile.reason() != null) {
                            assertThat(post.json().getString("reason")).as(post.toString()).isEqualTo(hostile.reason());
                        }
                        assertThat(post.header("Cache-Control")).isEqualTo("no-store");

                        Api.Reply page = Unsubscribes.open(base, hostile.token(), "text/html");
                        assertThat(page.status()).as(page.toString()).isEqualTo(hostile.status());
                        assertThat(page.contentType()).startsWith("text/html");
                        assertThat(page.body()).doesNotContain("<form").doesNotContain(victim)
                                .doesNotContain("<script");
                        SecuritySuiteIT.assertSecurityHeaders(page);

                        assertThat(DbSnapshot.take().changedSince(before)).as("tables changed").isEmpty();
                        calls.assertNone();
                        assertThat(Unsubscribes.heard(base, a.organizationId())).isEmpty();
                        assertThat(Unsubscribes.heard(base, b.organizationId())).isEmpty();
                    })));
        }
        return tests.stream();
    }

    /** A body or content type on a genuine link, and the status, field and reason it must get. */
    record WrongBody(String name, String contentType, String body, int status, String field, String reason) {
    }

    @TestFactory
    Stream<DynamicTest> wrongBodiesOnAGenuineLink() {
        String t = tag();
        TestUsers.User a = TestUsers.inNewOrganization();
        String recipient = "body-" + t + "@inbox-links.net";
        Unsubscribes.send(base, a.organizationId(), "news@links-body-" + t + ".com", recipient, true, null);
        String genuine = Unsubscribes.tokenSentThroughResend(recipient);
        List<WrongBody> cases = List.of(
                new WrongBody("no content type", null, Unsubscribes.ONE_CLICK, 415, "Content-Type", "unsupported"),
                new WrongBody("JSON", "application/json", "{\"List-Unsubscribe\":\"One-Click\"}", 415,
                        "Content-Type", "unsupported"),
                new WrongBody("text/plain", "text/plain", Unsubscribes.ONE_CLICK, 415, "Content-Type", "unsupported"),
                new WrongBody("an empty form", "application/x-www-form-urlencoded", "", 400, "List-Unsubscribe",
                        "missing"),
                new WrongBody("another value", "application/x-www-form-urlencoded", "List-Unsubscribe=Yes", 400,
                        "List-Unsubscribe", "not-one-click"),
                new WrongBody("bad percent-encoding", "application/x-www-form-urlencoded", "List-Unsubscribe=%ZZ",
                        400, "body", "malformed"),
                new WrongBody("multipart without a boundary", "multipart/form-data", Unsubscribes.ONE_CLICK, 400,
                        "body", "malformed"),
                new WrongBody("a 100 KB form", "application/x-www-form-urlencoded",
                        Unsubscribes.ONE_CLICK + "&x=" + "a".repeat(100_000), 413, null, null));
        List<DynamicTest> tests = new ArrayList<>();
        for (WrongBody wrong : cases) {
            tests.add(DynamicTest.dynamicTest("wrong body: " + wrong.name(), () -> SecurityReport.check(PART,
                    "wrong body or content type on a genuine link", () -> {
                        DbSnapshot before = DbSnapshot.take();
                        Api.Reply reply = Unsubscribes.post(base, genuine, wrong.contentType(), wrong.body(),
                                "application/json");
                        SecuritySuiteIT.assertProblem(reply);
                        assertThat(reply.status()).as(reply.toString()).isEqualTo(wrong.status());
                        if (wrong.field() != null) {
                            assertThat(reply.json().getString("field")).isEqualTo(wrong.field());
                            assertThat(reply.json().getString("reason")).isEqualTo(wrong.reason());
                        }
                        assertThat(DbSnapshot.take().changedSince(before)).as("tables changed").isEmpty();
                        assertThat(Unsubscribes.suppressions(a.organizationId(), recipient)).isEmpty();
                        assertThat(Unsubscribes.heard(base, a.organizationId())).isEmpty();
                    })));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> rotationAndScanners() {
        String t = tag();
        TestUsers.User a = TestUsers.inNewOrganization();
        String recipient = "rotated-" + t + "@inbox-links.net";
        return Stream.of(
                DynamicTest.dynamicTest("a GET of a genuine link by a scanner changes nothing", () -> SecurityReport
                        .check(PART, "GET of a genuine link (a mail scanner): nothing changes", () -> {
                            String scanned = "scanned-" + t + "@inbox-links.net";
                            Unsubscribes.send(base, a.organizationId(), "news@links-scan-" + t + ".com", scanned,
                                    true, null);
                            String token = Unsubscribes.tokenSentThroughResend(scanned);
                            DbSnapshot before = DbSnapshot.awaitQuiet();
                            for (String accept : List.of("*/*", "text/html", "application/json")) {
                                Api.Reply reply = Unsubscribes.open(base, token, accept);
                                assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                                SecuritySuiteIT.assertSecurityHeaders(reply);
                            }
                            assertThat(DbSnapshot.take().changedSince(before)).as("tables changed").isEmpty();
                            assertThat(Unsubscribes.heard(base, a.organizationId())).isEmpty();
                        })),
                DynamicTest.dynamicTest("a link signed with the retired secret still unsubscribes", () -> SecurityReport
                        .check(PART, "rotation: a link signed with the retired secret still works", () -> {
                            String token = RETIRED.sign(new UnsubscribeToken(a.organizationId(), recipient, null,
                                    today().plusDays(10)));
                            Api.Reply reply = Unsubscribes.oneClick(base, token);
                            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                            assertThat(Unsubscribes.suppressions(a.organizationId(), recipient))
                                    .containsExactly("unsubscribed|null");
                        })));
    }

    /** The provider calls so far, to check that a refusal made none. */
    private record Calls(int ses, int resend) {
        static Calls now() {
            return new Calls(TestEnvironment.ses().calls().size(), TestEnvironment.resend().requestCount());
        }

        void assertNone() {
            assertThat(TestEnvironment.ses().calls().size()).as("SES calls").isEqualTo(ses);
            assertThat(TestEnvironment.resend().requestCount()).as("Resend requests").isEqualTo(resend);
        }
    }
}
