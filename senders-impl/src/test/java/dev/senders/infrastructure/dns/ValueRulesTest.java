package dev.senders.infrastructure.dns;

import dev.senders.domain.model.DnsRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The comparison rules on their own (the DNS side is in {@link DnsRecordCheckerTest}). */
class ValueRulesTest {

    static final DnsRecord TXT = new DnsRecord("TXT", "_amazonses.acme.com", "_amazonses", "acme.com", "abc", true,
            "Domain verification");
    static final DnsRecord CNAME = new DnsRecord("CNAME", "t1._domainkey.acme.com", "t1._domainkey", "acme.com",
            "t1.dkim.amazonses.com", true, "DKIM");

    @Test
    void quotesPeoplePaste() {
        assertThat(DnsRecordChecker.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(DnsRecordChecker.unquote("\\\"abc\\\"")).isEqualTo("abc");
        assertThat(DnsRecordChecker.unquote("'abc'")).isEqualTo("abc");
        assertThat(DnsRecordChecker.unquote("\u201Cabc\u201D")).isEqualTo("abc");
        assertThat(DnsRecordChecker.unquote("\"ab\" \"c\"")).isEqualTo("abc");
        assertThat(DnsRecordChecker.unquote("abc")).isEqualTo("abc");
    }

    @Test
    void diagnoses() {
        assertThat(DnsRecordChecker.diagnoseValue(TXT, "'abc'")).isEqualTo(Diagnosis.QUOTED_VALUE);
        assertThat(DnsRecordChecker.diagnoseValue(TXT, "_amazonses=abc")).isEqualTo(Diagnosis.NAME_IN_VALUE);
        assertThat(DnsRecordChecker.diagnoseValue(TXT, "_amazonses.acme.com. TXT \"abc\""))
                .isEqualTo(Diagnosis.NAME_IN_VALUE);
        assertThat(DnsRecordChecker.diagnoseValue(TXT, "ABC")).as("TXT is case-sensitive")
                .isEqualTo(Diagnosis.WRONG_VALUE);
        assertThat(DnsRecordChecker.diagnoseValue(CNAME, "T1.dkim.amazonses.com.acme.com"))
                .isEqualTo(Diagnosis.ZONE_APPENDED_TO_TARGET);
        assertThat(DnsRecordChecker.diagnoseValue(CNAME, "t1.dkim.amazonses.net")).isEqualTo(Diagnosis.WRONG_VALUE);
    }

    @Test
    void spf() {
        assertThat(DnsRecordChecker.isSpf("V=SPF1 -all")).isTrue();
        assertThat(DnsRecordChecker.isSpf("v=spf10")).isFalse();
        assertThat(DnsRecordChecker.isSpf("\"v=spf1 ~all\"")).isFalse();
        assertThat(DnsRecordChecker.spfAuthorises("v=spf1 +include:AmazonSES.com -all",
                "v=spf1 include:amazonses.com ~all")).isTrue();
        assertThat(DnsRecordChecker.spfAuthorises("v=spf1 mx ~all", "v=spf1 include:amazonses.com ~all")).isFalse();
    }

    @Test
    void doubledName() {
        assertThat(DnsRecordChecker.doubledName(TXT)).isEqualTo("_amazonses.acme.com.acme.com");
        assertThat(DnsRecordChecker.doubledName(new DnsRecord("TXT", "acme.com", "@", "acme.com", "v=spf1 ~all",
                false, "SPF"))).isEqualTo("acme.com.acme.com");
        assertThat(DnsRecordChecker.doubledName(new DnsRecord("TXT", "other.org", "other.org", "acme.com", "x", true,
                "x"))).isNull();
    }

    @Test
    void durationsForPeople() {
        assertThat(Advice.human(java.time.Duration.ofSeconds(3))).isEqualTo("3 seconds");
        assertThat(Advice.human(java.time.Duration.ofMillis(1500))).isEqualTo("1.5 seconds");
        assertThat(Advice.human(java.time.Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Advice.human(java.time.Duration.ofMillis(700))).isEqualTo("700 ms");
    }
}
