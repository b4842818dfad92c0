package dev.senders.host.it;

import dev.senders.sandbox.LocalDnsServer;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Story 2 on the deployed module: verification on demand with per-record truth from a real DNS server (dnsmasq on
 * 127.0.0.1) and the stub SES, the cooldown, the background sweep, events to the host, and the default sender.
 */
@ExtendWith(ArquillianExtension.class)
class VerificationIT {

    @ArquillianResource
    URL base;

    private TestUsers.User user;
    private Api api;
    private String domain;

    @BeforeEach
    void freshOrganization() {
        user = TestUsers.inNewOrganization();
        api = Api.as(base, user);
        domain = "verify-" + UUID.randomUUID().toString().substring(0, 8) + ".com";
    }

    private long add(String email) {
        Api.Reply reply = api.post("api/senders", "{\"emailAddress\":\"" + email + "\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().getJsonObject("sender").getJsonNumber("id").longValue();
    }

    private JsonObject verify(long id) {
        Api.Reply reply = api.post("api/senders/" + id + "/verify", "");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json();
    }

    /** Lets the next verify of this sender through at once (the cooldown itself is tested in V2.11). */
    private static void endCooldown(long id) {
        sql("update senders set verify_requested_at = null where id = " + id);
    }

    private static Map<String, JsonObject> recordsByPurpose(JsonObject answer) {
        return answer.getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                .collect(Collectors.toMap(r -> r.getString("purpose") + ":" + r.getString("name"), r -> r,
                        (a, b) -> a, java.util.LinkedHashMap::new));
    }

    private JsonObject record(JsonObject answer, String purpose) {
        return answer.getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("purpose").equals(purpose)).findFirst().orElseThrow();
    }

    private LocalDnsServer.Zone correctZone() {
        LocalDnsServer.Zone zone = TestEnvironment.zone()
                .txt("_amazonses." + domain, SesStub.verificationTokenFor(domain))
                .txt(domain, "v=spf1 include:amazonses.com ~all");
        for (String token : SesStub.dkimTokensFor(domain)) {
            zone = zone.cname(token + "._domainkey." + domain, token + ".dkim.amazonses.com");
        }
        return zone;
    }

    @Test
    void v2_1_verifyingRightAwayLeavesThePendingStatusWithoutAnError() {
        TestEnvironment.dns().restartWith(TestEnvironment.zone());
        long id = add("news@" + domain);
        JsonObject answer = verify(id);
        JsonObject sender = answer.getJsonObject("sender");
        assertThat(sender.getString("verificationStatus")).isEqualTo("pending");
        assertThat(sender.getString("verificationError")).contains("_amazonses." + domain);
        JsonObject details = answer.getJsonObject("verificationDetails");
        assertThat(details.getString("domainStatus")).isEqualTo("Pending");
        assertThat(details.getBoolean("isFullyVerified")).isFalse();
        assertThat(details.getString("lastCheckedAt")).isNotBlank();
        assertThat(record(answer, "Domain verification").getString("status")).isEqualTo("missing");
        assertThat(TestEnvironment.ses().callCount("GetIdentityVerificationAttributes")).isPositive();
    }

