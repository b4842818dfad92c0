package dev.senders.host.it.security;

import dev.senders.host.it.Api;
import dev.senders.host.it.Campaigns;
import dev.senders.host.it.SesEvents;
import dev.senders.host.it.SnsFixtures;
import dev.senders.host.it.TestEnvironment;
import dev.senders.host.it.TestUsers;
import dev.senders.sandbox.LocalDnsServer;
import dev.senders.sandbox.sns.SnsMessage;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static dev.senders.host.it.Campaigns.query;
import static dev.senders.host.it.Campaigns.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 ("Tenant walls, round 2") on the deployed reference host: a first claimant is never verified on the real
 * owner's DNS work (same domain, parent, subdomain; either organization first; on-demand verify and the background
 * sweep alike), what an organization sees of another's suppressed recipients, and the MAIL FROM of a domain several
 * organizations share. Each case is counted in {@link SecurityReport} under part 1.
 */
@ExtendWith(ArquillianExtension.class)
class TenantWallsIT {

    private static final String PART = "1 tenant isolation";
    private static final String WEBHOOK = "api/webhooks/ses-events";

    @ArquillianResource
    URL base;

    private static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    // ================================================================== domain squatting

    /** Where the squatter's sender is, relative to the real owner's. */
    enum Shape {
        SAME_DOMAIN("on the owner's domain"),
        SUBDOMAIN("on a subdomain of the owner's"),
        PARENT("on the parent of the owner's");

        final String words;

        Shape(String words) {
            this.words = words;
        }
    }

    /** One squatting attempt: who came first, which check ran first, and the two senders. */
    private final class Scenario {
        final Shape shape;
        final boolean ownerFirst;
        final boolean sweepFirst;
        final TestUsers.User ownerUser = TestUsers.inNewOrganization();
        final TestUsers.User squatterUser = TestUsers.inNewOrganization();
        final Api owner = Api.as(base, ownerUser);
        final Api squatter = Api.as(base, squatterUser);
        final String ownerDomain;
        final String squatterDomain;
        long ownerId;
        long squatterId;
        /** The owner's ownership record (name, value) when it came second and must publish it. */
        String[] ownershipRecord;
        State afterVerify;
        State afterSweep;
        Timestamp squatterCheckedBeforeSweep;

        Scenario(Shape shape, boolean ownerFirst, boolean sweepFirst) {
            this.shape = shape;
            this.ownerFirst = ownerFirst;
            this.sweepFirst = sweepFirst;
            String victim = "victim-" + tag() + ".com";
            ownerDomain = shape == Shape.PARENT ? "mail." + victim : victim;
            squatterDomain = shape == Shape.SUBDOMAIN ? "shop." + victim : victim;
        }

        String name() {
            return (ownerFirst ? "owner first, squatter " : "squatter first ") + shape.words
                    + (sweepFirst ? ", background sweep first" : ", verify first");
        }

        void setUp() {
            if (ownerFirst) {
                ownerId = Campaigns.verifiedDefault(owner, "news@" + ownerDomain);
                squatterId = Campaigns.senderId(squatter, "ceo@" + squatterDomain);
            } else {
                squatterId = Campaigns.senderId(squatter, "ceo@" + squatterDomain);
                Api.Reply added = owner.post("api/senders", "{\"emailAddress\":\"news@" + ownerDomain + "\"}");
                assertThat(added.status()).as(added.toString()).isEqualTo(201);
                ownerId = added.json().getJsonObject("sender").getJsonNumber("id").longValue();
                JsonObject record = added.json().getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                        .filter(r -> r.getString("purpose").equals("Ownership")).findFirst()
                        .orElseThrow(() -> new AssertionError("no ownership record for a second claimant: " + added));
                ownershipRecord = new String[]{record.getString("name"), record.getString("value")};
            }
            // the worst case: SES reports every identity of the family verified (the owner published its records)
            TestEnvironment.ses().verifyDomain(ownerDomain);
            TestEnvironment.ses().verifyDomain(squatterDomain);
        }

