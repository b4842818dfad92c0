package dev.senders.infrastructure.dns;

import dev.senders.sandbox.LocalDnsServer;

import dev.senders.domain.model.DnsRecord;
import dev.senders.domain.model.DnsRecords;
import dev.senders.domain.model.Sender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.senders.infrastructure.dns.Diagnosis.CLOUDFLARE_PROXIED;
import static dev.senders.infrastructure.dns.Diagnosis.DNS_FAILURE;
import static dev.senders.infrastructure.dns.Diagnosis.DNS_TIMEOUT;
import static dev.senders.infrastructure.dns.Diagnosis.MULTIPLE_SPF;
import static dev.senders.infrastructure.dns.Diagnosis.NAME_IN_VALUE;
import static dev.senders.infrastructure.dns.Diagnosis.NOT_FOUND;
import static dev.senders.infrastructure.dns.Diagnosis.QUOTED_VALUE;
import static dev.senders.infrastructure.dns.Diagnosis.SPF_MISSING;
import static dev.senders.infrastructure.dns.Diagnosis.SPF_MISSING_INCLUDE;
import static dev.senders.infrastructure.dns.Diagnosis.WRONG_TYPE;
import static dev.senders.infrastructure.dns.Diagnosis.WRONG_VALUE;
import static dev.senders.infrastructure.dns.Diagnosis.ZONE_APPENDED_TO_TARGET;
import static dev.senders.infrastructure.dns.Diagnosis.ZONE_APPENDED_TWICE;
import static dev.senders.infrastructure.dns.RecordStatus.FOUND;
import static dev.senders.infrastructure.dns.RecordStatus.MISMATCH;
import static dev.senders.infrastructure.dns.RecordStatus.MISSING;
import static dev.senders.infrastructure.dns.RecordStatus.UNKNOWN;
import static dev.senders.infrastructure.dns.RecordStatus.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

/** Against a real DNS server: dnsmasq on 127.0.0.1 (FAILS, does not skip, when dnsmasq is not installed). */
class DnsRecordCheckerTest {

    static final String SPF = DnsRecords.SPF_VALUE;
    static final String DKIM = "dkim.amazonses.com";
    static final String LONG = "k=rsa; p=" + "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA".repeat(7);