    @Test
    void v2_2_to_v2_5_recordsThenSesThenDkimLeadToVerified() {
        long id = add("news@" + domain);
        // V2.2: the TXT record is published (DNS says found) though SES has not looked yet
        TestEnvironment.dns().restartWith(correctZone());
        JsonObject afterDns = verify(id);
        assertThat(record(afterDns, "Domain verification").getString("status")).isEqualTo("found");
        assertThat(record(afterDns, "SPF").getString("status")).isEqualTo("found");
        assertThat(afterDns.getJsonObject("sender").getString("verificationStatus")).isEqualTo("pending");

        // V2.3: SES finds the TXT record: the domain is verified, DKIM still pending
        TestEnvironment.ses().setVerificationStatus(domain, "Success");
        endCooldown(id);
        JsonObject domainVerified = verify(id);
        assertThat(domainVerified.getJsonObject("verificationDetails").getString("domainStatus"))
                .isEqualTo("Success");
        assertThat(domainVerified.getJsonObject("sender").getString("verificationStatus")).isEqualTo("verifying");
        assertThat(domainVerified.getJsonObject("sender").getString("verificationError")).contains("DKIM");
        assertThat(domainVerified.getJsonObject("verificationDetails").getBoolean("isFullyVerified")).isFalse();

        // V2.4 + V2.5: the DKIM CNAMEs resolve and SES says Success: fully verified
        TestEnvironment.ses().setDkimStatus(domain, "Success");
        endCooldown(id);
        JsonObject verified = verify(id);
        assertThat(verified.getJsonObject("sender").getString("verificationStatus")).isEqualTo("verified");
        assertThat(verified.getJsonObject("sender").getString("dkimStatus")).isEqualTo("success");
        assertThat(verified.getJsonObject("verificationDetails").getString("dkimStatus")).isEqualTo("Success");
        assertThat(verified.getJsonObject("verificationDetails").getBoolean("isFullyVerified")).isTrue();
        assertThat(verified.getJsonObject("sender").isNull("verificationError")).isTrue();
        // every record the test published is found; DMARC (recommended, not required) was not published here
        verified.getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                .filter(r -> !r.getString("purpose").equals("DMARC"))
                .forEach(r -> assertThat(r.getString("status")).as(r.toString()).isEqualTo("found"));
        JsonObject dmarc = record(verified, "DMARC");
        assertThat(dmarc.getBoolean("required")).isFalse();
        assertThat(dmarc.getString("status")).isEqualTo("warning");
        assertThat(dmarc.getString("diagnosis")).isEqualTo("dmarc_missing");
        assertThat(recordsByPurpose(verified).values().stream()
                .filter(r -> r.getString("purpose").equals("DKIM")).map(r -> r.getString("sesStatus")))
                .containsOnly("Success");

        // V2.6 (API part): the details behind the badge's tooltip
        JsonObject shown = api.get("api/senders/" + id).json().getJsonObject("sender");
        assertThat(shown.getString("verificationStatus")).isEqualTo("verified");
        assertThat(shown.getString("lastVerifiedAt")).isNotBlank();

        // the host heard about it
        assertThat(hostEvents(id, "verified")).isEqualTo(1);
    }

    @Test
    void everySenderOfTheOrganizationOnTheDomainIsUpdatedTogether() {
        long first = add("a@" + domain);
        long second = add("b@" + domain);
        TestEnvironment.ses().verifyDomain(domain);
        verify(first);
        assertThat(api.get("api/senders/" + second).json().getJsonObject("sender").getString("verificationStatus"))
                .isEqualTo("verified");
    }