        void verifyBoth() {
            endCooldown(squatterId);
            endCooldown(ownerId);
            // the squatter is checked before and after the owner's own check
            assertThat(squatter.post("api/senders/" + squatterId + "/verify", "").status()).isEqualTo(200);
            assertThat(owner.post("api/senders/" + ownerId + "/verify", "").status()).isEqualTo(200);
            endCooldown(squatterId);
            assertThat(squatter.post("api/senders/" + squatterId + "/verify", "").status()).isEqualTo(200);
        }

        State state() {
            return new State(stored(ownerId), stored(squatterId));
        }
    }

    /** What the database holds for one sender. */
    record Stored(String status, boolean ownershipRequired, String error, boolean isDefault, Timestamp checkedAt) {
    }

    /** Both senders of a scenario, without the time of the check (compared between the two mechanisms). */
    record State(Stored owner, Stored squatter) {
        String summary() {
            return "owner " + owner.status() + (owner.isDefault() ? " default" : "") + ", squatter "
                    + squatter.status() + (squatter.ownershipRequired() ? " (ownership required)" : "");
        }
    }

    private static Stored stored(long id) {
        return query("select verification_status, ownership_required, verification_error, is_default,"
                + " last_verified_at from senders where id = " + id, rs -> new Stored(rs.getString(1),
                rs.getBoolean(2), rs.getString(3), rs.getBoolean(4), rs.getTimestamp(5))).get(0);
    }

    private static void endCooldown(long id) {
        sql("update senders set verify_requested_at = null where id = " + id);
    }