    static final LocalDnsServer.Zone ZONE = LocalDnsServer.Zone.of("test")
            // a correct setup, with other TXT records around and the SPF of another provider kept
            .txt("_amazonses.good.test", "tok-good")
            .cname("a1._domainkey.good.test", "a1.dkim.amazonses.com")
            .cname("b2._domainkey.good.test", "b2.dkim.amazonses.com")
            .cname("c3._domainkey.good.test", "c3.dkim.amazonses.com")
            .txt("good.test", "google-site-verification=xyz")
            .txt("good.test", "v=spf1 include:_spf.google.com include:amazonses.com ~all")
            .txt("_senders-verification.good.test", "senders-verification=own-good")
            .txt("_dmarc.good.test", "v=DMARC1; p=none; rua=mailto:dmarc@good.test")
            // DMARC: a strict policy of the owner's, two records, broken ones
            .txt("_dmarc.strict.test", "v=DMARC1; p=reject; adkim=s; aspf=s; pct=100")
            .txt("_dmarc.twodmarc.test", "v=DMARC1; p=none")
            .txt("_dmarc.twodmarc.test", "v=DMARC1; p=quarantine")
            .txt("_dmarc.nopolicy.test", "v=DMARC1; rua=mailto:d@nopolicy.test")
            .txt("_dmarc.badpolicy.test", "v=DMARC1; p=block")
            .txt("_dmarc.badrua.test", "v=DMARC1; p=none; rua=d@badrua.test")
            .txt("_dmarc.quoteddmarc.test", "\"v=DMARC1; p=none\"")
            .txt("_dmarc.twicedmarc.test.twicedmarc.test", "v=DMARC1; p=none")
            // the full name typed into a panel that appends the zone
            .txt("_amazonses.twice.test.twice.test", "tok-twice")
            .cname("a1._domainkey.twice.test.twice.test", "a1.dkim.amazonses.com")
            .txt("twice.test.twice.test", SPF)
            // Cloudflare proxy on (orange cloud): the DKIM name answers with addresses
            .address("a1._domainkey.proxied.test", "104.21.1.1", "2606:4700::6812:101")
            // quotes typed into the value field
            .txt("_amazonses.quoted.test", "\"tok-quoted\"")
            .txt("_senders-verification.quoted.test", "\"senders-verification=", "own-quoted\"")
            .cnameExact("a1._domainkey.quoted.test", "\"a1.dkim.amazonses.com\"")
            .cnameExact("b2._domainkey.quoted.test", "\"b2.dkim.amazonses.com\".quoted.test")
            .txt("quoted.test", "\"" + SPF + "\"")
            // name and value pasted together
            .txt("_amazonses.named.test", "_amazonses.named.test tok-named")
            .txt("_senders-verification.named.test", "_senders-verification=senders-verification=own-named")
            .cname("a1._domainkey.named.test", "a1._domainkey.named.test.a1.dkim.amazonses.com")
            .txt("named.test", "named.test " + SPF)
            // SPF mistakes
            .txt("multi.test", "v=spf1 include:_spf.google.com ~all")
            .txt("multi.test", SPF)
            .txt("noinclude.test", "v=spf1 include:_spf.google.com ~all")
            .txt("late.test", "v=spf1 include:_spf.google.com ~all include:amazonses.com")
            .txt("nospf.test", "google-site-verification=abc")
            // other values
            .txt("_amazonses.wrong.test", "tok-from-last-year")
            .txt("_amazonses.wrong.test", "something-else")
            .cname("a1._domainkey.wrong.test", "a1.dkim.sendgrid.net")
            .cname("a1._domainkey.dot.test", "a1.dkim.amazonses.com.dot.test")
            .txt("a1._domainkey.type.test", "a1.dkim.amazonses.com")
            // long values split in 255-byte strings, several strings
            .txt("_amazonses.long.test", "tok-", "long")
            .txt("long.test", "v=spf1 include:amazonses.com", " ~all")
            .txt("a1._domainkey.long.test", LONG.substring(0, 255), LONG.substring(255))
            // case of CNAME targets
            .cnameExact("a1._domainkey.case.test", "A1.DKIM.AmazonSES.com.")
            .cname("b2._domainkey.case.test", "b2.dkim.amazonses.com")
            // names that exist with other types only (NODATA)
            .mx("_amazonses.nodata.test", "mx.nodata.test", 10)
            .mx("a1._domainkey.nodata.test", "mx.nodata.test", 10)
            .mx("nodata.test", "mx.nodata.test", 10)
            .mx("mail.mx.test", "feedback-smtp.us-east-1.amazonses.com", 10);

    static LocalDnsServer dns;
    static DnsRecordChecker checker;

    @BeforeAll
    static void startDns() {
        dns = LocalDnsServer.start(ZONE);
        checker = DnsRecordChecker.forServer(LocalDnsServer.HOST, dns.port(), Duration.ofSeconds(2));
    }

    @AfterAll
    static void stopDns() {
        if (dns != null) {
            dns.close();
        }
    }

    // ---------------------------------------------------------------------------------------------- helpers

    static DnsRecord txt(String name, String zone, String value) {
        return new DnsRecord("TXT", name, DnsRecords.relativeName(name, zone), zone, value, true, "Domain verification");
    }

    static DnsRecord verification(String domain, String token) {
        return txt("_amazonses." + domain, domain, token);
    }

    static DnsRecord ownership(String domain, String token) {
        return txt(DnsRecords.OWNERSHIP_PREFIX + domain, domain, DnsRecords.OWNERSHIP_VALUE_PREFIX + token);
    }

    static DnsRecord dkim(String domain, String token) {
        String name = token + "._domainkey." + domain;
        return new DnsRecord("CNAME", name, DnsRecords.relativeName(name, domain), domain, token + "." + DKIM, true,
                "DKIM");
    }

    static DnsRecord spf(String domain) {
        return new DnsRecord("TXT", domain, "@", domain, SPF, false, "SPF");
    }