    @Test
    void recordsCarryDiagnosesOfCommonMistakesAndDnsFailuresAreNotMissing() {
        long id = add("news@" + domain);
        List<String> tokens = SesStub.dkimTokensFor(domain);
        TestEnvironment.dns().restartWith(TestEnvironment.zone()
                // the zone typed twice
                .txt("_amazonses." + domain + "." + domain, SesStub.verificationTokenFor(domain))
                // Cloudflare's proxy flattens the first DKIM CNAME into A records
                .address(tokens.get(0) + "._domainkey." + domain, "104.21.3.4")
                .txt(domain, "v=spf1 include:_spf.google.com ~all"));
        JsonObject answer = verify(id);
        JsonObject txt = record(answer, "Domain verification");
        assertThat(txt.getString("status")).isEqualTo("missing");
        assertThat(txt.getString("diagnosis")).isEqualTo("zone_appended_twice");
        assertThat(txt.getString("advice")).isNotBlank();
        JsonObject proxied = answer.getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("name").startsWith(tokens.get(0))).findFirst().orElseThrow();
        assertThat(proxied.getString("diagnosis")).isEqualTo("cloudflare_proxied");
        assertThat(proxied.getString("advice")).contains("DNS only");
        JsonObject spf = record(answer, "SPF");
        assertThat(spf.getString("status")).isEqualTo("warning");
        assertThat(spf.getString("diagnosis")).isEqualTo("spf_missing_include");
    }

    @Test
    void v2_11_theCooldownAnswers429WithRetryAfterAndCallsNoSes() {
        long id = add("news@" + domain);
        verify(id);
        int before = TestEnvironment.ses().callCount("GetIdentityVerificationAttributes");
        Api.Reply again = api.post("api/senders/" + id + "/verify", "");
        assertThat(again.status()).isEqualTo(429);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(Integer.parseInt(again.header("Retry-After"))).isBetween(1, 30);
        assertThat(TestEnvironment.ses().callCount("GetIdentityVerificationAttributes")).isEqualTo(before);
        assertThat(api.get("api/senders/" + id).json().getJsonNumber("verifyCooldownSeconds").longValue())
                .isBetween(1L, 30L);
    }

    @Test
    void anotherOrganizationsDomainNeedsItsOwnOwnershipRecordBeforeItIsVerified() {
        long mine = add("news@" + domain);
        TestEnvironment.ses().verifyDomain(domain);
        assertThat(verify(mine).getJsonObject("sender").getString("verificationStatus")).isEqualTo("verified");

        Api intruder = Api.as(base, TestUsers.inNewOrganization());
        JsonObject theirs = intruder.post("api/senders", "{\"emailAddress\":\"ceo@" + domain + "\"}").json();
        long theirId = theirs.getJsonObject("sender").getJsonNumber("id").longValue();
        JsonObject checked = intruder.post("api/senders/" + theirId + "/verify", "").json();
        // SES says Success for the whole account, yet the newcomer is not verified without its own record
        assertThat(checked.getJsonObject("verificationDetails").getString("domainStatus")).isEqualTo("Success");
        assertThat(checked.getJsonObject("sender").getString("verificationStatus")).isEqualTo("verifying");
        assertThat(checked.getJsonObject("sender").getString("verificationError")).contains("_senders-verification");
        assertThat(intruder.post("api/senders/" + theirId + "/set-default", "").status()).isEqualTo(400);

        // once it publishes its ownership record, it is verified too
        JsonObject ownership = record(checked, "Ownership");
        TestEnvironment.dns().restartWith(TestEnvironment.zone()
                .txt(ownership.getString("name"), ownership.getString("value")));
        endCooldown(theirId);
        JsonObject proven = intruder.post("api/senders/" + theirId + "/verify", "").json();
        assertThat(proven.getJsonObject("sender").getString("verificationStatus")).isEqualTo("verified");
        // and the first organization stayed verified throughout
        assertThat(api.get("api/senders/" + mine).json().getJsonObject("sender").getString("verificationStatus"))
                .isEqualTo("verified");
    }

    @Test
    void v2_8_anUnverifiedSenderCannotBeTheDefault() {
        long id = add("news@" + domain);
        Api.Reply refused = api.post("api/senders/" + id + "/set-default", "");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().getString("detail")).isEqualTo("Sender must be verified before setting as default");
        assertThat(api.get("api/senders/" + id).json().getJsonObject("sender").getBoolean("isDefault")).isFalse();
    }

    @Test
    void v2_9_and_v2_10_aVerifiedSenderBecomesTheOneDefault() {
        long first = add("first@" + domain);
        String other = "other-" + domain;
        long second = add("second@" + other);
        TestEnvironment.ses().verifyDomain(domain);
        TestEnvironment.ses().verifyDomain(other);
        verify(first);
        verify(second);

        Api.Reply set = api.post("api/senders/" + first + "/set-default", "");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().getBoolean("isDefault")).isTrue();

        assertThat(api.post("api/senders/" + second + "/set-default", "").json().getBoolean("isDefault")).isTrue();
        assertThat(api.get("api/senders/" + first).json().getJsonObject("sender").getBoolean("isDefault")).isFalse();
        assertThat(defaults(user.organizationId())).isEqualTo(1);
    }

    @Test
    void aFailedVerificationCanBeRestarted() {
        long id = add("news@" + domain);
        TestEnvironment.ses().setVerificationStatus(domain, "Failed");
        JsonObject failed = verify(id).getJsonObject("sender");
        assertThat(failed.getString("verificationStatus")).isEqualTo("failed");
        assertThat(failed.getString("verificationError")).contains("72 hours");
        assertThat(hostEvents(id, "failed")).isEqualTo(1);

        int before = countFor("VerifyDomainIdentity", domain);
        Api.Reply restarted = api.post("api/senders/" + id + "/restart-verification", "");
        assertThat(restarted.status()).as(restarted.toString()).isEqualTo(200);
        assertThat(restarted.json().getString("verificationStatus")).isEqualTo("pending");
        assertThat(countFor("VerifyDomainIdentity", domain)).isEqualTo(before + 1);
        assertThat(api.post("api/senders/" + id + "/restart-verification", "").status()).isEqualTo(409);
    }

    @Test
    void v2_7_theBackgroundSweepChecksDistinctDomainsInBatchesOf100() throws Exception {
        // 250 pending domains across 3 organizations, 2 senders on some of them
        sql("update senders set verification_status = 'verified', dkim_status = 'success'"
                + " where verification_status in ('pending', 'verifying')");
        List<String> domains = new ArrayList<>();
        String[] orgs = {TestUsers.newOrganization(), TestUsers.newOrganization(), TestUsers.newOrganization()};
        try (var c = TestEnvironment.db().getConnection(); var insert = c.prepareStatement(
                "insert into senders (organization_id, email_address, domain) values (?, ?, ?)")) {
            for (int i = 0; i < 250; i++) {
                String d = "sweep" + i + "-" + domain;
                domains.add(d);
                for (int copy = 0; copy < (i % 5 == 0 ? 2 : 1); copy++) {
                    insert.setString(1, orgs[i % 3]);
                    insert.setString(2, "n" + copy + "@" + d);
                    insert.setString(3, d);
                    insert.addBatch();
                }
                TestEnvironment.ses().setVerificationStatus(d, i < 100 ? "Success" : "Pending");
                TestEnvironment.ses().setDkimStatus(d, i < 100 ? "Success" : "Pending");
            }
            insert.executeBatch();
        }
        int verificationCalls = TestEnvironment.ses().callCount("GetIdentityVerificationAttributes");
        int dkimCalls = TestEnvironment.ses().callCount("GetIdentityDkimAttributes");

        // two runs at once: one does the work, the other stands aside
        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        List<JsonObject> runs = parallel(2, () -> admin.post("api/admin/verification-runs", "").json());
        List<JsonObject> worked = runs.stream().filter(r -> r.isNull("skipped")).toList();
        assertThat(worked).hasSize(1);
        assertThat(worked.get(0).getInt("checked")).isEqualTo(250);
        assertThat(worked.get(0).getInt("sesCalls")).isEqualTo(6);
        assertThat(TestEnvironment.ses().callCount("GetIdentityVerificationAttributes") - verificationCalls)
                .isEqualTo(3);
        assertThat(TestEnvironment.ses().callCount("GetIdentityDkimAttributes") - dkimCalls).isEqualTo(3);
        assertThat(runs.stream().filter(r -> !r.isNull("skipped")).findFirst().orElseThrow().getString("skipped"))
                .contains("in progress");

        // every sender of the 100 verified domains is verified, the rest still pending
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement();
             var rs = s.executeQuery("select verification_status, count(*) from senders where domain like 'sweep%-"
                     + domain + "' group by verification_status order by 1")) {
            Map<String, Integer> counts = new java.util.HashMap<>();
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
            assertThat(counts).containsEntry("verified", 120).containsEntry("pending", 180);
        }
        // only an admin may start a run
        assertThat(api.post("api/admin/verification-runs", "").status()).isEqualTo(403);
    }

    @Test
    void aVerifiedDomainGetsACustomMailFromDomainWithItsRecordsChecked() {
        long id = add("news@" + domain);
        // not before the domain is verified
        assertThat(api.post("api/senders/" + id + "/mail-from", "").status()).isEqualTo(400);
        TestEnvironment.ses().verifyDomain(domain);
        verify(id);

        // a name that already has a CNAME cannot take an MX
        TestEnvironment.dns().restartWith(TestEnvironment.zone().cname("mail." + domain, "elsewhere.net"));
        Api.Reply cname = api.post("api/senders/" + id + "/mail-from", "");
        assertThat(cname.status()).as(cname.toString()).isEqualTo(400);
        assertThat(cname.json().getString("field")).isEqualTo("mailFromDomain");
        assertThat(cname.json().getString("reason")).isEqualTo("has a CNAME record");
        // nor a name outside the domain
        Api.Reply outside = api.post("api/senders/" + id + "/mail-from", "{\"mailFromDomain\":\"bounce.other.com\"}");
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.json().getString("field")).isEqualTo("mailFromDomain");
        assertThat(outside.json().getString("reason")).isEqualTo("not-a-subdomain");

        TestEnvironment.dns().restartWith(TestEnvironment.zone()
                .mx("mail." + domain, "feedback-smtp.ap-southeast-1.amazonses.com", 10)
                .txt("mail." + domain, "v=spf1 include:amazonses.com ~all"));
        // no body at all (and so no Content-Type): the default MAIL FROM domain
        Api.Reply set = api.send(api.request("api/senders/" + id + "/mail-from")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        JsonObject sender = set.json().getJsonObject("sender");
        assertThat(sender.getString("mailFromDomain")).isEqualTo("mail." + domain);
        assertThat(sender.getString("mailFromStatus")).isEqualTo("Pending");
        JsonObject mx = set.json().getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("type").equals("MX")).findFirst().orElseThrow();
        assertThat(mx.getString("name")).isEqualTo("mail." + domain);
        assertThat(mx.getString("value")).isEqualTo("10 feedback-smtp.ap-southeast-1.amazonses.com");
        assertThat(mx.getString("status")).isEqualTo("found");
        assertThat(set.json().getJsonArray("dnsRecords").stream().map(JsonObject.class::cast)
                .filter(r -> r.getString("purpose").equals("MAIL FROM") && r.getString("type").equals("TXT"))
                .findFirst().orElseThrow().getString("status")).isEqualTo("found");
        SesStub.Call call = TestEnvironment.ses().calls("SetIdentityMailFromDomain").stream()
                .filter(c -> domain.equals(c.params().get("Identity"))).findFirst().orElseThrow();
        assertThat(call.params()).containsEntry("MailFromDomain", "mail." + domain)
                .containsEntry("BehaviorOnMXFailure", "UseDefaultValue");

        // the background job picks up SES's confirmation
        TestEnvironment.ses().setMailFromStatus(domain, "Success");
        Api admin = Api.as(base, TestUsers.create("platform", "user", "senders-admin"));
        assertThat(admin.post("api/admin/verification-runs", "").status()).isEqualTo(200);
        assertThat(api.get("api/senders/" + id).json().getJsonObject("sender").getString("mailFromStatus"))
                .isEqualTo("Success");
    }

    private static int countFor(String action, String domain) {
        return (int) TestEnvironment.ses().calls(action).stream()
                .filter(c -> c.params().containsValue(domain)).count();
    }

    private static <T> List<T> parallel(int n, Callable<T> task) throws Exception {
        return Parallel.run(n, task);
    }

    private static int defaults(String organizationId) {
        try (var c = TestEnvironment.db().getConnection(); var q = c.prepareStatement(
                "select count(*) from senders where organization_id = ? and is_default")) {
            q.setString(1, organizationId);
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int hostEvents(long senderId, String kind) {
        try (var c = TestEnvironment.db().getConnection(); var q = c.prepareStatement(
                "select count(*) from host_sender_events where sender_id = ? and kind = ?")) {
            q.setLong(1, senderId);
            q.setString(2, kind);
            try (var rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sql(String statement) {
        try (var c = TestEnvironment.db().getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