    @TestFactory
    Stream<DynamicTest> aFirstClaimantIsNeverVerifiedOnTheOwnersDnsWork() {
        List<Scenario> scenarios = new ArrayList<>();
        for (boolean sweepFirst : List.of(false, true)) {
            for (boolean ownerFirst : List.of(false, true)) {
                for (Shape shape : Shape.values()) {
                    scenarios.add(new Scenario(shape, ownerFirst, sweepFirst));
                }
            }
        }
        scenarios.forEach(Scenario::setUp);
        LocalDnsServer.Zone zone = TestEnvironment.zone();
        for (Scenario s : scenarios) {
            if (s.ownershipRecord != null) {
                zone = zone.txt(s.ownershipRecord[0], s.ownershipRecord[1]);
            }
        }
        TestEnvironment.dns().restartWith(zone);

        for (Scenario s : scenarios) {
            if (!s.sweepFirst) {
                s.verifyBoth();
                s.afterVerify = s.state();
            }
            s.squatterCheckedBeforeSweep = stored(s.squatterId).checkedAt();
        }
        runSweep();
        for (Scenario s : scenarios) {
            s.afterSweep = s.state();
            if (s.sweepFirst) {
                s.verifyBoth();
                s.afterVerify = s.state();
            }
        }

        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario s : scenarios) {
            String caseClass = s.ownerFirst
                    ? "domain squatting: a latecomer on the owner's domain, parent or subdomain is not verified and"
                    + " does not downgrade the owner"
                    : "domain squatting: a first claimant is not verified on the real owner's DNS work (domain,"
                    + " parent, subdomain)";
            tests.add(DynamicTest.dynamicTest(s.name(), () -> SecurityReport.check(PART, caseClass, () -> {
                for (State state : List.of(s.afterVerify, s.afterSweep)) {
                    assertThat(state.owner().status()).as(s.name() + ": " + state.summary()).isEqualTo("verified");
                    assertThat(state.squatter().status()).as(s.name() + ": " + state.summary())
                            .isEqualTo("verifying");
                    assertThat(state.squatter().ownershipRequired()).as(state.summary()).isTrue();
                    assertThat(state.squatter().error()).contains("_senders-verification." + s.squatterDomain);
                    assertThat(state.squatter().isDefault()).isFalse();
                }
                if (s.ownerFirst) {
                    assertThat(s.afterVerify.owner().isDefault()).as("the owner's default survives").isTrue();
                    assertThat(s.afterSweep.owner().isDefault()).isTrue();
                }
                Api.Reply setDefault = s.squatter.post("api/senders/" + s.squatterId + "/set-default", "");
                assertThat(setDefault.status()).as(setDefault.toString()).isEqualTo(400);
                assertThat(query("select count(*) from senders where organization_id = '"
                        + s.squatterUser.organizationId() + "' and verification_status = 'verified'",
                        rs -> rs.getLong(1))).containsExactly(0L);
            })));
            tests.add(DynamicTest.dynamicTest(s.name() + ": the sweep and verify agree", () -> SecurityReport.check(
                    PART, "domain squatting: the background sweep and on-demand verify agree", () -> {
                        assertThat(withoutTime(s.afterSweep)).as(s.name()).isEqualTo(withoutTime(s.afterVerify));
                        // the sweep really checked the squatter (its check time moved)
                        assertThat(s.afterSweep.squatter().checkedAt()).as("checked by the sweep")
                                .isAfter(s.squatterCheckedBeforeSweep == null ? new Timestamp(0)
                                        : s.squatterCheckedBeforeSweep);
                    })));
        }
        return tests.stream();
    }

    private static State withoutTime(State state) {
        return new State(withoutTime(state.owner()), withoutTime(state.squatter()));
    }

    private static Stored withoutTime(Stored s) {
        return new Stored(s.status(), s.ownershipRequired(), s.error(), s.isDefault(), null);
    }

    /** The admin's "run the background re-check now" (retried while a scheduled run holds the lease). */
    private void runSweep() {
        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Api.Reply run = admin.post("api/admin/verification-runs", "");
            assertThat(run.status()).as(run.toString()).isEqualTo(200);
            return run.json().isNull("skipped");
        });
    }

    // ================================================================== suppressions

    @TestFactory
    Stream<DynamicTest> anotherOrganizationsSuppressedRecipientsStayHidden() {
        String t = tag();
        TestUsers.User a = TestUsers.inNewOrganization();
        Api asA = Api.as(base, a);
        Api asB = Api.as(base, TestUsers.inNewOrganization());
        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        String bounced = "gone-" + t + "@inbox-walls-" + t + ".net";
        String complainer = "angry-" + t + "@inbox-walls-" + t + ".net";

        Campaigns.verifiedDefault(asA, "news@supp-" + t + ".com");
        long campaign = Campaigns.startAndAwait(asA, Campaigns.create(asA, "news@supp-" + t + ".com", "Hello",
                List.of(bounced, complainer)));
        Map<String, String> messageIds = new LinkedHashMap<>();
        Campaigns.items(campaign).forEach(i -> messageIds.put(i.recipient(), i.messageId()));
        SnsFixtures.pki();
        postSigned(SesEvents.bounce(messageIds.get(bounced), bounced, "Permanent"));
        postSigned(SesEvents.complaint(messageIds.get(complainer), complainer));
        long bounceId = suppressionId(bounced, true);
        long complaintId = suppressionId(complainer, false);
        DbSnapshot.awaitQuiet();

        List<DynamicTest> tests = new ArrayList<>();
        String hidden = "suppressions: another organization's recipients stay hidden (list, search, count, id)";
        String asked = "suppressions: a platform-wide entry shows for an address asked exactly or sent to, without"
                + " the diagnostic or campaign";
        String everything = "suppressions: platform admins see every entry";
        tests.add(check("B lists its suppressions", hidden, () -> {
            Api.Reply list = asB.get("api/suppressions?size=100");
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).doesNotContain(t);
        }));
        tests.add(check("B searches part of the bounced address", hidden, () -> {
            JsonObject page = asB.get("api/suppressions?q=gone-" + t).json();
            assertThat(page.getJsonNumber("total").longValue()).isZero();
            assertThat(page.toString()).doesNotContain(t);
        }));
        tests.add(check("B searches A's complainer exactly", hidden, () -> {
            assertThat(asB.get("api/suppressions?q=" + encode(complainer)).json().getJsonNumber("total")
                    .longValue()).isZero();
        }));
        tests.add(check("B deletes the entries by id", hidden, () -> {
            DbSnapshot before = DbSnapshot.take();
            for (long id : List.of(bounceId, complaintId)) {
                Api.Reply reply = asB.delete("api/suppressions/" + id);
                assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
                assertThat(reply.body()).doesNotContain(t);
            }
            assertThat(DbSnapshot.take().changedSince(before)).isEmpty();
        }));
        tests.add(check("B asks about the bounced address exactly", asked, () -> {
            JsonObject page = asB.get("api/suppressions?q=" + encode(bounced)).json();
            assertThat(page.getJsonNumber("total").longValue()).isEqualTo(1);
            assertOthersView(page.getJsonArray("items").getJsonObject(0), bounced);
        }));
        tests.add(check("B sends to the bounced address, then lists", asked, () -> {
            long own = Campaigns.startAndAwait(asB, Campaigns.create(asB, "hello@own-" + t + ".com", "Hi",
                    List.of(bounced)));
            assertThat(Campaigns.items(own)).singleElement().satisfies(i -> assertThat(i.status())
                    .isEqualTo("suppressed"));
            JsonObject page = asB.get("api/suppressions?size=100").json();
            List<JsonObject> ours = page.getJsonArray("items").stream().map(JsonObject.class::cast)
                    .filter(i -> i.getString("email").contains(t)).toList();
            assertThat(ours).singleElement().satisfies(i -> assertOthersView(i, bounced));
            assertThat(page.toString()).doesNotContain(complainer);
        }));
        tests.add(check("A sees what its own mail caused, in full", asked, () -> {
            JsonObject page = asA.get("api/suppressions?q=" + t).json();
            assertThat(page.getJsonNumber("total").longValue()).isEqualTo(2);
            JsonObject bounce = item(page, bounced);
            assertThat(bounce.getBoolean("platformWide")).isTrue();
            assertThat(bounce.getString("reason")).contains("550 5.1.1");
            assertThat(bounce.getString("campaignId")).isEqualTo(String.valueOf(campaign));
            assertThat(item(page, complainer).getString("scope")).isEqualTo("organization");
        }));
        tests.add(check("a platform admin lists every entry", everything, () -> {
            JsonObject page = admin.get("api/suppressions?q=" + t).json();
            assertThat(page.getJsonNumber("total").longValue()).isEqualTo(2);
            JsonObject bounce = item(page, bounced);
            assertThat(bounce.getString("reason")).contains("550 5.1.1");
            assertThat(bounce.getString("sourceOrganizationId")).isEqualTo(a.organizationId());
            assertThat(bounce.isNull("organizationId")).isTrue();
            assertThat(item(page, complainer).getString("organizationId")).isEqualTo(a.organizationId());
        }));
        return tests.stream();
    }

    private static void assertOthersView(JsonObject entry, String email) {
        assertThat(entry.getString("email")).isEqualTo(email);
        assertThat(entry.getBoolean("platformWide")).isTrue();
        assertThat(entry.getString("scope")).isEqualTo("platform");
        assertThat(entry.getString("reason")).contains("platform-wide").doesNotContain("550")
                .doesNotContain("unknown");
        assertThat(entry.isNull("campaignId")).isTrue();
        assertThat(entry.isNull("organizationId")).isTrue();
        assertThat(entry.isNull("sourceOrganizationId")).isTrue();
    }

    private static JsonObject item(JsonObject page, String email) {
        return page.getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(i -> i.getString("email").equals(email)).findFirst()
                .orElseThrow(() -> new AssertionError(email + " not in " + page));
    }

    private static long suppressionId(String email, boolean platformWide) {
        return query("select id from senders_suppressions where email = '" + email + "' and organization_id is "
                + (platformWide ? "" : "not ") + "null", rs -> rs.getLong(1)).get(0);
    }

    private void postSigned(String sesEvent) {
        SnsMessage message = SnsFixtures.notification(sesEvent);
        Api anonymous = Api.anonymous(base);
        Api.Reply reply = anonymous.send(anonymous.request(WEBHOOK)
                .header("Content-Type", "text/plain; charset=UTF-8")
                .header("x-amz-sns-message-type", message.type)
                .POST(HttpRequest.BodyPublishers.ofString(message.body(SnsFixtures.pki()), StandardCharsets.UTF_8)));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static DynamicTest check(String name, String caseClass, SecurityReport.ThrowingRunnable body) {
        return DynamicTest.dynamicTest(name, () -> SecurityReport.check(PART, caseClass, body));
    }

    // ================================================================== MAIL FROM of a shared domain

    @TestFactory
    Stream<DynamicTest> onlyAnOrganizationThatProvedOwnershipChangesASharedMailFrom() {
        String t = tag();
        String domain = "shared-mf-" + t + ".com";
        TestUsers.User ownerUser = TestUsers.inNewOrganization();
        Api owner = Api.as(base, ownerUser);
        Api latecomer = Api.as(base, TestUsers.inNewOrganization());
        Api legacy = Api.as(base, TestUsers.inNewOrganization());
        long ownerId = Campaigns.verifiedDefault(owner, "news@" + domain);
        long latecomerId = Campaigns.senderId(latecomer, "ceo@" + domain);
        long legacyId = Campaigns.senderId(legacy, "billing@" + domain);
        // a squatter verified before issue 16's rule: verified, without any proof of ownership
        sql("update senders set verification_status = 'verified', dkim_status = 'success',"
                + " ownership_verified_at = null where id = " + legacyId);
        TestEnvironment.dns().restartWith(TestEnvironment.zone());
        DbSnapshot.awaitQuiet();

        String caseClass = "MAIL FROM of a shared domain: only an organization that proved ownership changes it";
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(check("the latecomer (not verified) tries", caseClass, () -> {
            refusedWithoutEffect(latecomer, latecomerId, domain, 400);
        }));
        tests.add(check("a verified organization without proof tries", caseClass, () -> {
            Api.Reply reply = refusedWithoutEffect(legacy, legacyId, domain, 403);
            assertThat(reply.json().getString("reason")).isEqualTo("ownership not proven");
            assertThat(reply.json().getString("field")).isEqualTo("id");
        }));
        tests.add(check("the owner changes it; the others see it, read-only", caseClass, () -> {
            Api.Reply set = owner.post("api/senders/" + ownerId + "/mail-from", "");
            assertThat(set.status()).as(set.toString()).isEqualTo(200);
            assertThat(set.json().getJsonObject("sender").getBoolean("mailFromEditable")).isTrue();
            assertThat(TestEnvironment.ses().calls("SetIdentityMailFromDomain"))
                    .filteredOn(c -> domain.equals(c.param("Identity"))).hasSize(1);
            for (var other : List.of(Map.entry(latecomer, latecomerId), Map.entry(legacy, legacyId))) {
                JsonObject sender = other.getKey().get("api/senders/" + other.getValue()).json()
                        .getJsonObject("sender");
                assertThat(sender.getString("mailFromDomain")).isEqualTo("mail." + domain);
                assertThat(sender.getBoolean("mailFromEditable")).isFalse();
            }
            assertThat(query("select count(*) from senders_audit where organization_id = '"
                    + ownerUser.organizationId() + "' and action = 'sender.mail-from-set' and target_id = '"
                    + ownerId + "'", rs -> rs.getLong(1))).containsExactly(1L);
        }));
        return tests.stream();
    }

    private static Api.Reply refusedWithoutEffect(Api api, long id, String domain, int status) {
        int calls = TestEnvironment.ses().calls("SetIdentityMailFromDomain").size();
        DbSnapshot before = DbSnapshot.take();
        Api.Reply reply = api.post("api/senders/" + id + "/mail-from", "{\"mailFromDomain\":\"bounce." + domain
                + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        SecuritySuiteIT.assertProblem(reply);
        assertThat(DbSnapshot.take().changedSince(before)).as("tables changed").isEmpty();
        assertThat(TestEnvironment.ses().calls("SetIdentityMailFromDomain")).hasSize(calls);
        return reply;
    }
}
