package dev.senders.host.it;

import dev.senders.sandbox.SesStub;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Story 1 through the REST API of the deployed module, against the stub SES endpoint (real AWS SDK, real wire format)
 * and the real PostgreSQL. The page parts of V1.x run in headless Chromium (ui.SendersPageIT).
 */
@ExtendWith(ArquillianExtension.class)
class SendersApiIT {

    @ArquillianResource
    URL base;

    private TestUsers.User user;
    private Api api;

    @BeforeEach
    void freshOrganization() {
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
    }

    static String newDomain() {
        return "shop-" + UUID.randomUUID().toString().substring(0, 8) + ".com";
    }

    private JsonObject add(String email) {
        return add(email, 201);
    }

    private JsonObject add(String email, int status) {
        Api.Reply reply = api.post("api/senders", "{\"emailAddress\":\"" + email + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        return reply.json();
    }

    @Test
    void v1_1_migrationCreatedTheSendersTable() throws SQLException {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select count(*) from information_schema.tables where table_name = 'senders'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void v1_6_addingASenderCreatesTheSesDomainIdentityAndDkimTokens() {
        String domain = newDomain();
        JsonObject created = add("news@" + domain);
        assertThat(TestEnvironment.ses().identity(domain)).isPresent();
        assertThat(TestEnvironment.ses().calls("VerifyDomainIdentity").stream()
                .filter(c -> domain.equals(c.params().get("Domain")))).hasSize(1);
        assertThat(TestEnvironment.ses().calls("VerifyDomainDkim").stream()
                .filter(c -> domain.equals(c.params().get("Domain")))).hasSize(1);
        assertThat(created.getJsonObject("sender").getString("verificationStatus")).isEqualTo("pending");
    }

    @Test
    void v1_7_theAnswerCarriesTheTxtRecordThreeDkimCnamesAndSpf() {
        String domain = newDomain();
        JsonArray records = add("news@" + domain).getJsonArray("dnsRecords");
        JsonObject txt = records.getJsonObject(0);
        assertThat(txt.getString("type")).isEqualTo("TXT");
        assertThat(txt.getString("name")).isEqualTo("_amazonses." + domain);
        assertThat(txt.getString("relativeName")).isEqualTo("_amazonses");
        assertThat(txt.getString("value")).isEqualTo(SesStub.verificationTokenFor(domain));
        assertThat(txt.getBoolean("required")).isTrue();

        List<String> tokens = SesStub.dkimTokensFor(domain);
        for (int i = 0; i < 3; i++) {
            JsonObject cname = records.getJsonObject(1 + i);
            assertThat(cname.getString("type")).isEqualTo("CNAME");
            assertThat(cname.getString("name")).isEqualTo(tokens.get(i) + "._domainkey." + domain);
            assertThat(cname.getString("relativeName")).isEqualTo(tokens.get(i) + "._domainkey");
            // ap-southeast-1 publishes DKIM keys under the global DKIM domain
            assertThat(cname.getString("value")).isEqualTo(tokens.get(i) + ".dkim.amazonses.com");
        }
        JsonObject spf = records.getJsonObject(4);
        assertThat(spf.getString("type")).isEqualTo("TXT");
        assertThat(spf.getString("name")).isEqualTo(domain);
        assertThat(spf.getString("relativeName")).isEqualTo("@");
        assertThat(spf.getString("value")).isEqualTo("v=spf1 include:amazonses.com ~all");
        assertThat(spf.getBoolean("required")).isFalse();
        // and DMARC, recommended (issue 17)
        JsonObject dmarc = records.getJsonObject(5);
        assertThat(dmarc.getString("type")).isEqualTo("TXT");
        assertThat(dmarc.getString("name")).isEqualTo("_dmarc." + domain);
        assertThat(dmarc.getString("relativeName")).isEqualTo("_dmarc");
        assertThat(dmarc.getString("value")).isEqualTo("v=DMARC1; p=none;");
        assertThat(dmarc.getString("purpose")).isEqualTo("DMARC");
        assertThat(dmarc.getBoolean("required")).isFalse();
        assertThat(records).hasSize(6);
    }

    @Test
    void subdomainRecordsAreShownRelativeToTheZone() {
        String domain = newDomain();
        JsonArray records = add("news@mail." + domain).getJsonArray("dnsRecords");
        assertThat(records.getJsonObject(0).getString("name")).isEqualTo("_amazonses.mail." + domain);
        assertThat(records.getJsonObject(0).getString("relativeName")).isEqualTo("_amazonses.mail");
        assertThat(records.getJsonObject(0).getString("zone")).isEqualTo(domain);
    }

    @Test
    void v1_10_theListReturnsTheSenderWithAllFieldsNewestFirst() {
        String domain = newDomain();
        add("first@" + domain);
        JsonObject second = add("second@" + domain).getJsonObject("sender");

        JsonObject page = api.get("api/senders?page=1&size=20").json();
        assertThat(page.getJsonNumber("total").longValue()).isEqualTo(2);
        JsonObject newest = page.getJsonArray("items").getJsonObject(0);
        assertThat(newest.getString("emailAddress")).isEqualTo("second@" + domain);
        assertThat(newest.getJsonNumber("id").longValue()).isEqualTo(second.getJsonNumber("id").longValue());
        assertThat(newest.keySet()).contains("id", "emailAddress", "domain", "domainUnicode", "verificationStatus",
                "dkimStatus", "isDefault", "isFullyVerified", "lastVerifiedAt", "verificationError",
                "configurationSetName", "createdAt", "updatedAt");
        assertThat(newest.getString("domain")).isEqualTo(domain);
        assertThat(newest.getBoolean("isDefault")).isFalse();

        JsonObject onePerPage = api.get("api/senders?page=2&size=1").json();
        assertThat(onePerPage.getJsonArray("items").getJsonObject(0).getString("emailAddress"))
                .isEqualTo("first@" + domain);
        assertThat(onePerPage.getJsonNumber("total").longValue()).isEqualTo(2);
    }

    @Test
    void createdAnswersWithLocationAndTheDetailIncludesRecords() {
        Api.Reply reply = api.post("api/senders", "{\"emailAddress\":\"hello@" + newDomain() + "\"}");
        assertThat(reply.status()).isEqualTo(201);
        String location = reply.header("Location");
        long id = reply.json().getJsonObject("sender").getJsonNumber("id").longValue();
        assertThat(location).endsWith("/api/senders/" + id);
        JsonObject detail = api.get("api/senders/" + id).json();
        assertThat(detail.getJsonObject("sender").getJsonNumber("id").longValue()).isEqualTo(id);
        assertThat(detail.getJsonArray("dnsRecords")).hasSize(6);
    }

    @Test
    void v1_11_addingTheSameAddressAgainAnswers409SenderAlreadyExists() {
        String email = "dup@" + newDomain();
        add(email);
        Api.Reply again = api.post("api/senders", "{\"emailAddress\":\"" + email.toUpperCase().replace("DUP@", "dup@")
                + "\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.json().getString("detail")).isEqualTo("Sender already exists");
        assertThat(api.get("api/senders").json().getJsonNumber("total").longValue()).isEqualTo(1);
    }

    @Test
    void v1_12_aDeletedSenderIsHiddenAtOnceRestorableForAWeekThenGoneWithItsSesIdentity() {
        String domain = newDomain();
        long id = add("bye@" + domain).getJsonObject("sender").getJsonNumber("id").longValue();
        assertThat(api.delete("api/senders/" + id).status()).isEqualTo(204);
        assertThat(api.get("api/senders").json().getJsonNumber("total").longValue()).isZero();
        JsonObject deleted = api.get("api/senders?deleted=true").json();
        assertThat(deleted.getJsonArray("items")).hasSize(1);
        JsonObject shown = deleted.getJsonArray("items").getJsonObject(0);
        assertThat(shown.getJsonNumber("id").longValue()).isEqualTo(id);
        assertThat(java.time.OffsetDateTime.parse(shown.getString("restorableUntil")))
                .isBetween(java.time.OffsetDateTime.now().plusDays(6), java.time.OffsetDateTime.now().plusDays(8));
        assertThat(api.delete("api/senders/" + id).status()).as("deleted already").isEqualTo(404);
        assertThat(api.post("api/senders/" + id + "/verify", "").status()).as("restore it first").isEqualTo(409);
        assertThat(TestEnvironment.ses().identity(domain)).as("kept while restorable").isPresent();

        // past the restore window, the background job deletes it for good, and the identity nobody uses
        sql("update senders set deleted_at = now() - interval '8 days' where id = " + id);
        assertThat(api.post("api/senders/" + id + "/restore", "").status()).isEqualTo(410);
        runBackgroundJob();
        assertThat(api.get("api/senders/" + id).status()).isEqualTo(404);
        assertThat(api.get("api/senders?deleted=true").json().getJsonArray("items")).isEmpty();
        assertThat(TestEnvironment.ses().identity(domain)).isEmpty();
    }

    @Test
    void aDeletedSenderIsRestoredWithinTheWindowAsItWas() {
        String domain = newDomain();
        long id = add("back@" + domain).getJsonObject("sender").getJsonNumber("id").longValue();
        TestEnvironment.ses().verifyDomain(domain);
        assertThat(api.post("api/senders/" + id + "/verify", "").status()).isEqualTo(200);
        assertThat(api.post("api/senders/" + id + "/set-default", "").status()).isEqualTo(200);
        assertThat(api.delete("api/senders/" + id).status()).isEqualTo(204);
        assertThat(add("BACK@" + domain, 409).getString("detail")).contains("deleted").contains("restored");

        Api.Reply restored = api.post("api/senders/" + id + "/restore", "");
        assertThat(restored.status()).as(restored.toString()).isEqualTo(200);
        assertThat(restored.json().getString("verificationStatus")).isEqualTo("verified");
        assertThat(restored.json().getBoolean("isDefault")).as("the default again: no other was set").isTrue();
        assertThat(api.get("api/senders").json().getJsonNumber("total").longValue()).isEqualTo(1);
        assertThat(api.post("api/senders/" + id + "/restore", "").status()).as("not deleted").isEqualTo(409);
        assertThat(Campaigns.query("select string_agg(action, ',' order by id) from senders_audit where target_id = '"
                + id + "' and action in ('sender.removed', 'sender.restored')", rs -> rs.getString(1)))
                .containsExactly("sender.removed,sender.restored");
    }

    private void runBackgroundJob() {
        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() ->
                admin.post("api/admin/verification-runs", "").json().isNull("skipped"));
    }

    private static void sql(String statement) {
        Campaigns.sql(statement);
    }

    @Test
    void aSecondSenderOnTheSameDomainReusesTokensAndStatus() {
        String domain = newDomain();
        JsonObject first = add("a@" + domain);
        TestEnvironment.ses().setVerificationStatus(domain, "Success");
        markVerified(first.getJsonObject("sender").getJsonNumber("id").longValue());

        JsonObject second = add("b@" + domain);
        assertThat(second.getJsonObject("sender").getString("verificationStatus")).isEqualTo("verified");
        assertThat(second.getJsonArray("dnsRecords").getJsonObject(0).getString("value"))
                .isEqualTo(first.getJsonArray("dnsRecords").getJsonObject(0).getString("value"));
        assertThat(TestEnvironment.ses().calls("VerifyDomainIdentity").stream()
                .filter(c -> domain.equals(c.params().get("Domain")))).hasSize(1);
    }

    @Test
    void theSesIdentityStaysWhileAnotherOrganizationStillUsesTheDomain() {
        String domain = newDomain();
        long mine = add("news@" + domain).getJsonObject("sender").getJsonNumber("id").longValue();
        Api other = Api.as(base, TestUsers.inNewOrganization());
        assertThat(other.post("api/senders", "{\"emailAddress\":\"news@" + domain + "\"}").status()).isEqualTo(201);

        assertThat(api.delete("api/senders/" + mine).status()).isEqualTo(204);
        sql("update senders set deleted_at = now() - interval '8 days' where id = " + mine);
        runBackgroundJob();
        assertThat(api.get("api/senders/" + mine).status()).as("deleted for good").isEqualTo(404);
        assertThat(TestEnvironment.ses().identity(domain)).isPresent();
    }

    @Test
    void aSenderUsedByASendingCampaignCannotBeRemoved() throws SQLException {
        String email = "campaign@" + newDomain();
        long id = add(email).getJsonObject("sender").getJsonNumber("id").longValue();
        // a campaign 'sending' with one item claimed just now by another worker: the host's resume job (every 15 s)
        // leaves it alone while the test runs (an empty one it would complete, under this test or the next)
        try (var c = TestEnvironment.db().getConnection(); var insert = c.prepareStatement(
                "with campaign as (insert into campaigns (organization_id, name, sender_email, subject, status)"
                        + " values (?, 'Winter sale', ?, 'Hi', 'sending') returning id)"
                        + " insert into campaign_items (campaign_id, organization_id, recipient, status, claimed_by,"
                        + " claimed_at) select id, ?, 'reader@inbox.net', 'sending', 'another-worker', now()"
                        + " from campaign")) {
            insert.setString(1, user.organizationId());
            insert.setString(2, email);
            insert.setString(3, user.organizationId());
            insert.executeUpdate();
        }
        try {
            Api.Reply refused = api.delete("api/senders/" + id);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().getString("detail")).contains("Winter sale");
            assertThat(api.get("api/senders/" + id).status()).isEqualTo(200);
        } finally {
            // not left behind for the resume job to take up inside whatever test runs then (ReputationIT once saw
            // its 'campaigns' table change when an empty one left here was completed)
            Campaigns.sql("delete from campaign_items where organization_id = '" + user.organizationId() + "'");
            Campaigns.sql("delete from campaigns where organization_id = '" + user.organizationId()
                    + "' and name = 'Winter sale'");
        }
    }

    @Test
    void anotherOrganizationClaimingTheDomainMustProveOwnershipAndDoesNotInheritTheStatus() {
        String domain = newDomain();
        JsonObject first = add("news@" + domain);
        // The first organization alone on the domain: no extra record.
        assertThat(purposes(first.getJsonArray("dnsRecords"))).doesNotContain("Ownership");
        TestEnvironment.ses().setVerificationStatus(domain, "Success");
        markVerified(first.getJsonObject("sender").getJsonNumber("id").longValue());

        for (String claim : List.of("news@" + domain, "x@mail." + domain)) {
            Api intruder = Api.as(base, TestUsers.inNewOrganization());
            JsonObject theirs = intruder.post("api/senders", "{\"emailAddress\":\"" + claim + "\"}").json();
            assertThat(theirs.getJsonObject("sender").getString("verificationStatus")).isEqualTo("pending");
            assertThat(theirs.getJsonObject("sender").getBoolean("ownershipRequired")).isTrue();
            JsonObject ownership = theirs.getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                    .filter(r -> r.getString("purpose").equals("Ownership")).findFirst().orElseThrow();
            assertThat(ownership.getString("type")).isEqualTo("TXT");
            assertThat(ownership.getString("name")).startsWith("_senders-verification.");
            assertThat(ownership.getString("value")).startsWith("senders-verification=");
            assertThat(ownership.getBoolean("required")).isTrue();
        }
    }

    @Test
    void aParentDomainOfAnotherOrganizationsDomainAlsoNeedsOwnership() {
        String domain = newDomain();
        add("news@mail." + domain);
        Api intruder = Api.as(base, TestUsers.inNewOrganization());
        JsonObject theirs = intruder.post("api/senders", "{\"emailAddress\":\"boss@" + domain + "\"}").json();
        assertThat(theirs.getJsonObject("sender").getBoolean("ownershipRequired")).isTrue();
    }

    @Test
    void idnAddressesAreStoredAsALabelsAndShownInBothForms() {
        String label = "bücher-" + UUID.randomUUID().toString().substring(0, 6);
        JsonObject sender = add("info@" + label + ".de").getJsonObject("sender");
        assertThat(sender.getString("domain")).startsWith("xn--").endsWith(".de");
        assertThat(sender.getString("domainUnicode")).isEqualTo(label + ".de");
    }

    @Test
    void anSesErrorIsAClearProblemAndChangesNothing() {
        TestEnvironment.ses().failNext("VerifyDomainIdentity", 1, 400, "InvalidParameterValue",
                "Invalid domain name");
        String domain = newDomain();
        Api.Reply reply = api.post("api/senders", "{\"emailAddress\":\"x@" + domain + "\"}");
        assertThat(reply.status()).isEqualTo(502);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().getString("detail")).contains("Amazon SES").contains("InvalidParameterValue");
        assertThat(reply.body()).doesNotContain("at software.amazon");
        assertThat(api.get("api/senders").json().getJsonNumber("total").longValue()).isZero();
    }

    @Test
    void sesThrottlingIsRetriedWithBackoff() {
        TestEnvironment.ses().failNext("VerifyDomainDkim", 2, 400, "Throttling", "Rate exceeded");
        String domain = newDomain();
        add("retry@" + domain);
        assertThat(TestEnvironment.ses().calls("VerifyDomainDkim").stream()
                .filter(c -> domain.equals(c.params().get("Domain")))).hasSize(3);
    }

    private static List<String> purposes(JsonArray records) {
        return records.stream().map(r -> ((JsonObject) r).getString("purpose")).toList();
    }

    /** Until Story 2's verification lands in a test, mark verified as the verifier would. */
    static void markVerified(long id) {
        try (var c = TestEnvironment.db().getConnection(); var u = c.prepareStatement(
                "update senders set verification_status = 'verified', dkim_status = 'success' where id = ?")) {
            u.setLong(1, id);
            u.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