    RecordCheck check(DnsRecord record) {
        RecordCheck result = checker.check(record);
        assertThat(result.record()).isEqualTo(record);
        if (result.status() == FOUND) {
            assertThat(result.diagnosis()).isNull();
            assertThat(result.advice()).isNull();
        } else {
            assertThat(result.diagnosis()).as("diagnosis of %s\n%s", result, dns.log()).isNotNull();
            assertThat(result.advice()).as("advice of %s", result).isNotBlank().endsWith(".");
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ tests

    @Test
    void aCorrectSetupIsFoundEntirely() {
        Sender sender = new Sender("org-1", "hello@good.test", "good.test");
        sender.setVerificationToken("tok-good");
        sender.setDkimTokens(List.of("a1", "b2", "c3"));
        sender.setOwnershipRequired(true);
        sender.setOwnershipToken("own-good");
        List<DnsRecord> records = DnsRecords.of(sender, "good.test", DKIM, "ap-southeast-1");
        assertThat(records).hasSize(7);

        List<RecordCheck> checks = checker.check(records);

        assertThat(checks).extracting(RecordCheck::record).containsExactlyElementsOf(records);
        assertThat(checks).as(dns.log()).allSatisfy(c -> {
            assertThat(c.status()).as(c.toString()).isEqualTo(FOUND);
            assertThat(c.diagnosis()).isNull();
            assertThat(c.advice()).isNull();
            assertThat(c.ok()).isTrue();
        });
        assertThat(checks.get(0).found()).containsExactly("tok-good");
        assertThat(checks.get(1).found()).containsExactly("a1.dkim.amazonses.com");
        assertThat(checks.get(4).found()).as("the SPF record only, not the other TXT records")
                .containsExactly("v=spf1 include:_spf.google.com include:amazonses.com ~all");
    }

    @Test
    void aMissingRecordIsMissingNotUnknown() {
        RecordCheck nxdomain = check(verification("missing.test", "tok"));
        assertThat(nxdomain.status()).isEqualTo(MISSING);
        assertThat(nxdomain.diagnosis()).isEqualTo(NOT_FOUND);
        assertThat(nxdomain.found()).isEmpty();
        assertThat(nxdomain.advice()).isEqualTo("No TXT record exists at _amazonses.missing.test yet: add one with"
                + " name _amazonses and value tok (new records can take a few minutes to appear).");

        RecordCheck dkim = check(dkim("missing.test", "a1"));
        assertThat(dkim.status()).isEqualTo(MISSING);
        assertThat(dkim.diagnosis()).isEqualTo(NOT_FOUND);
        assertThat(dkim.advice()).contains("name a1._domainkey and value a1.dkim.amazonses.com");
    }

    @Test
    void aNameWithOtherTypesOnlyIsMissing() {
        RecordCheck txt = check(verification("nodata.test", "tok"));
        assertThat(txt.status()).isEqualTo(MISSING);
        assertThat(txt.diagnosis()).isEqualTo(NOT_FOUND);

        RecordCheck cname = check(dkim("nodata.test", "a1"));
        assertThat(cname.status()).isEqualTo(MISSING);
        assertThat(cname.diagnosis()).isEqualTo(NOT_FOUND);
    }

    @Test
    void zoneAppendedTwice() {
        RecordCheck txt = check(verification("twice.test", "tok-twice"));
        assertThat(txt.status()).isEqualTo(MISSING);
        assertThat(txt.diagnosis()).isEqualTo(ZONE_APPENDED_TWICE);
        assertThat(txt.found()).containsExactly("tok-twice");
        assertThat(txt.advice()).isEqualTo("The record was created at _amazonses.twice.test.twice.test instead of"
                + " _amazonses.twice.test because your DNS panel adds twice.test to names automatically: change the"
                + " name to just _amazonses.");

        RecordCheck cname = check(dkim("twice.test", "a1"));
        assertThat(cname.status()).isEqualTo(MISSING);
        assertThat(cname.diagnosis()).isEqualTo(ZONE_APPENDED_TWICE);
        assertThat(cname.found()).containsExactly("a1.dkim.amazonses.com");
        assertThat(cname.advice()).contains("a1._domainkey.twice.test.twice.test", "change the name to just a1._domainkey.");

        RecordCheck spf = check(spf("twice.test"));
        assertThat(spf.status()).as("SPF is recommended only").isEqualTo(WARNING);
        assertThat(spf.diagnosis()).isEqualTo(ZONE_APPENDED_TWICE);
        assertThat(spf.found()).containsExactly(SPF);
        assertThat(spf.advice()).contains("twice.test.twice.test", "change the name to just @ (the domain itself).");
    }

    @Test
    void cloudflareProxied() {
        RecordCheck check = check(dkim("proxied.test", "a1"));
        assertThat(check.status()).isEqualTo(MISMATCH);
        assertThat(check.diagnosis()).isEqualTo(CLOUDFLARE_PROXIED);
        assertThat(check.found()).containsExactlyInAnyOrder("A 104.21.1.1", "AAAA 2606:4700::6812:101");
        assertThat(check.advice()).isEqualTo("a1._domainkey.proxied.test answers with IP addresses instead of a CNAME,"
                + " which is what Cloudflare's proxy (orange cloud) does: edit the record and set Proxy status to"
                + " \"DNS only\" (grey cloud).");
    }

    @Test
    void quotedValues() {
        RecordCheck txt = check(verification("quoted.test", "tok-quoted"));
        assertThat(txt.status()).isEqualTo(MISMATCH);
        assertThat(txt.diagnosis()).isEqualTo(QUOTED_VALUE);
        assertThat(txt.found()).containsExactly("\"tok-quoted\"");
        assertThat(txt.advice()).isEqualTo("The value was saved with literal quote marks in it: edit the record and"
                + " remove the quotes so the value is exactly tok-quoted.");

        RecordCheck split = check(ownership("quoted.test", "own-quoted"));
        assertThat(split.diagnosis()).isEqualTo(QUOTED_VALUE);
        assertThat(split.found()).containsExactly("\"senders-verification=own-quoted\"");

        RecordCheck cname = check(dkim("quoted.test", "a1"));
        assertThat(cname.status()).isEqualTo(MISMATCH);
        assertThat(cname.diagnosis()).isEqualTo(QUOTED_VALUE);
        assertThat(cname.found()).containsExactly("\"a1.dkim.amazonses.com\"");

        RecordCheck relative = check(dkim("quoted.test", "b2"));
        assertThat(relative.diagnosis()).as("quoted, then taken as relative by the panel").isEqualTo(QUOTED_VALUE);
        assertThat(relative.found()).containsExactly("\"b2.dkim.amazonses.com\".quoted.test");

        RecordCheck spf = check(spf("quoted.test"));
        assertThat(spf.status()).isEqualTo(WARNING);
        assertThat(spf.diagnosis()).isEqualTo(QUOTED_VALUE);
        assertThat(spf.found()).containsExactly("\"" + SPF + "\"");
    }

    @Test
    void nameInValue() {
        RecordCheck txt = check(verification("named.test", "tok-named"));
        assertThat(txt.status()).isEqualTo(MISMATCH);
        assertThat(txt.diagnosis()).isEqualTo(NAME_IN_VALUE);
        assertThat(txt.found()).containsExactly("_amazonses.named.test tok-named");
        assertThat(txt.advice()).isEqualTo("The value also contains the record name: edit the record so the name is"
                + " _amazonses and the value is only tok-named.");

        RecordCheck pair = check(ownership("named.test", "own-named"));
        assertThat(pair.diagnosis()).isEqualTo(NAME_IN_VALUE);
        assertThat(pair.found()).containsExactly("_senders-verification=senders-verification=own-named");

        RecordCheck cname = check(dkim("named.test", "a1"));
        assertThat(cname.diagnosis()).isEqualTo(NAME_IN_VALUE);
        assertThat(cname.found()).containsExactly("a1._domainkey.named.test.a1.dkim.amazonses.com");

        RecordCheck spf = check(spf("named.test"));
        assertThat(spf.status()).isEqualTo(WARNING);
        assertThat(spf.diagnosis()).isEqualTo(NAME_IN_VALUE);
    }

    @Test
    void multipleSpfRecords() {
        RecordCheck check = check(spf("multi.test"));
        assertThat(check.status()).as("SPF is recommended: a warning, even if SPF is broken").isEqualTo(WARNING);
        assertThat(check.diagnosis()).isEqualTo(MULTIPLE_SPF);
        assertThat(check.found()).containsExactlyInAnyOrder("v=spf1 include:_spf.google.com ~all", SPF);
        assertThat(check.advice()).isEqualTo("multi.test has 2 SPF records (TXT values starting with v=spf1), which"
                + " makes SPF fail at every receiver: merge them into a single record that also contains"
                + " include:amazonses.com.");
    }

    @Test
    void spfWithoutTheAmazonInclude() {
        RecordCheck check = check(spf("noinclude.test"));
        assertThat(check.status()).isEqualTo(WARNING);
        assertThat(check.diagnosis()).isEqualTo(SPF_MISSING_INCLUDE);
        assertThat(check.found()).containsExactly("v=spf1 include:_spf.google.com ~all");
        assertThat(check.advice()).isEqualTo("Your SPF record does not authorise Amazon SES: add include:amazonses.com"
                + " to the existing record, before its all term, instead of creating a second SPF record.");

        RecordCheck late = check(spf("late.test"));
        assertThat(late.diagnosis()).as("receivers ignore what follows all").isEqualTo(SPF_MISSING_INCLUDE);
        assertThat(late.found()).containsExactly("v=spf1 include:_spf.google.com ~all include:amazonses.com");
    }

    static DnsRecord dmarc(String domain) {
        return new DnsRecord("TXT", "_dmarc." + domain, "_dmarc", domain, DnsRecords.DEFAULT_DMARC_VALUE, false,
                DnsRecords.DMARC_PURPOSE);
    }

    @Test
    void aValidDmarcRecordIsFoundWhateverItsPolicy() {
        RecordCheck none = check(dmarc("good.test"));
        assertThat(none.status()).isEqualTo(FOUND);
        assertThat(none.found()).containsExactly("v=DMARC1; p=none; rua=mailto:dmarc@good.test");
        assertThat(check(dmarc("strict.test")).status()).as("p=reject is the owner's choice").isEqualTo(FOUND);
    }

    @Test
    void dmarcMistakes() {
        RecordCheck missing = check(dmarc("missing.test"));
        assertThat(missing.status()).as("recommended: a warning").isEqualTo(WARNING);
        assertThat(missing.diagnosis()).isEqualTo(Diagnosis.DMARC_MISSING);
        assertThat(missing.advice()).isEqualTo("No DMARC record at _dmarc.missing.test (recommended: Gmail, Yahoo and"
                + " Microsoft require one of bulk senders): add a TXT record with name _dmarc and value v=DMARC1;"
                + " p=none;.");

        RecordCheck two = check(dmarc("twodmarc.test"));
        assertThat(two.diagnosis()).isEqualTo(Diagnosis.MULTIPLE_DMARC);
        assertThat(two.found()).hasSize(2);

        assertThat(check(dmarc("nopolicy.test")).advice()).contains("there is no policy p=");
        assertThat(check(dmarc("nopolicy.test")).diagnosis()).isEqualTo(Diagnosis.DMARC_SYNTAX);
        assertThat(check(dmarc("badpolicy.test")).advice()).contains("p=block is not a policy");
        assertThat(check(dmarc("badrua.test")).advice()).contains("rua must list mailto: addresses");
        assertThat(check(dmarc("quoteddmarc.test")).diagnosis()).isEqualTo(QUOTED_VALUE);
        assertThat(check(dmarc("twicedmarc.test")).diagnosis()).isEqualTo(ZONE_APPENDED_TWICE);
    }

    @Test
    void noSpfAtAll() {
        RecordCheck check = check(spf("nospf.test"));
        assertThat(check.status()).isEqualTo(WARNING);
        assertThat(check.diagnosis()).isEqualTo(SPF_MISSING);
        assertThat(check.found()).isEmpty();
        assertThat(check.advice()).isEqualTo("No SPF record on nospf.test (recommended, not required): add a TXT"
                + " record with name @ (the domain itself) and value v=spf1 include:amazonses.com ~all.");

        assertThat(check(spf("missing.test")).diagnosis()).as("NXDOMAIN").isEqualTo(SPF_MISSING);
        assertThat(check(spf("nodata.test")).diagnosis()).as("NODATA").isEqualTo(SPF_MISSING);
    }

    @Test
    void wrongValues() {
        RecordCheck txt = check(verification("wrong.test", "tok-wrong"));
        assertThat(txt.status()).isEqualTo(MISMATCH);
        assertThat(txt.diagnosis()).isEqualTo(WRONG_VALUE);
        assertThat(txt.found()).containsExactlyInAnyOrder("tok-from-last-year", "something-else");
        assertThat(txt.advice()).isEqualTo("None of the TXT values at _amazonses.wrong.test is the expected one: edit"
                + " the record (or add one) so its value is exactly tok-wrong.");

        RecordCheck cname = check(dkim("wrong.test", "a1"));
        assertThat(cname.status()).isEqualTo(MISMATCH);
        assertThat(cname.diagnosis()).isEqualTo(WRONG_VALUE);
        assertThat(cname.found()).containsExactly("a1.dkim.sendgrid.net");
        assertThat(cname.advice()).isEqualTo("a1._domainkey.wrong.test has another value than expected: change it to"
                + " exactly a1.dkim.amazonses.com.");
    }

    @Test
    void cnameTargetWithTheZoneAppended() {
        RecordCheck check = check(dkim("dot.test", "a1"));
        assertThat(check.status()).isEqualTo(MISMATCH);
        assertThat(check.diagnosis()).isEqualTo(ZONE_APPENDED_TO_TARGET);
        assertThat(check.found()).containsExactly("a1.dkim.amazonses.com.dot.test");
        assertThat(check.advice()).isEqualTo("The CNAME target has dot.test added to its end, which happens when a zone"
                + " file entry lacks its final dot: enter the target as a1.dkim.amazonses.com. (with the final dot) in"
                + " a zone file, or exactly as a1.dkim.amazonses.com in a web panel.");
    }

    @Test
    void txtWhereACnameIsNeeded() {
        RecordCheck check = check(dkim("type.test", "a1"));
        assertThat(check.status()).isEqualTo(MISMATCH);
        assertThat(check.diagnosis()).isEqualTo(WRONG_TYPE);
        assertThat(check.found()).containsExactly("TXT a1.dkim.amazonses.com");
        assertThat(check.advice()).isEqualTo("a1._domainkey.type.test has a TXT record where a CNAME record is needed:"
                + " delete it and add a CNAME record with name a1._domainkey and value a1.dkim.amazonses.com.");
    }

    @Test
    void txtStringsAreConcatenated() {
        assertThat(check(verification("long.test", "tok-long")).status()).isEqualTo(FOUND);

        RecordCheck spf = check(spf("long.test"));
        assertThat(spf.status()).isEqualTo(FOUND);
        assertThat(spf.found()).containsExactly(SPF);

        RecordCheck longValue = check(txt("a1._domainkey.long.test", "long.test", LONG));
        assertThat(LONG.length()).isGreaterThan(255);
        assertThat(longValue.status()).isEqualTo(FOUND);
        assertThat(longValue.found()).containsExactly(LONG);
    }

    @Test
    void cnameTargetsCompareIgnoringCaseAndTheFinalDot() {
        RecordCheck upperServed = check(dkim("case.test", "a1"));
        assertThat(upperServed.status()).isEqualTo(FOUND);
        assertThat(upperServed.found()).containsExactly("A1.DKIM.AmazonSES.com");

        DnsRecord upperExpected = new DnsRecord("CNAME", "b2._domainkey.case.test", "b2._domainkey", "case.test",
                "B2.Dkim.AMAZONSES.com.", true, "DKIM");
        assertThat(check(upperExpected).status()).isEqualTo(FOUND);
    }

    @Test
    void otherTypesCompareTheirRdata() {
        DnsRecord mx = new DnsRecord("MX", "mail.mx.test", "mail", "mx.test",
                "10 feedback-smtp.us-east-1.amazonses.com", true, "MAIL FROM");
        RecordCheck found = check(mx);
        assertThat(found.status()).isEqualTo(FOUND);
        assertThat(found.found()).containsExactly("10 feedback-smtp.us-east-1.amazonses.com.");

        DnsRecord otherRegion = new DnsRecord("MX", "mail.mx.test", "mail", "mx.test",
                "10 feedback-smtp.eu-west-1.amazonses.com", true, "MAIL FROM");
        RecordCheck wrong = check(otherRegion);
        assertThat(wrong.status()).isEqualTo(MISMATCH);
        assertThat(wrong.diagnosis()).isEqualTo(WRONG_VALUE);
    }

    @Nested
    class WhenTheDnsServerFails {

        final List<DnsRecord> records = List.of(verification("good.test", "tok-good"), dkim("good.test", "a1"),
                dkim("good.test", "b2"), dkim("good.test", "c3"), spf("good.test"), ownership("good.test", "own-good"));

        @Test
        void aTimeoutIsUnknownWithinTheTimeout() {
            try (LocalDnsServer silent = LocalDnsServer.unresponsive()) {
                Duration timeout = Duration.ofMillis(700);
                DnsRecordChecker slow = DnsRecordChecker.forServer(LocalDnsServer.HOST, silent.port(), timeout);

                long start = System.nanoTime();
                RecordCheck one = slow.check(records.get(0));
                Duration took = Duration.ofNanos(System.nanoTime() - start);

                assertThat(took).isGreaterThanOrEqualTo(timeout.minusMillis(50)).isLessThan(timeout.plusMillis(800));
                assertThat(one.status()).isEqualTo(UNKNOWN);
                assertThat(one.diagnosis()).isEqualTo(DNS_TIMEOUT);
                assertThat(one.found()).isEmpty();
                assertThat(one.advice()).isEqualTo("Could not check: the DNS server did not answer within 700 ms,"
                        + " which says nothing about your record, so try again in a minute.");

                start = System.nanoTime();
                List<RecordCheck> all = slow.check(records);
                took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).as("records are checked concurrently").isLessThan(timeout.plusMillis(800));
                assertThat(all).allSatisfy(c -> {
                    assertThat(c.status()).as("never MISSING, also not the recommended SPF").isEqualTo(UNKNOWN);
                    assertThat(c.diagnosis()).isEqualTo(DNS_TIMEOUT);
                });
            }
        }

        @Test
        void servfailIsUnknown() {
            try (LocalDnsServer servfail = LocalDnsServer.answering(2)) {
                DnsRecordChecker failing = DnsRecordChecker.forServer(LocalDnsServer.HOST, servfail.port(),
                        Duration.ofSeconds(2));
                assertThat(failing.check(records)).allSatisfy(c -> {
                    assertThat(c.status()).isEqualTo(UNKNOWN);
                    assertThat(c.diagnosis()).isEqualTo(DNS_FAILURE);
                    assertThat(c.advice()).startsWith("Could not check: the DNS server did not answer (SERVFAIL)");
                });
            }
        }

        @Test
        void servfailRelayedByDnsmasqIsUnknown() {
            try (LocalDnsServer upstream = LocalDnsServer.answering(2);
                 LocalDnsServer forwarder = LocalDnsServer.start(LocalDnsServer.Zone.of("test")
                         .forward("broken.test", upstream.port()))) {
                DnsRecordChecker relayed = DnsRecordChecker.forServer(LocalDnsServer.HOST, forwarder.port(),
                        Duration.ofSeconds(2));
                RecordCheck check = relayed.check(verification("broken.test", "tok"));
                assertThat(check.status()).as(forwarder.log()).isEqualTo(UNKNOWN);
                assertThat(check.diagnosis()).isEqualTo(DNS_FAILURE);
                assertThat(check.advice()).contains("(SERVFAIL)");
            }
        }

        @Test
        void refusedIsUnknown() {
            // dnsmasq has no upstream for names outside its local domains: it answers REFUSED
            RecordCheck check = checker.check(verification("example.org", "tok"));
            assertThat(check.status()).isEqualTo(UNKNOWN);
            assertThat(check.diagnosis()).isEqualTo(DNS_FAILURE);
            assertThat(check.advice()).isEqualTo("Could not check: the DNS server did not answer (REFUSED), which says"
                    + " nothing about your record, so try again later.");
        }

        @Test
        void nothingListeningIsUnknown() {
            int port;
            try (LocalDnsServer gone = LocalDnsServer.unresponsive()) {
                port = gone.port();
            }
            DnsRecordChecker nobody = DnsRecordChecker.forServer(LocalDnsServer.HOST, port, Duration.ofSeconds(1));
            RecordCheck check = nobody.check(dkim("good.test", "a1"));
            assertThat(check.status()).isEqualTo(UNKNOWN);
            assertThat(check.diagnosis()).isIn(DNS_FAILURE, DNS_TIMEOUT);
            assertThat(check.advice()).startsWith("Could not check: the DNS server did not answer");
        }
    }
}
