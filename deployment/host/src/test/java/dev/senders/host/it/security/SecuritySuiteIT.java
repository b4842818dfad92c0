package dev.senders.host.it.security;

import dev.senders.host.it.Api;
import dev.senders.host.it.Campaigns;
import dev.senders.host.it.Parallel;
import dev.senders.host.it.SnsFixtures;
import dev.senders.sandbox.sns.SnsMessage;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import dev.senders.sandbox.ResendStub;
import dev.senders.sandbox.sns.SnsCertificateHost;
import dev.senders.sandbox.sns.SnsPki;
import dev.senders.sandbox.ResendWebhooks;
import dev.senders.sandbox.TestCredentials;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.senders.host.it.Campaigns.query;
import static dev.senders.host.it.Campaigns.sql;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, parts 1 to 4, and issue 16's part 6, against the deployed reference host (the module inside) on the
 * Arquillian-started Payara Micro, its real PostgreSQL and the stub SES/Resend/SNS: tenant isolation, races with real
 * parallel HTTP requests, hostile input, webhook abuse at volume, and HTTP hardening (security headers, no session
 * for Basic calls, the session cookie's attributes over http and https). Each part is a table of named cases run as dynamic tests; each case
 * asserts on what the stubs and the database saw, and is counted in {@link SecurityReport}. Part 5 (faults) is
 * {@link FaultInjectionIT}.
 */
@ExtendWith(ArquillianExtension.class)
class SecuritySuiteIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String WEBHOOK = "api/webhooks/ses-events";
    private static final String RESEND_WEBHOOK = "api/webhooks/resend-events";

    @ArquillianResource
    URL base;

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    // ================================================================== 1. tenant isolation

    /** One attempt of organization B on organization A's data: the request and what must come back. */
    record Attempt(String name, Function<Api, Api.Reply> request, int status, java.util.function.Consumer<Api.Reply> more) {
    }

    @TestFactory
    Stream<DynamicTest> tenantIsolation() throws Exception {
        String t = tag();
        TestUsers.User a = TestUsers.inNewOrganization();
        TestUsers.User b = TestUsers.inNewOrganization();
        Api asA = Api.as(base, a);
        Api asB = Api.as(base, b);
        String domainA = "walls-" + t + ".com";
        String parentA = "parent-" + t + ".com";
        long verifiedA = Campaigns.verifiedDefault(asA, "news@" + domainA);
        long subA = Campaigns.verifiedDefault(asA, "news@mail." + parentA);
        asA.post("api/senders/" + verifiedA + "/set-default", "");
        long pendingA = Campaigns.senderId(asA, "hello@pending-" + t + ".com");
        long suppressionA = suppression(a.organizationId(), "complainer-" + t + "@inbox-" + t + ".net");
        long campaignA = Campaigns.create(asA, "news@" + domainA, "Private", List.of("x-" + t + "@inbox.net"))
                .getJsonNumber("id").longValue();
        // A has sent (through SES), so that the sending account would have A's figures to leak
        Campaigns.startAndAwait(asA, Campaigns.create(asA, "news@" + domainA, "Sent",
                List.of("acct-" + t + "@inbox-walls.net")));
        String orgA = a.organizationId();
        DbSnapshot.awaitQuiet();

        List<Attempt> attempts = new ArrayList<>();
        for (long id : List.of(verifiedA, pendingA)) {
            String which = id == verifiedA ? "verified default" : "pending";
            attempts.add(new Attempt("read A's " + which + " sender", api -> api.get("api/senders/" + id), 404, null));
            attempts.add(new Attempt("delete A's " + which + " sender", api -> api.delete("api/senders/" + id), 404,
                    null));
            attempts.add(new Attempt("verify A's " + which + " sender",
                    api -> api.post("api/senders/" + id + "/verify", ""), 404, null));
            attempts.add(new Attempt("set-default A's " + which + " sender",
                    api -> api.post("api/senders/" + id + "/set-default", ""), 404, null));
            attempts.add(new Attempt("restore A's " + which + " sender",
                    api -> api.post("api/senders/" + id + "/restore", ""), 404, null));
            attempts.add(new Attempt("restart-verification of A's " + which + " sender",
                    api -> api.post("api/senders/" + id + "/restart-verification", ""), 404, null));
            attempts.add(new Attempt("mail-from (default) on A's " + which + " sender",
                    api -> api.post("api/senders/" + id + "/mail-from", ""), 404, null));
            attempts.add(new Attempt("mail-from (body) on A's " + which + " sender",
                    api -> api.post("api/senders/" + id + "/mail-from", "{\"mailFromDomain\":\"bounce." + domainA
                            + "\"}"), 404, null));
            attempts.add(new Attempt("read A's " + which + " sender naming A in query and header",
                    api -> api.send(api.request("api/senders/" + id + "?organizationId=" + orgA)
                            .header("X-Organization-Id", orgA).header("X-Tenant", orgA).GET()), 404, null));
        }
        java.util.function.Consumer<Api.Reply> noneOfA = r -> {
            assertThat(r.json().getJsonNumber("total").longValue()).isZero();
            assertThat(r.body()).doesNotContain(domainA).doesNotContain(parentA);
        };
        attempts.add(new Attempt("list senders", api -> api.get("api/senders"), 200, noneOfA));
        attempts.add(new Attempt("list senders, A's id in the query", api -> api.get("api/senders?organizationId="
                + orgA + "&organization_id=" + orgA + "&org=" + orgA), 200, noneOfA));
        attempts.add(new Attempt("list senders, A's id in headers", api -> api.send(api.request("api/senders")
                .header("X-Organization-Id", orgA).header("X-Org-Id", orgA).header("Organization", orgA).GET()), 200,
                noneOfA));
        attempts.add(new Attempt("add a sender with A's id in the body", api -> api.post("api/senders",
                "{\"emailAddress\":\"x@claim-" + t + ".com\",\"organizationId\":\"" + orgA + "\"}"), 400,
                r -> assertThat(r.json().getString("field")).isEqualTo("organizationId")));
        attempts.add(new Attempt("add a sender with A's id in query and header", api -> api.send(
                api.request("api/senders?organizationId=" + orgA).header("X-Organization-Id", orgA)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"emailAddress\":\"news@" + domainA + "\"}"))),
                0, null)); // checked below: B's own, unverified sender
        java.util.function.Consumer<Api.Reply> noSuppressionOfA = r -> assertThat(r.body())
                .doesNotContain("complainer-" + t);
        attempts.add(new Attempt("list suppressions", api -> api.get("api/suppressions?q=complainer-" + t), 200,
                noSuppressionOfA));
        attempts.add(new Attempt("list suppressions, A's id in query and header", api -> api.send(
                api.request("api/suppressions?organizationId=" + orgA).header("X-Organization-Id", orgA).GET()), 200,
                noSuppressionOfA));
        attempts.add(new Attempt("delete A's suppression", api -> api.delete("api/suppressions/" + suppressionA),
                404, null));
        attempts.add(new Attempt("read A's audit trail (admin endpoint)",
                api -> api.get("api/admin/audit?organizationId=" + orgA), 403, null));
        attempts.add(new Attempt("start a verification run (admin endpoint)",
                api -> api.post("api/admin/verification-runs", ""), 403, null));
        attempts.add(new Attempt("read the reputation, A's id in query and header", api -> api.send(
                api.request("api/senders/reputation?organizationId=" + orgA).header("X-Organization-Id", orgA).GET()),
                200, r -> {
                    assertThat(r.json().getJsonArray("events")).isEmpty();
                    assertThat(r.body()).doesNotContain("complainer-" + t).doesNotContain(orgA);
                }));
        attempts.add(new Attempt("resume A's sending (admin endpoint)", api -> api.post("api/admin/organizations/"
                + orgA + "/resume", "{\"reason\":\"mine now\"}"), 403, null));
        attempts.add(new Attempt("evaluate A's reputation (admin endpoint)", api -> api.post(
                "api/admin/organizations/" + orgA + "/evaluate", ""), 403, null));
        attempts.add(new Attempt("read A's reputation (admin endpoint)", api -> api.get("api/admin/organizations/"
                + orgA + "/reputation"), 403, null));
        attempts.add(new Attempt("read A's campaign", api -> api.get("host-api/campaigns/" + campaignA), 404, null));
        attempts.add(new Attempt("start A's campaign", api -> api.post("host-api/campaigns/" + campaignA + "/start",
                "{}"), 404, null));
        attempts.add(new Attempt("list campaigns", api -> api.get("host-api/campaigns"), 200,
                r -> assertThat(r.json().getJsonArray("campaigns")).isEmpty()));

        List<DynamicTest> tests = new ArrayList<>();
        for (Attempt attempt : attempts) {
            tests.add(DynamicTest.dynamicTest("B vs A: " + attempt.name(), () -> SecurityReport.check(
                    "1 tenant isolation", "B on A's endpoints (404 or documented answer, DB unchanged)", () -> {
                        int sesCalls = TestEnvironment.ses().calls().size();
                        DbSnapshot before = DbSnapshot.take();
                        Api.Reply reply = attempt.request().apply(asB);
                        if (attempt.status() == 0) {
                            // a body naming A's domain, with A's id in query and header: B's own pending sender
                            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
                            JsonObject sender = reply.json().getJsonObject("sender");
                            assertThat(sender.getString("verificationStatus")).isEqualTo("pending");
                            assertThat(query("select organization_id from senders where id = "
                                    + sender.getJsonNumber("id").longValue(), rs -> rs.getString(1)))
                                    .containsExactly(b.organizationId());
                            return;
                        }
                        assertThat(reply.status()).as(reply.toString()).isEqualTo(attempt.status());
                        if (reply.status() >= 400) {
                            assertProblem(reply);
                        }
                        if (attempt.more() != null) {
                            attempt.more().accept(reply);
                        }
                        assertThat(DbSnapshot.take().changedSince(before)).as("tables changed").isEmpty();
                        assertThat(TestEnvironment.ses().calls().subList(sesCalls, TestEnvironment.ses().calls().size()))
                                .as("SES calls").noneMatch(c -> c.params().values().stream()
                                        .anyMatch(v -> v.contains(domainA) || v.contains(parentA)));
                    })));
        }

        // issue 16: the sending account shows B its own figures only, and none of the account-wide ones
        tests.add(DynamicTest.dynamicTest("B reads the sending account", () -> SecurityReport.check(
                "1 tenant isolation", "the sending account: B's own sends and limits, no account-wide figure", () -> {
                    assertThat(query("select count(*) from senders_sends where organization_id = '" + orgA
                            + "' and status = 'sent'", rs -> rs.getLong(1)).get(0)).as("A's sends").isPositive();
                    Api.Reply reply = asB.send(asB.request("api/senders/account?organizationId=" + orgA)
                            .header("X-Organization-Id", orgA).GET());
                    assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
                    assertThat(reply.body()).doesNotContain("accountWide").doesNotContain("max24HourSend")
                            .doesNotContain("maxSendRate").doesNotContain("sentLast24Hours");
                    JsonObject sent = reply.json().getJsonObject("usage").getJsonObject("sent");
                    assertThat(sent.getJsonNumber("ses").longValue() + sent.getJsonNumber("resend").longValue())
                            .as("B sent nothing; A did").isZero();
                    assertThat(reply.json().getJsonObject("limits").getJsonNumber("organizationShare").doubleValue())
                            .isPositive();
                })));

        // claiming A's verified domain, a subdomain of it, or the parent of A's verified subdomain
        for (String claim : List.of("ceo@" + domainA, "ceo@shop." + domainA, "ceo@" + parentA)) {
            tests.add(DynamicTest.dynamicTest("B claims " + claim, () -> SecurityReport.check("1 tenant isolation",
                    "B claims A's verified domain, its subdomain, its parent", () -> {
                        String rowsOfA = rowsOf(orgA);
                        Api.Reply added = asB.post("api/senders", "{\"emailAddress\":\"" + claim + "\"}");
                        assertThat(added.status()).as(added.toString()).isEqualTo(201);
                        long id = added.json().getJsonObject("sender").getJsonNumber("id").longValue();
                        assertThat(added.json().getJsonObject("sender").getString("verificationStatus"))
                                .isEqualTo("pending");
                        assertThat(added.json().getJsonObject("sender").getBoolean("ownershipRequired")).isTrue();
                        Api.Reply verified = asB.post("api/senders/" + id + "/verify", "");
                        assertThat(verified.status()).as(verified.toString()).isEqualTo(200);
                        assertThat(verified.json().getJsonObject("sender").getString("verificationStatus"))
                                .isNotEqualTo("verified");
                        assertThat(verified.json().getJsonObject("verificationDetails").getBoolean("isFullyVerified"))
                                .isFalse();
                        assertThat(asB.post("api/senders/" + id + "/set-default", "").status()).isEqualTo(400);
                        assertThat(query("select count(*) from senders where organization_id = '"
                                + b.organizationId() + "' and verification_status = 'verified'",
                                rs -> rs.getLong(1))).containsExactly(0L);
                        assertThat(rowsOf(orgA)).as("A's senders").isEqualTo(rowsOfA);
                    })));
        }

        // a From on A's domain in B's campaign: B has its own verified default, yet nothing goes through SES as A
        for (String from : List.of("news@" + domainA, "billing@mail." + parentA)) {
            tests.add(DynamicTest.dynamicTest("B's campaign from " + from, () -> SecurityReport.check(
                    "1 tenant isolation", "From on A's domain in B's campaign never goes through SES", () -> {
                        TestUsers.User b2 = TestUsers.inNewOrganization();
                        Api asB2 = Api.as(base, b2);
                        Campaigns.verifiedDefault(asB2, "news@own-" + tag() + ".com");
                        List<String> to = List.of("r1-" + tag() + "@inbox-walls.net", "r2-" + tag() + "@inbox-walls.net");
                        long id = Campaigns.startAndAwait(asB2, Campaigns.create(asB2, from, "Hi", to));
                        List<Campaigns.Item> items = Campaigns.items(id);
                        assertThat(items).hasSize(2).allSatisfy(i -> {
                            assertThat(i.status()).isEqualTo("sent");
                            assertThat(i.providerUsed()).isEqualTo("resend");
                        });
                        assertThat(Campaigns.sesMessagesTo(items)).as("at the SES stub").isEmpty();
                        assertThat(TestEnvironment.ses().sentMessages()).noneMatch(m ->
                                b2.organizationId().equals(m.tags().get("organization")));
                        List<ResendStub.SentEmail> emails = Campaigns.resendEmailsOf(items);
                        assertThat(emails).hasSize(2).allSatisfy(e -> {
                            assertThat(e.from()).doesNotContain(domainA).doesNotContain(parentA);
                            assertThat(e.replyTo()).containsExactly(from);
                        });
                    })));
        }
        return tests.stream();
    }

    private static long suppression(String organizationId, String email) {
        return query("insert into senders_suppressions (organization_id, email, type, reason,"
                + " source_organization_id) values ('" + organizationId + "', '" + email + "', 'complaint',"
                + " 'Complaint', '" + organizationId + "') returning id", rs -> rs.getLong(1)).get(0);
    }

    private static String rowsOf(String organizationId) {
        return query("select coalesce(md5(string_agg(s::text, '|' order by s.id)), '') from senders s"
                + " where organization_id = '" + organizationId + "'", rs -> rs.getString(1)).get(0);
    }

    // ================================================================== 2. races

    @TestFactory
    Stream<DynamicTest> races() {
        return Stream.of(
                DynamicTest.dynamicTest("50 parallel adds leave at most 5 pending", () -> SecurityReport.check(
                        "2 races", "50 parallel adds: at most 5 pending", this::fiftyParallelAdds)),
                DynamicTest.dynamicTest("20 parallel set-defaults leave exactly one default", () ->
                        SecurityReport.check("2 races", "20 parallel set-defaults: exactly one default",
                                this::twentyParallelSetDefaults)),
                DynamicTest.dynamicTest("10 parallel verifies make one SES call per cooldown", () ->
                        SecurityReport.check("2 races", "10 parallel verifies: one SES call per cooldown (x2 cooldowns)",
                                this::tenParallelVerifies)),
                DynamicTest.dynamicTest("two spellings of one address in parallel, 5 times", () -> {
                    for (int i = 0; i < 5; i++) {
                        SecurityReport.check("2 races", "NEWS@, news@, News@, nEwS@ added in parallel: one sender, three 409s",
                                this::twoSpellingsInParallel);
                    }
                }),
                DynamicTest.dynamicTest("delete racing set-default, 8 times", () -> {
                    for (int i = 0; i < 8; i++) {
                        SecurityReport.check("2 races", "delete racing set-default (repeated)",
                                this::deleteRacingSetDefault);
                    }
                }));
    }

    private void fiftyParallelAdds() throws Exception {
        TestUsers.User user = TestUsers.inNewOrganization();
        Api api = Api.as(base, user);
        List<Callable<Integer>> adds = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String email = "p" + i + "@race-" + tag() + ".com";
            adds.add(() -> api.post("api/senders", "{\"emailAddress\":\"" + email + "\"}").status());
        }
        List<Integer> statuses = Parallel.all(adds);
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(45);
        assertThat(query("select count(*) from senders where organization_id = '" + user.organizationId()
                + "' and verification_status = 'pending'", rs -> rs.getLong(1))).containsExactly(5L);
        Api.Reply sixth = api.post("api/senders", "{\"emailAddress\":\"six@race-" + tag() + ".com\"}");
        assertThat(sixth.status()).isEqualTo(409);
        assertThat(sixth.json().getString("detail")).contains("5");
    }

    /** Issue 16: the local part's case does not make another sender, also when both spellings arrive at once. */
    private void twoSpellingsInParallel() throws Exception {
        TestUsers.User user = TestUsers.inNewOrganization();
        Api api = Api.as(base, user);
        String domain = "spelling-" + tag() + ".com";
        List<String> spellings = List.of("NEWS@" + domain, "news@" + domain, "News@" + domain, "nEwS@" + domain);
        List<Callable<Api.Reply>> adds = new ArrayList<>();
        for (String spelling : spellings) {
            adds.add(() -> api.post("api/senders", address(spelling)));
        }
        List<Api.Reply> replies = Parallel.all(adds);
        assertThat(replies).filteredOn(r -> r.status() == 201).hasSize(1);
        assertThat(replies).filteredOn(r -> r.status() != 201).hasSize(spellings.size() - 1).allSatisfy(r -> {
            assertThat(r.status()).as(r.toString()).isEqualTo(409);
            assertProblem(r);
            assertThat(r.json().getString("field")).isEqualTo("emailAddress");
            assertThat(r.json().getString("reason")).isEqualTo("sender-exists");
        });
        String first = replies.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json()
                .getJsonObject("sender").getString("emailAddress");
        assertThat(spellings).as("kept as typed").contains(first);
        assertThat(query("select email_address from senders where organization_id = '" + user.organizationId() + "'",
                rs -> rs.getString(1))).containsExactly(first);
    }

    private void twentyParallelSetDefaults() throws Exception {
        TestUsers.User user = TestUsers.inNewOrganization();
        Api api = Api.as(base, user);
        String domain = "defaults-" + tag() + ".com";
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(Campaigns.senderId(api, "s" + i + "@" + domain));
        }
        TestEnvironment.ses().verifyDomain(domain);
        assertThat(api.post("api/senders/" + ids.get(0) + "/verify", "").status()).isEqualTo(200);
        List<Callable<Integer>> sets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            long id = ids.get(i % ids.size());
            sets.add(() -> api.post("api/senders/" + id + "/set-default", "").status());
        }
        assertThat(Parallel.all(sets)).containsOnly(200);
        assertThat(query("select count(*) from senders where organization_id = '" + user.organizationId()
                + "' and is_default", rs -> rs.getLong(1))).containsExactly(1L);
    }

    private void tenParallelVerifies() throws Exception {
        Api api = Api.as(base, TestUsers.inNewOrganization());
        String domain = "verifies-" + tag() + ".com";
        long id = Campaigns.senderId(api, "news@" + domain);
        for (int cooldown = 0; cooldown < 2; cooldown++) {
            int before = sesCallsFor("GetIdentityVerificationAttributes", domain);
            List<Integer> statuses = Parallel.run(10, () -> api.post("api/senders/" + id + "/verify", "").status());
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 429).hasSize(9);
            assertThat(sesCallsFor("GetIdentityVerificationAttributes", domain) - before)
                    .as("SES status calls in cooldown " + cooldown).isEqualTo(1);
            // the cooldown ends (as 30 s later)
            sql("update senders set verify_requested_at = null where id = " + id);
        }
        assertThat(sesCallsFor("GetIdentityDkimAttributes", domain)).isEqualTo(2);
    }

    private static int sesCallsFor(String action, String domain) {
        return (int) TestEnvironment.ses().calls(action).stream()
                .filter(c -> c.params().containsValue(domain)).count();
    }

    private void deleteRacingSetDefault() throws Exception {
        TestUsers.User user = TestUsers.inNewOrganization();
        Api api = Api.as(base, user);
        long other = Campaigns.verifiedDefault(api, "old@race-default-" + tag() + ".com");
        String domain = "race-default-" + tag() + ".com";
        long contested = Campaigns.senderId(api, "new@" + domain);
        TestEnvironment.ses().verifyDomain(domain);
        assertThat(api.post("api/senders/" + contested + "/verify", "").status()).isEqualTo(200);

        List<Integer> statuses = Parallel.all(List.of(
                () -> api.delete("api/senders/" + contested).status(),
                () -> api.post("api/senders/" + contested + "/set-default", "").status()));
        assertThat(statuses.get(0)).as("delete").isIn(204);
        // set-default after the delete finds a deleted sender (409: restore it first)
        assertThat(statuses.get(1)).as("set-default").isIn(200, 409);

        List<Long> deleted = query("select count(*) from senders where id = " + contested
                + " and deleted_at is not null", rs -> rs.getLong(1));
        List<Long> defaults = query("select id from senders where organization_id = '" + user.organizationId()
                + "' and is_default", rs -> rs.getLong(1));
        assertThat(deleted).as("deleted (restorable)").containsExactly(1L);
        assertThat(defaults).as("no default points at the deleted sender").doesNotContain(contested)
                .hasSizeLessThanOrEqualTo(1);
        if (statuses.get(1) == 409) {
            assertThat(defaults).as("the old default stays when set-default lost").containsExactly(other);
        }
        // the database's own invariants, across every organization
        assertThat(query("select count(*) from (select organization_id from senders where is_default"
                + " group by organization_id having count(*) > 1) x", rs -> rs.getLong(1))).containsExactly(0L);
        assertThat(query("select count(*) from senders where is_default and verification_status <> 'verified'",
                rs -> rs.getLong(1))).containsExactly(0L);
        assertThat(api.get("api/senders").json().getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(s -> s.getBoolean("isDefault")).count()).isLessThanOrEqualTo(1);
    }

    // ================================================================== 3. hostile input

    /**
     * A hostile request: what is sent, and the status, field and (where the answer must name it) reason of the problem
     * that must come back.
     */
    record Hostile(String caseClass, String name, String method, String path, String contentType,
                   Supplier<HttpRequest.BodyPublisher> body, int status, String field, String reason) {
        Hostile(String caseClass, String name, String method, String path, String contentType,
                Supplier<HttpRequest.BodyPublisher> body, int status, String field) {
            this(caseClass, name, method, path, contentType, body, status, field, null);
        }

        /** The same case, whose problem must also carry this reason. */
        Hostile because(String expectedReason) {
            return new Hostile(caseClass, name, method, path, contentType, body, status, field, expectedReason);
        }
    }

    private static Hostile json(String caseClass, String name, String path, String body, int status, String field) {
        return new Hostile(caseClass, name, "POST", path, "application/json",
                () -> HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), status, field);
    }

    private static Hostile raw(String caseClass, String name, String method, String path, String contentType,
                               String body, int status) {
        return new Hostile(caseClass, name, method, path, contentType, body == null
                ? HttpRequest.BodyPublishers::noBody
                : () -> HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8), status, null);
    }

    private static String address(String value) {
        return Json.createObjectBuilder().add("emailAddress", value).build().toString();
    }

    private static String campaign(Map<String, Object> overrides) {
        var b = Json.createObjectBuilder().add("name", "Hostile").add("senderEmail", "news@hostile-shop.com")
                .add("subject", "Hello").add("html", "<p>Hi</p>").add("recipients",
                        Json.createArrayBuilder().add("a@inbox-hostile.net"));
        overrides.forEach((k, v) -> {
            if (v instanceof String s) {
                b.add(k, s);
            } else {
                b.add(k, (jakarta.json.JsonValue) v);
            }
        });
        return b.build().toString();
    }

    static List<Hostile> hostileCases(long verifiedId, String verifiedDomain) {
        String senders = "api/senders";
        String mailFrom = "api/senders/" + verifiedId + "/mail-from";
        String campaigns = "host-api/campaigns";
        String homograph = "IDN homographs and mixed scripts";
        String ip = "IP literals";
        String crlf = "CR/LF and control characters in addresses, names, subjects";
        String tooLong = "over-long local parts, labels, fields";
        String invalid = "invalid, reserved and non-public addresses";
        String types = "JSON type confusion and malformed bodies";
        String unknown = "unknown fields";
        String huge = "huge bodies (413 before parsing)";
        String contentType = "wrong content types";
        String params = "hostile query parameters and path ids";
        String methods = "methods a resource does not take";
        String big = "{\"emailAddress\":\"" + "a".repeat(200_000) + "@shop.com\"}";
        List<Hostile> c = new ArrayList<>();
        // IDN homographs and mixed scripts
        c.add(json(homograph, "Cyrillic a in paypal", senders, address("user@p\u0430ypal.com"), 400, "emailAddress")
                .because("mixed-script"));
        c.add(json(homograph, "Greek omicron in google", senders, address("user@g\u03bfogle.com"), 400, "emailAddress")
                .because("mixed-script"));
        c.add(json(homograph, "Cyrillic e in a label", senders, address("user@shop-\u0435xample.com"), 400, "emailAddress")
                .because("mixed-script"));
        c.add(json(homograph, "mixed-script A-label (xn--pypal-4ve)", senders, address("user@xn--pypal-4ve.com"), 400,
                "emailAddress").because("mixed-script"));
        // issue 16: named for what they are, never "not a valid domain name"
        c.add(json(homograph, "Cyrillic palochka (newer than IDNA 2003) in paypal", senders,
                address("user@p\u0430yp\u0430\u04cf.com"), 400, "emailAddress").because("mixed-script"));
        c.add(json(homograph, "full-width p with a Cyrillic a", senders, address("user@\uff50\u0430ypal.com"), 400,
                "emailAddress").because("mixed-script"));
        c.add(json(homograph, "whole-script Cyrillic look-alike (apple)", senders,
                address("user@\u0430\u0440\u0440\u04cf\u0435.com"), 400, "emailAddress").because("homograph"));
        c.add(json(homograph, "whole-script Cyrillic look-alike as A-label (xn--80ak6aa92e)", senders,
                address("user@xn--80ak6aa92e.com"), 400, "emailAddress").because("homograph"));
        c.add(json(homograph, "whole-script Cyrillic look-alike in capitals", senders,
                address("user@\u0421\u041e\u0421\u0410.com"), 400, "emailAddress").because("homograph"));
        c.add(json(homograph, "whole-script Greek look-alike", senders, address("user@\u03bf\u03bf.com"), 400,
                "emailAddress").because("homograph"));
        c.add(json(homograph, "whole-script Cyrillic MAIL FROM label", mailFrom,
                "{\"mailFromDomain\":\"\u0441\u043e\u0441\u0430." + verifiedDomain + "\"}", 400, "mailFromDomain")
                .because("homograph"));
        c.add(json(homograph, "non-ASCII local part", senders, address("us\u00e9r@shop.com"), 400, "emailAddress"));
        c.add(json(homograph, "full-width at sign", senders, address("user\uff20shop.com"), 400, "emailAddress"));
        c.add(json(homograph, "mixed-script MAIL FROM label", mailFrom,
                "{\"mailFromDomain\":\"m\u0430il." + verifiedDomain + "\"}", 400, "mailFromDomain")
                .because("mixed-script"));
        // IP literals
        c.add(json(ip, "IPv4 literal", senders, address("user@[192.168.1.1]"), 400, "emailAddress"));
        c.add(json(ip, "IPv6 literal", senders, address("user@[IPv6:::1]"), 400, "emailAddress"));
        c.add(json(ip, "bare IPv4 domain", senders, address("user@10.0.0.1"), 400, "emailAddress"));
        c.add(json(ip, "loopback", senders, address("user@127.0.0.1"), 400, "emailAddress"));
        c.add(json(ip, "MAIL FROM as an IP", mailFrom, "{\"mailFromDomain\":\"10.0.0.1\"}", 400, "mailFromDomain"));
        c.add(json(ip, "campaign sender as an IP literal", campaigns, campaign(Map.of("senderEmail", "news@[10.0.0.1]")),
                400, null));
        // CR/LF
        c.add(json(crlf, "header injection in an address", senders, address("user@shop.com\r\nBcc: victim@shop.com"),
                400, "emailAddress").because("line-break"));
        c.add(json(crlf, "LF in the local part", senders, address("user\n@shop.com"), 400, "emailAddress")
                .because("line-break"));
        // issue 16: a line break written out as text is a line break, not "not a group"
        c.add(json(crlf, "percent-encoded CR/LF in an address", senders,
                address("user@shop.com%0d%0aBcc: victim@shop.com"), 400, "emailAddress").because("line-break"));
        c.add(json(crlf, "\\r\\n typed as text in an address", senders,
                address("user@shop.com\\r\\nBcc: victim@shop.com"), 400, "emailAddress").because("line-break"));
        c.add(json(crlf, "HTML-escaped CR/LF in an address", senders,
                address("user@shop.com&#13;&#10;Bcc: victim@shop.com"), 400, "emailAddress").because("line-break"));
        c.add(json(crlf, "percent-encoded LF in the local part", senders, address("user%0a@shop.com"), 400,
                "emailAddress").because("line-break"));
        c.add(json(crlf, "percent-encoded CR/LF in a MAIL FROM domain", mailFrom, "{\"mailFromDomain\":\"mail."
                + verifiedDomain + "%0d%0aX: y\"}", 400, "mailFromDomain").because("line-break"));
        c.add(json(crlf, "NUL after the address", senders, address("user@shop.com\u0000"), 400, "emailAddress"));
        c.add(json(crlf, "CR/LF in a MAIL FROM domain", mailFrom, "{\"mailFromDomain\":\"mail." + verifiedDomain
                + "\\r\\nX: y\"}", 400, "mailFromDomain").because("line-break"));
        c.add(json(crlf, "CR/LF in a campaign subject", campaigns,
                campaign(Map.of("subject", "Hello\r\nBcc: victim@inbox.net")), 400, null));
        c.add(json(crlf, "LF in a campaign subject", campaigns, campaign(Map.of("subject", "Hello\nX-Spam: no")), 400,
                null));
        c.add(json(crlf, "CR/LF in a campaign name", campaigns, campaign(Map.of("name", "Name\r\nInjected")), 400, null));
        c.add(json(crlf, "CR/LF in a sender name", campaigns,
                campaign(Map.of("senderName", "Boss\r\nBcc: victim@inbox.net")), 400, null));
        c.add(json(crlf, "CR/LF in a campaign sender address", campaigns,
                campaign(Map.of("senderEmail", "news@shop.com\r\nBcc: v@inbox.net")), 400, null));
        c.add(json(crlf, "CR/LF in a recipient", campaigns, campaign(Map.of("recipients",
                Json.createArrayBuilder().add("a@inbox.net\r\nBcc: v@inbox.net").build())), 400, null));
        // issue 16: RFC 5321 has no trailing dot
        String trailingDot = "trailing dots in domains";
        c.add(json(trailingDot, "address with a trailing dot", senders, address("user@shop.com."), 400, "emailAddress")
                .because("trailing-dot"));
        c.add(json(trailingDot, "address on a subdomain with a trailing dot", senders,
                address("user@mail.shop.com."), 400, "emailAddress").because("trailing-dot"));
        c.add(json(trailingDot, "address with an ideographic trailing dot", senders, address("user@shop\u3002com\u3002"),
                400, "emailAddress").because("trailing-dot"));
        c.add(json(trailingDot, "MAIL FROM with a trailing dot", mailFrom, "{\"mailFromDomain\":\"mail."
                + verifiedDomain + ".\"}", 400, "mailFromDomain").because("trailing-dot"));
        // issue 16: the verified sender is news@<domain>; another case of its local part is the same sender
        String otherCase = "the same sender address in another case (409)";
        c.add(json(otherCase, "local part in capitals", senders, address("NEWS@" + verifiedDomain), 409,
                "emailAddress").because("sender-exists"));
        c.add(json(otherCase, "local part and domain in mixed case", senders,
                address("News@" + verifiedDomain.toUpperCase(java.util.Locale.ROOT)), 409, "emailAddress")
                .because("sender-exists"));
        c.add(json(otherCase, "same spelling", senders, address("news@" + verifiedDomain), 409, "emailAddress")
                .because("sender-exists"));
        // over-long
        c.add(json(tooLong, "65-character local part", senders, address("a".repeat(65) + "@shop.com"), 400,
                "emailAddress"));
        c.add(json(tooLong, "64-character label", senders, address("user@" + "a".repeat(64) + ".com"), 400,
                "emailAddress"));
        c.add(json(tooLong, "domain over 253 characters", senders,
                address("user@" + ("abcdefghij".repeat(6) + ".").repeat(5) + "com"), 400, "emailAddress"));
        c.add(json(tooLong, "64-character MAIL FROM label", mailFrom,
                "{\"mailFromDomain\":\"" + "m".repeat(64) + "." + verifiedDomain + "\"}", 400, "mailFromDomain"));
        c.add(json(tooLong, "campaign subject over 998 characters", campaigns,
                campaign(Map.of("subject", "s".repeat(999))), 400, null));
        c.add(json(tooLong, "campaign name over 255 characters", campaigns, campaign(Map.of("name", "n".repeat(256))),
                400, null));
        // invalid, reserved, non-public
        for (String[] bad : new String[][]{{"not an address", "not-an-email"}, {"empty", ""}, {"blank", "   "},
                {"localhost", "user@localhost"}, {"subdomain of localhost", "user@app.localhost"},
                {"single label", "user@intranet"}, {"reserved example.com", "user@example.com"},
                {"reserved subdomain", "user@mail.example.org"}, {"test.com", "user@test.com"},
                {".test TLD", "user@shop.test"}, {".invalid TLD", "user@shop.invalid"},
                {"public suffix", "user@co.uk"}, {"unknown TLD", "user@shop.notarealtld"},
                {"display name", "Boss <boss@shop.com>"}, {"two addresses", "a@shop.com, b@shop.com"},
                {"quoted local part", "\"quoted local\"@shop.com"}, {"double dot", "user..name@shop.com"},
                {"label starting with a hyphen", "user@-shop.com"}, {"underscore in a label", "user@sh_op.com"},
                {"two at signs", "user@@shop.com"}}) {
            c.add(json(invalid, bad[0], senders, address(bad[1]), 400, "emailAddress"));
        }
        c.add(json(invalid, "MAIL FROM outside the domain", mailFrom, "{\"mailFromDomain\":\"bounce.other-shop.com\"}",
                400, "mailFromDomain"));
        c.add(json(invalid, "MAIL FROM the domain itself", mailFrom, "{\"mailFromDomain\":\"" + verifiedDomain + "\"}",
                400, "mailFromDomain"));
        // JSON type confusion and malformed bodies
        c.add(json(types, "number", senders, "{\"emailAddress\":42}", 400, "emailAddress"));
        c.add(json(types, "array", senders, "{\"emailAddress\":[\"a@shop.com\"]}", 400, "emailAddress"));
        c.add(json(types, "object", senders, "{\"emailAddress\":{\"value\":\"a@shop.com\"}}", 400, "emailAddress"));
        c.add(json(types, "boolean", senders, "{\"emailAddress\":true}", 400, "emailAddress"));
        c.add(json(types, "null", senders, "{\"emailAddress\":null}", 400, "emailAddress"));
        c.add(json(types, "empty object", senders, "{}", 400, "emailAddress"));
        c.add(json(types, "top-level array", senders, "[\"a@shop.com\"]", 400, "body"));
        c.add(json(types, "top-level string", senders, "\"a@shop.com\"", 400, "body"));
        c.add(json(types, "truncated JSON", senders, "{\"emailAddress\":\"a@shop.com\"", 400, "body"));
        c.add(json(types, "empty body", senders, "", 400, "body"));
        c.add(json(types, "duplicate key", senders, "{\"emailAddress\":\"a@shop.com\",\"emailAddress\":\"b@shop.com\"}",
                400, "body"));
        c.add(json(types, "MAIL FROM as a number", mailFrom, "{\"mailFromDomain\":5}", 400, "mailFromDomain"));
        c.add(json(types, "MAIL FROM body an array", mailFrom, "[]", 400, "body"));
        c.add(json(types, "campaign recipients a string", campaigns, campaign(Map.of("recipients",
                Json.createValue("a@inbox.net"))), 400, null));
        c.add(json(types, "campaign recipients numbers", campaigns, campaign(Map.of("recipients",
                Json.createArrayBuilder().add(1).add(2).build())), 400, null));
        c.add(json(types, "campaign subject a number", campaigns, campaign(Map.of("subject", Json.createValue(5))), 400,
                null));
        c.add(json(types, "campaign body an array", campaigns, "[]", 400, null));
        // unknown fields
        c.add(json(unknown, "organizationId", senders, "{\"emailAddress\":\"a@shop.com\",\"organizationId\":\"acme\"}",
                400, "organizationId"));
        c.add(json(unknown, "isDefault", senders, "{\"emailAddress\":\"a@shop.com\",\"isDefault\":true}", 400,
                "isDefault"));
        c.add(json(unknown, "verificationStatus", senders,
                "{\"emailAddress\":\"a@shop.com\",\"verificationStatus\":\"verified\"}", 400, "verificationStatus"));
        c.add(json(unknown, "MAIL FROM with organizationId", mailFrom, "{\"organizationId\":\"acme\"}", 400,
                "organizationId"));
        c.add(json(unknown, "campaign with organizationId", campaigns, campaign(Map.of("organizationId", "other")), 400,
                null));
        c.add(json(unknown, "campaign with status", campaigns, campaign(Map.of("status", "sent")), 400, null));
        // huge bodies
        c.add(json(huge, "add sender, 200 KB", senders, big, 413, null));
        c.add(json(huge, "add sender, 200 KB of unterminated JSON (400 if it were parsed)", senders,
                "{\"emailAddress\":\"" + "a".repeat(200_000), 413, null));
        c.add(new Hostile(huge, "add sender, 200 KB chunked (no Content-Length)", "POST", senders, "application/json",
                () -> HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                        big.getBytes(StandardCharsets.UTF_8))), 413, null));
        c.add(json(huge, "MAIL FROM, 100 KB", mailFrom, "{\"mailFromDomain\":\"" + "m".repeat(100_000) + "\"}", 413,
                null));
        c.add(raw(huge, "webhook, 400 KB (limit 320 KB)", "POST", WEBHOOK, "text/plain; charset=UTF-8",
                "{\"Type\":\"Notification\",\"Message\":\"" + "x".repeat(400_000) + "\"}", 413));
        String hugeNotification = "{\"Type\":\"Notification\",\"Message\":\"" + "x".repeat(400_000) + "\"}";
        c.add(new Hostile(huge, "webhook, 400 KB chunked (no Content-Length)", "POST", WEBHOOK,
                "text/plain; charset=UTF-8", () -> HttpRequest.BodyPublishers.ofInputStream(() ->
                new ByteArrayInputStream(hugeNotification.getBytes(StandardCharsets.UTF_8))), 413, null));
        c.add(raw(huge, "Resend webhook, 400 KB (limit 320 KB)", "POST", RESEND_WEBHOOK, "application/json",
                "{\"type\":\"email.bounced\",\"data\":\"" + "x".repeat(400_000) + "\"}", 413));
        // wrong content types
        c.add(raw(contentType, "add sender as text/plain", "POST", senders, "text/plain", address("a@shop.com"), 415));
        c.add(raw(contentType, "add sender as a form", "POST", senders, "application/x-www-form-urlencoded",
                "emailAddress=a%40shop.com", 415));
        c.add(raw(contentType, "add sender as multipart", "POST", senders, "multipart/form-data; boundary=x",
                "--x\r\nContent-Disposition: form-data; name=\"emailAddress\"\r\n\r\na@shop.com\r\n--x--\r\n", 415));
        c.add(raw(contentType, "add sender as XML", "POST", senders, "application/xml",
                "<emailAddress>a@shop.com</emailAddress>", 415));
        c.add(raw(contentType, "MAIL FROM as text/plain", "POST", mailFrom, "text/plain",
                "{\"mailFromDomain\":\"mail." + verifiedDomain + "\"}", 415));
        c.add(raw(contentType, "campaign as text/plain", "POST", campaigns, "text/plain", campaign(Map.of()), 415));
        c.add(raw(contentType, "campaign as a form", "POST", campaigns, "application/x-www-form-urlencoded", "name=x",
                415));
        // body-less actions posted the way a cross-site HTML form can (text/plain, form encoding), which would carry a
        // signed-in person's session cookie: refused, only JSON (or no body at all) is taken
        String actions = "cross-site form posts to body-less actions";
        c.add(raw(actions, "set-default as text/plain", "POST", "api/senders/" + verifiedId + "/set-default",
                "text/plain", "x", 415));
        c.add(raw(actions, "set-default as a form", "POST", "api/senders/" + verifiedId + "/set-default",
                "application/x-www-form-urlencoded", "a=b", 415));
        c.add(raw(actions, "verify as text/plain", "POST", "api/senders/" + verifiedId + "/verify", "text/plain", "x",
                415));
        c.add(raw(actions, "restart-verification as a form", "POST", "api/senders/" + verifiedId
                + "/restart-verification", "application/x-www-form-urlencoded", "a=b", 415));
        c.add(raw(actions, "start a campaign as text/plain", "POST", "host-api/campaigns/1/start", "text/plain", "x",
                415));
        // methods the SNS webhook (a servlet of its own, outside JAX-RS) does not take
        c.add(raw(methods, "webhook GET", "GET", WEBHOOK, null, null, 405));
        c.add(raw(methods, "sender list PUT (JAX-RS)", "PUT", "api/senders", "application/json", "{}", 405));
        c.add(raw(methods, "webhook PUT", "PUT", WEBHOOK, "text/plain; charset=UTF-8", "{}", 405));
        // query parameters and ids
        c.add(raw(params, "size 1000", "GET", "api/senders?size=1000", null, null, 400));
        c.add(raw(params, "size 0", "GET", "api/senders?size=0", null, null, 400));
        c.add(raw(params, "page not a number", "GET", "api/senders?page=abc", null, null, 400));
        c.add(raw(params, "page negative", "GET", "api/senders?page=-1", null, null, 400));
        c.add(raw(params, "suppressions size not a number", "GET", "api/suppressions?size=1e2", null, null, 400));
        c.add(raw(params, "id not a number", "GET", "api/senders/abc", null, null, 404));
        c.add(raw(params, "id with SQL", "GET", "api/senders/1%20or%201=1", null, null, 404));
        c.add(raw(params, "id overflowing a long", "DELETE", "api/senders/99999999999999999999", null, null, 404));
        c.add(raw(params, "negative id", "POST", "api/senders/-1/verify", "application/json", "", 404));
        c.add(raw(params, "suppression id not a number", "DELETE", "api/suppressions/abc", null, null, 404));
        c.add(raw(params, "campaign id not a number", "GET", "host-api/campaigns/abc", null, null, 404));
        return c;
    }

    @TestFactory
    Stream<DynamicTest> hostileInput() {
        Api api = Api.as(base, TestUsers.inNewOrganization());
        String domain = "hostile-" + tag() + ".com";
        long verified = Campaigns.senderId(api, "news@" + domain);
        TestEnvironment.ses().verifyDomain(domain);
        assertThat(api.post("api/senders/" + verified + "/verify", "").status()).isEqualTo(200);
        DbSnapshot.awaitQuiet();
        List<Hostile> cases = hostileCases(verified, domain);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(50);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.caseClass() + ": " + c.name(), () ->
                SecurityReport.check("3 hostile input", c.caseClass(), () -> {
                    DbSnapshot before = DbSnapshot.take();
                    int sesCalls = TestEnvironment.ses().calls().size();
                    HttpRequest.Builder request = api.request(c.path()).method(c.method(), c.body().get());
                    if (c.contentType() != null) {
                        request.header("Content-Type", c.contentType());
                    }
                    Api.Reply reply = api.send(request);
                    assertThat(reply.status()).as(reply.toString()).isEqualTo(c.status());
                    assertProblem(reply);
                    if (c.field() != null) {
                        assertThat(reply.json().getString("field", null)).as(reply.toString()).isEqualTo(c.field());
                        assertThat(reply.json().getString("reason", "")).isNotBlank();
                    }
                    if (c.reason() != null) {
                        assertThat(reply.json().getString("reason", null)).as(reply.toString()).isEqualTo(c.reason());
                    }
                    assertThat(reply.body()).doesNotContain("Exception").doesNotContain("at dev.senders");
                    assertThat(DbSnapshot.take().changedSince(before)).as("tables changed").isEmpty();
                    assertThat(TestEnvironment.ses().calls().subList(sesCalls, TestEnvironment.ses().calls().size()))
                            .as("SES calls").noneMatch(call -> call.action().startsWith("Verify")
                                    || call.action().startsWith("Set") || call.action().startsWith("Send"));
                })));
    }

    /** A 4xx problem: application/problem+json with type, title, status (the HTTP status) and detail. */
    static void assertProblem(Api.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
        assertThat(reply.contentType()).as(reply.toString()).startsWith(PROBLEM_JSON);
        JsonObject problem = reply.json();
        assertThat(problem.getString("type", "")).as(reply.toString()).isNotBlank();
        assertThat(problem.getString("title", "")).as(reply.toString()).isNotBlank();
        assertThat(problem.getString("detail", "")).as(reply.toString()).isNotBlank();
        assertThat(problem.getInt("status")).as(reply.toString()).isEqualTo(reply.status());
        assertSecurityHeaders(reply);
    }

    // ================================================================== 4. webhook abuse at volume

    /** One kind of forged SNS post: how to make the i-th, and the status it must get. */
    record Forgery(String kind, int status, Function<Integer, String[]> make) {
    }

    @TestFactory
    Stream<DynamicTest> webhookAbuse() throws Exception {
        SnsPki pki = SnsFixtures.pki();
        SnsCertificateHost host = SnsFixtures.host();
        String t = tag();
        String onHostUncached = "/forged-" + t + "-";
        List<Forgery> kinds = List.of(
                new Forgery("bad signature (message changed after signing)", 403, i -> {
                    SnsMessage m = SnsFixtures.notification(delivery("forged-" + t + "-" + i));
                    String signature = pki.sign(m.stringToSign(), "2");
                    m.message = delivery("forged-other-" + t + "-" + i);
                    return new String[]{m.type, m.body(signature)};
                }),
                new Forgery("topic not on the allowlist", 403, i -> {
                    SnsMessage m = SnsFixtures.notification(delivery("forged-" + t + "-" + i)).with(x -> {
                        x.topicArn = "arn:aws:sns:ap-southeast-1:123456789012:attacker-topic";
                        x.signingCertUrl = host.url(onHostUncached + "topic-" + i + ".pem");
                    });
                    return new String[]{m.type, m.body(pki)};
                }),
                new Forgery("http certificate URL", 403, i -> {
                    SnsMessage m = SnsFixtures.notification(delivery("forged-" + t + "-" + i)).with(x -> x.signingCertUrl =
                            "http://127.0.0.1:" + host.port() + onHostUncached + "http-" + i + ".pem");
                    return new String[]{m.type, m.body(pki)};
                }),
                new Forgery("off-host certificate URL", 403, i -> {
                    SnsMessage m = SnsFixtures.notification(delivery("forged-" + t + "-" + i)).with(x -> x.signingCertUrl =
                            "https://localhost:" + host.port() + onHostUncached + "offhost-" + i + ".pem");
                    return new String[]{m.type, m.body(pki)};
                }),
                new Forgery("expired timestamp", 400, i -> {
                    SnsMessage m = SnsFixtures.notification(delivery("forged-" + t + "-" + i)).with(x -> {
                        x.timestamp = Instant.now().minus(Duration.ofHours(2)).toString();
                        x.signingCertUrl = host.url(onHostUncached + "expired-" + i + ".pem");
                    });
                    return new String[]{m.type, m.body(pki)};
                }),
                new Forgery("malformed JSON", 400, i -> {
                    String body = SnsFixtures.notification(delivery("forged-" + t + "-" + i)).body(pki);
                    return new String[]{"Notification", body.substring(0, body.length() / 2 + i % 7)};
                }),
                new Forgery("SubscriptionConfirmation with an off-host SubscribeURL", 403, i -> {
                    SnsMessage m = SnsFixtures.confirmation("https://localhost:" + host.port() + "/?Action=ConfirmSubscription"
                            + "&TopicArn=" + TestEnvironment.sns().topicArn() + "&Token=forged-" + t + "-" + i,
                            "forged-" + t + "-" + i);
                    return new String[]{m.type, m.body(pki)};
                }));
        int total = 1000;
        List<String[]> posts = new ArrayList<>();
        List<Forgery> kindOf = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            Forgery kind = kinds.get(i % kinds.size());
            posts.add(kind.make().apply(i));
            kindOf.add(kind);
        }

        Api anonymous = Api.anonymous(base);
        // warm-up: one (refused) post with the legitimate certificate URL, so that the module's one fetch of that
        // certificate (it caches it) happens before the count; every forged URL below is new to it
        SnsMessage warmUp = SnsFixtures.notification(delivery("warm-up-" + t));
        String warmSignature = pki.sign(warmUp.stringToSign(), "2");
        warmUp.message = delivery("warm-up-changed-" + t);
        assertThat(postSns(anonymous, warmUp.type, warmUp.body(warmSignature)).status()).isEqualTo(403);

        DbSnapshot rowsBefore = DbSnapshot.take();
        Writes writesBefore = databaseWrites();
        int fetchesBefore = host.requests().size();

        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Api.Reply>> replies = new ArrayList<>();
        long started = System.nanoTime();
        try {
            for (String[] post : posts) {
                replies.add(pool.submit(() -> postSns(anonymous, post[0], post[1])));
            }
            for (Future<Api.Reply> reply : replies) {
                reply.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Duration burst = Duration.ofNanos(System.nanoTime() - started);
        Writes writesAfter = databaseWrites();
        List<String> requestsNow = host.requests();
        List<String> fetched = requestsNow.subList(fetchesBefore, requestsNow.size());
        List<String> changed = DbSnapshot.take().changedSince(rowsBefore);
        // control: one genuine post afterwards is seen by the same measure (so a write in the burst would have been)
        Api.Reply genuine = postSns(anonymous, "Notification", SnsFixtures.notification(delivery("genuine-" + t)).body(pki));
        Writes writesControl = databaseWritesOnceMoved(writesAfter, "senders_sns_messages");

        List<DynamicTest> tests = new ArrayList<>();
        for (Forgery kind : kinds) {
            tests.add(DynamicTest.dynamicTest(kind.kind(), () -> {
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    if (kindOf.get(i) == kind) {
                        Api.Reply reply = replies.get(i).get();
                        boolean held = reply.status() == kind.status()
                                && reply.contentType().startsWith(PROBLEM_JSON);
                        SecurityReport.record("4 webhook abuse", "forged SNS post: " + kind.kind(), held);
                        if (!held) {
                            wrong.add(reply.toString());
                        }
                    }
                }
                assertThat(wrong).as("posts not refused with " + kind.status()).isEmpty();
            }));
        }
        tests.add(DynamicTest.dynamicTest("1000 forged posts: no database write, no outbound fetch", () ->
                SecurityReport.check("4 webhook abuse", "1000 forged posts: no DB write (pg_stat_database,"
                        + " pg_stat_user_tables, rows), no outbound fetch", () -> {
                    assertThat(fetched).as("requests at the certificate server during the burst of " + burst)
                            .isEmpty();
                    assertThat(changed).as("tables changed").isEmpty();
                    // nothing but the verification timer (every 4 hours) may have written meanwhile, and then the
                    // database's count moved by exactly the timer's writes
                    Map<String, Long> written = writesAfter.since(writesBefore);
                    long timer = written.entrySet().stream().filter(e -> TIMER_TABLES.contains(e.getKey()))
                            .mapToLong(Map.Entry::getValue).sum();
                    assertThat(written.keySet()).as("tables written during the burst (pg_stat_user_tables)")
                            .isSubsetOf(TIMER_TABLES);
                    assertThat(writesAfter.database() - writesBefore.database())
                            .as("tup_inserted + tup_updated + tup_deleted of the test database (pg_stat_database)")
                            .isEqualTo(timer);
                    assertThat(genuine.status()).as(genuine.toString()).isEqualTo(200);
                    assertThat(writesControl.since(writesAfter)).as("tables written by one genuine post")
                            .containsKey("senders_sns_messages");
                    assertThat(writesControl.database()).as("database writes after one genuine post")
                            .isGreaterThan(writesAfter.database());
                })));
        return tests.stream();
    }

    /** One kind of refused Resend post: how to make the i-th (its headers and body), and the status it must get. */
    record ResendForgery(String kind, int status, Function<Integer, ResendWebhooks.Delivery> make) {
    }

    /**
     * Issue 17: the Resend webhook under the same kind of abuse, 500 posts, 16 at a time: forged (a changed body,
     * another secret), replayed late, unsigned, and signed but of an unknown type or not JSON. Each is refused, nothing
     * is written (rows, pg_stat_user_tables, pg_stat_database), and one genuine post afterwards is seen by the same
     * measure.
     */
    @TestFactory
    Stream<DynamicTest> resendWebhookAbuse() throws Exception {
        String t = tag();
        String secret = TestCredentials.RESEND_WEBHOOK_SECRET;
        String stranger = "whsec_" + java.util.Base64.getEncoder().encodeToString(("forger-" + t).getBytes());
        List<ResendForgery> kinds = List.of(
                new ResendForgery("forged Resend post: bad signature (body changed after signing)", 403, i -> {
                    ResendWebhooks.Delivery d = ResendWebhooks.signed(secret, resendBounce(t, i, "Transient"));
                    return new ResendWebhooks.Delivery(d.headers(), resendBounce(t, i, "Permanent"));
                }),
                new ResendForgery("forged Resend post: signed with another secret", 403,
                        i -> ResendWebhooks.signed(stranger, resendBounce(t, i, "Permanent"))),
                new ResendForgery("forged Resend post: old timestamp (10 minutes)", 400,
                        i -> ResendWebhooks.signed(secret, "msg_old_" + t + "_" + i,
                                Instant.now().minus(Duration.ofMinutes(10)), resendBounce(t, i, "Permanent"))),
                new ResendForgery("forged Resend post: no signature header", 400, i -> {
                    ResendWebhooks.Delivery d = ResendWebhooks.signed(secret, resendBounce(t, i, "Permanent"));
                    return new ResendWebhooks.Delivery(Map.of("svix-id", d.id(), "svix-timestamp",
                            d.headers().get("svix-timestamp")), d.body());
                }),
                new ResendForgery("signed Resend post of an unknown event type", 400,
                        i -> ResendWebhooks.signed(secret, ResendWebhooks.event("email.exploded",
                                "forged-" + t + "-" + i, "a@inbox-forged.net", d -> { }))),
                new ResendForgery("signed Resend post of malformed JSON", 400, i -> {
                    String body = resendBounce(t, i, "Permanent");
                    return ResendWebhooks.signed(secret, body.substring(0, body.length() / 2 + i % 7));
                }));
        int total = 500;
        List<ResendWebhooks.Delivery> posts = new ArrayList<>();
        List<ResendForgery> kindOf = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            ResendForgery kind = kinds.get(i % kinds.size());
            posts.add(kind.make().apply(i));
            kindOf.add(kind);
        }
        Api anonymous = Api.anonymous(base);
        DbSnapshot rowsBefore = DbSnapshot.take();
        Writes writesBefore = databaseWrites();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Api.Reply>> replies = new ArrayList<>();
        try {
            for (ResendWebhooks.Delivery post : posts) {
                replies.add(pool.submit(() -> postResend(anonymous, post)));
            }
            for (Future<Api.Reply> reply : replies) {
                reply.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        Writes writesAfter = databaseWrites();
        List<String> changed = DbSnapshot.take().changedSince(rowsBefore);
        Api.Reply genuine = postResend(anonymous, ResendWebhooks.signed(secret,
                ResendWebhooks.delivered("genuine-" + t, "a@inbox-forged.net")));
        Writes writesControl = databaseWritesOnceMoved(writesAfter, "senders_resend_messages");

        List<DynamicTest> tests = new ArrayList<>();
        for (ResendForgery kind : kinds) {
            tests.add(DynamicTest.dynamicTest(kind.kind(), () -> {
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    if (kindOf.get(i) == kind) {
                        Api.Reply reply = replies.get(i).get();
                        boolean held = reply.status() == kind.status()
                                && reply.contentType().startsWith(PROBLEM_JSON);
                        SecurityReport.record("4 webhook abuse", kind.kind(), held);
                        if (!held) {
                            wrong.add(reply.toString());
                        }
                    }
                }
                assertThat(wrong).as("posts not refused with " + kind.status()).isEmpty();
            }));
        }
        tests.add(DynamicTest.dynamicTest("500 refused Resend posts: no database write", () ->
                SecurityReport.check("4 webhook abuse", "500 refused Resend posts: no DB write (pg_stat_database,"
                        + " pg_stat_user_tables, rows)", () -> {
                    assertThat(changed).as("tables changed").isEmpty();
                    Map<String, Long> written = writesAfter.since(writesBefore);
                    long timer = written.entrySet().stream().filter(e -> TIMER_TABLES.contains(e.getKey()))
                            .mapToLong(Map.Entry::getValue).sum();
                    assertThat(written.keySet()).as("tables written during the burst (pg_stat_user_tables)")
                            .isSubsetOf(TIMER_TABLES);
                    assertThat(writesAfter.database() - writesBefore.database())
                            .as("tup_inserted + tup_updated + tup_deleted of the test database (pg_stat_database)")
                            .isEqualTo(timer);
                    assertThat(genuine.status()).as(genuine.toString()).isEqualTo(200);
                    assertThat(writesControl.since(writesAfter)).as("tables written by one genuine post")
                            .containsKey("senders_resend_messages");
                })));
        return tests.stream();
    }

    private static String resendBounce(String tag, int i, String bounceType) {
        return ResendWebhooks.bounced("forged-" + tag + "-" + i, "a@inbox-forged.net", bounceType);
    }

    private static Api.Reply postResend(Api anonymous, ResendWebhooks.Delivery delivery) {
        HttpRequest.Builder request = anonymous.request(RESEND_WEBHOOK).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8));
        delivery.headers().forEach(request::header);
        return anonymous.send(request);
    }

    private static String delivery(String sesMessageId) {
        return Json.createObjectBuilder().add("eventType", "Delivery")
                .add("delivery", Json.createObjectBuilder().add("timestamp", Instant.now().toString())
                        .add("recipients", Json.createArrayBuilder().add("a@inbox-forged.net")))
                .add("mail", Json.createObjectBuilder().add("messageId", sesMessageId)
                        .add("timestamp", Instant.now().toString()).add("source", "news@forged-shop.com")
                        .add("destination", Json.createArrayBuilder().add("a@inbox-forged.net")))
                .build().toString();
    }

    private static Api.Reply postSns(Api anonymous, String messageType, String body) {
        return anonymous.send(anonymous.request(WEBHOOK)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", messageType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    /** The verification timer's own tables: the only writes that may happen without any request. */
    private static final List<String> TIMER_TABLES = List.of("senders_job_runs", "senders_job_leases");

    /** Row writes (inserts + updates + deletes) of the whole test database and of each of its tables. */
    record Writes(long database, Map<String, Long> tables) {
        /** The tables whose writes differ from {@code before}'s, with the difference. */
        Map<String, Long> since(Writes before) {
            Map<String, Long> changed = new java.util.TreeMap<>();
            tables.forEach((t, n) -> {
                long d = n - before.tables.getOrDefault(t, 0L);
                if (d != 0) {
                    changed.put(t, d);
                }
            });
            return changed;
        }
    }

    /**
     * The test database's tup_inserted + tup_updated + tup_deleted from pg_stat_database, and n_tup_ins + n_tup_upd
     * + n_tup_del of each table from pg_stat_user_tables, once every backend's pending statistics reached the shared
     * statistics: a backend flushes them when it goes idle, at the latest 10 s later (PostgreSQL 15's
     * PGSTAT_IDLE_INTERVAL), so this waits 11 s and reads a fresh snapshot.
     */
    private static Writes databaseWrites() throws Exception {
        Thread.sleep(11_000);
        return currentWrites();
    }

    /**
     * The writes once {@code table}'s count has moved past {@code before}'s, read every 100 ms for at most 11 s: the
     * control after a burst. Its backends have then been idle for 11 s, so the genuine post's statistics are flushed
     * as soon as its backend goes idle, and the wait ends as soon as they are visible.
     */
    private static Writes databaseWritesOnceMoved(Writes before, String table) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(11);
        Writes now = currentWrites();
        while (!now.since(before).containsKey(table) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            now = currentWrites();
        }
        return now;
    }

    private static Writes currentWrites() throws Exception {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            s.execute("select pg_stat_clear_snapshot()");
            long database;
            try (var rs = s.executeQuery("select tup_inserted + tup_updated + tup_deleted from pg_stat_database"
                    + " where datname = current_database()")) {
                rs.next();
                database = rs.getLong(1);
            }
            Map<String, Long> tables = new java.util.TreeMap<>();
            try (var rs = s.executeQuery("select relname, n_tup_ins + n_tup_upd + n_tup_del from pg_stat_user_tables")) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getLong(2));
                }
            }
            return new Writes(database, tables);
        }
    }

    // ================================================================== 6. HTTP hardening (issue 16)

    private static final String HARDENING = "6 HTTP hardening";

    /** One response whose headers are checked: how to get it, its status (0: any 4xx), and whether it is the API's. */
    record Headed(String name, Supplier<Api.Reply> request, int status, boolean api) {
    }

    @TestFactory
    Stream<DynamicTest> httpHardening() {
        String t = tag();
        TestUsers.User user = TestUsers.inNewOrganization();
        Api signedIn = Api.as(base, user);
        Api anonymous = Api.anonymous(base);
        long own = Campaigns.senderId(signedIn, "hello@hardening-" + t + ".com");
        String big = "{\"emailAddress\":\"" + "a".repeat(200_000) + "@shop.com\"}";

        List<Headed> headed = List.of(
                new Headed("the Senders page", () -> signedIn.get("senders/"), 200, false),
                new Headed("the page's script", () -> signedIn.get("senders/senders.js"), 200, false),
                new Headed("API 200 JSON (list)", () -> signedIn.get("api/senders"), 200, true),
                new Headed("API 200 JSON (one sender)", () -> signedIn.get("api/senders/" + own), 200, true),
                new Headed("API 201 JSON (add)", () -> signedIn.post("api/senders",
                        address("news@hardening-" + t + ".net")), 201, true),
                new Headed("API problem 400", () -> signedIn.post("api/senders", address("user@[127.0.0.1]")), 400,
                        true),
                new Headed("API problem 404 (no such sender)", () -> signedIn.get("api/senders/999999999"), 404, true),
                new Headed("API problem 404 (no such resource)", () -> signedIn.get("api/no-such-" + t), 404, true),
                new Headed("API 401 before sign-in", () -> anonymous.get("api/senders"), 401, true),
                new Headed("API 401, wrong password", () -> Api.as(base, user.name(), "wrong").get("api/senders"), 401,
                        true),
                new Headed("API 403 (admin endpoint)", () -> signedIn.get("api/admin/audit"), 403, true),
                new Headed("API 413 (200 KB body)", () -> signedIn.post("api/senders", big), 413, true),
                new Headed("API 415 (text/plain body)", () -> signedIn.post("api/senders", "text/plain", "x"), 415,
                        true),
                new Headed("API public description", () -> anonymous.send(HttpRequest.newBuilder(
                        anonymous.uri("api/openapi")).header("Accept", "application/yaml").GET()), 200, true),
                new Headed("webhook refusal", () -> postSns(anonymous, "Notification", "{"), 400, true),
                new Headed("error page: 404 of an unknown path", () -> signedIn.get("no-such-page-" + t + ".html"), 404,
                        false),
                new Headed("error page: 404 under /senders/", () -> signedIn.get("senders/no-such-" + t + ".js"), 404,
                        false),
                new Headed("error page: a method a page does not take", () -> signedIn.send(
                        signedIn.request("login.html").PUT(HttpRequest.BodyPublishers.ofString("x"))), 0, false),
                new Headed("host: sign-in page", () -> anonymous.get("login.html"), 200, false),
                new Headed("host: analytics page", () -> signedIn.get("analytics.html"), 200, false),
                new Headed("host: analytics page before sign-in (redirect)", () -> anonymous.get("analytics.html"), 302,
                        false),
                new Headed("host: failed form sign-in (redirect)", () -> formSignIn(anonymous, user.name(), "wrong"),
                        302, false),
                new Headed("host-api 200 JSON", () -> signedIn.get("host-api/campaigns"), 200, true),
                new Headed("host-api problem 400", () -> signedIn.post("host-api/campaigns", "{}"), 400, true),
                new Headed("host-api 401 before sign-in", () -> anonymous.get("host-api/me"), 401, true));

        List<DynamicTest> tests = new ArrayList<>();
        for (Headed h : headed) {
            tests.add(DynamicTest.dynamicTest("headers: " + h.name(), () -> SecurityReport.check(HARDENING,
                    "security headers (CSP without inline script or style, nosniff, Referrer-Policy, frame-ancestors"
                            + " and X-Frame-Options; API: no-store) on the page, the API, error pages, host pages",
                    () -> {
                        Api.Reply reply = h.request().get();
                        if (h.status() == 0) {
                            assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
                        } else {
                            assertThat(reply.status()).as(reply.toString()).isEqualTo(h.status());
                        }
                        assertSecurityHeaders(reply);
                        if (h.api()) {
                            assertThat(reply.response().headers().allValues("Cache-Control")).as(reply.toString())
                                    .containsExactly("no-store");
                        }
                    })));
        }

        // Basic credentials: each call is authenticated on its own, and nothing is remembered
        String basicNoSession = "API calls with Basic credentials: no Set-Cookie (no session created)";
        List<Headed> basicCalls = List.of(
                new Headed("list senders", () -> signedIn.get("api/senders"), 200, true),
                new Headed("add a sender", () -> signedIn.post("api/senders", address("team@hardening-" + t + ".org")),
                        201, true),
                new Headed("refused input", () -> signedIn.post("api/senders", address("nope")), 400, true),
                new Headed("another organization's id", () -> signedIn.get("api/senders/999999999"), 404, true),
                new Headed("wrong password", () -> Api.as(base, user.name(), "wrong").get("api/senders"), 401, true),
                new Headed("the host's API", () -> signedIn.get("host-api/me"), 200, true),
                new Headed("the page", () -> signedIn.get("senders/"), 200, false),
                new Headed("the host's page", () -> signedIn.get("analytics.html"), 200, false));
        for (Headed call : basicCalls) {
            tests.add(DynamicTest.dynamicTest("Basic, no session: " + call.name(), () -> SecurityReport.check(
                    HARDENING, basicNoSession, () -> {
                        Api.Reply reply = call.request().get();
                        assertThat(reply.status()).as(reply.toString()).isEqualTo(call.status());
                        assertThat(reply.response().headers().allValues("Set-Cookie")).as("Set-Cookie").isEmpty();
                    })));
        }

        // the form sign-in: a session, in a cookie that is HttpOnly and SameSite=Lax, Secure over https
        String cookieClass = "the form sign-in's session cookie: HttpOnly, SameSite=Lax, Secure over https; the"
                + " session knows the organization; sign-out ends it";
        tests.add(DynamicTest.dynamicTest("form sign-in over http: HttpOnly, SameSite=Lax, not Secure", () ->
                SecurityReport.check(HARDENING, cookieClass, () -> {
                    Api.Reply reply = formSignIn(anonymous, user.name(), TestUsers.PASSWORD);
                    assertThat(reply.status()).as(reply.toString()).isEqualTo(302);
                    String cookie = sessionCookie(reply.response().headers().allValues("Set-Cookie"));
                    assertThat(attributes(cookie)).as(cookie).contains("httponly", "samesite=lax")
                            .doesNotContain("secure");
                    assertThat(attributes(cookie)).as(cookie).filteredOn(a -> a.startsWith("samesite"))
                            .containsOnly("samesite=lax");
                })));
        tests.add(DynamicTest.dynamicTest("form sign-in over https: Secure, HttpOnly, SameSite=Lax", () ->
                SecurityReport.check(HARDENING, cookieClass, () -> {
                    PayaraHttps.Answer answer = PayaraHttps.send(base, "POST", "login",
                            Map.of("Content-Type", "application/x-www-form-urlencoded"), signInForm(user.name(),
                                    TestUsers.PASSWORD));
                    assertThat(answer.status()).as(answer.toString()).isEqualTo(302);
                    String cookie = sessionCookie(answer.all("Set-Cookie"));
                    assertThat(attributes(cookie)).as(cookie).contains("secure", "httponly", "samesite=lax");
                    assertThat(attributes(cookie)).as(cookie).filteredOn(a -> a.startsWith("samesite"))
                            .containsOnly("samesite=lax");
                    assertThat(answer.all("Content-Security-Policy")).as("https answers carry the headers too")
                            .singleElement().asString().contains("frame-ancestors 'none'");
                    // the https session works over https
                    PayaraHttps.Answer me = PayaraHttps.send(base, "GET", "host-api/me",
                            Map.of("Cookie", nameAndValue(cookie)), null);
                    assertThat(me.status()).as(me.body()).isEqualTo(200);
                    assertThat(me.body()).contains("\"organizationId\":\"" + user.organizationId() + "\"");
                })));
        tests.add(DynamicTest.dynamicTest("the form's session carries the caller and the organization", () ->
                SecurityReport.check(HARDENING, cookieClass, () -> {
                    String cookie = nameAndValue(sessionCookie(formSignIn(anonymous, user.name(), TestUsers.PASSWORD)
                            .response().headers().allValues("Set-Cookie")));
                    Api.Reply me = anonymous.send(anonymous.request("host-api/me").header("Cookie", cookie).GET());
                    assertThat(me.status()).as(me.toString()).isEqualTo(200);
                    assertThat(me.json().getString("user")).isEqualTo(user.name());
                    assertThat(me.json().getString("organizationId")).isEqualTo(user.organizationId());
                    Api.Reply senders = anonymous.send(anonymous.request("api/senders/" + own).header("Cookie", cookie)
                            .GET());
                    assertThat(senders.status()).as("the organization's own sender through the session: "
                            + senders).isEqualTo(200);
                    assertThat(senders.response().headers().allValues("Set-Cookie")).as("no new session").isEmpty();
                })));
        tests.add(DynamicTest.dynamicTest("sign-out ends the session", () ->
                SecurityReport.check(HARDENING, cookieClass, () -> {
                    String cookie = nameAndValue(sessionCookie(formSignIn(anonymous, user.name(), TestUsers.PASSWORD)
                            .response().headers().allValues("Set-Cookie")));
                    assertThat(anonymous.send(anonymous.request("api/senders").header("Cookie", cookie).GET())
                            .status()).isEqualTo(200);
                    Api.Reply out = anonymous.send(anonymous.request("logout").header("Cookie", cookie)
                            .POST(HttpRequest.BodyPublishers.noBody()));
                    assertThat(out.status()).as(out.toString()).isEqualTo(302);
                    assertThat(out.header("Location")).endsWith("/login.html");
                    Api.Reply after = anonymous.send(anonymous.request("api/senders").header("Cookie", cookie).GET());
                    assertThat(after.status()).as(after.toString()).isEqualTo(401);
                })));
        return tests.stream();
    }

    /** The security headers every response of the module and the host carries, each exactly once. */
    static void assertSecurityHeaders(Api.Reply reply) {
        var headers = reply.response().headers();
        assertThat(headers.allValues("Content-Security-Policy")).as("Content-Security-Policy of " + reply)
                .singleElement().satisfies(policy -> {
                    List<String> directives = java.util.Arrays.stream(policy.split(";")).map(String::trim).toList();
                    assertThat(directives).contains("default-src 'self'", "script-src 'self'", "style-src 'self'",
                            "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'");
                    assertThat(policy).doesNotContain("'unsafe-inline'").doesNotContain("'unsafe-eval'")
                            .doesNotContain("*");
                });
        assertThat(headers.allValues("X-Frame-Options")).as("X-Frame-Options of " + reply).containsExactly("DENY");
        assertThat(headers.allValues("X-Content-Type-Options")).as("X-Content-Type-Options of " + reply)
                .containsExactly("nosniff");
        assertThat(headers.allValues("Referrer-Policy")).as("Referrer-Policy of " + reply)
                .containsExactly("strict-origin-when-cross-origin");
    }

    private static String signInForm(String user, String password) {
        return "username=" + java.net.URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8) + "&next=%2Fsenders%2F";
    }

    private static Api.Reply formSignIn(Api anonymous, String user, String password) {
        return anonymous.post("login", "application/x-www-form-urlencoded", signInForm(user, password));
    }

    /** The one session cookie among the Set-Cookie headers. */
    private static String sessionCookie(List<String> setCookies) {
        List<String> sessions = setCookies.stream().filter(c -> c.startsWith("JSESSIONID=")).toList();
        assertThat(sessions).as("session cookies in " + setCookies).hasSize(1);
        return sessions.get(0);
    }

    /**
     * A Set-Cookie's attributes, lower case, without spaces: "httponly", "samesite=lax", "path=/", ... Payara may
     * write SameSite twice (its session cookie setting, and the same value again for an application that is not at
     * the root context, as here): each must say Lax.
     */
    private static List<String> attributes(String setCookie) {
        return java.util.Arrays.stream(setCookie.split(";")).skip(1)
                .map(a -> a.trim().replace(" ", "").toLowerCase(java.util.Locale.ROOT)).toList();
    }

    private static String nameAndValue(String setCookie) {
        return setCookie.split(";", 2)[0].trim();
    }
}
