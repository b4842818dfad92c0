package dev.senders.infrastructure.dns;

import dev.senders.domain.model.DnsRecord;
import org.xbill.DNS.Rcode;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The sentences shown to people. Values are written without quote marks on purpose: people copy them, and quotes
 * pasted into a DNS panel are one of the mistakes diagnosed here.
 */
final class Advice {

    private Advice() {
    }

    static String notFound(DnsRecord r) {
        return "No " + r.type() + " record exists at " + r.name() + " yet: add one with name " + panelName(r)
                + " and value " + r.value() + " (new records can take a few minutes to appear).";
    }

    static String zoneAppendedTwice(DnsRecord r, String doubled) {
        return "The record was created at " + doubled + " instead of " + r.name() + " because your DNS panel adds "
                + r.zone() + " to names automatically: change the name to just " + panelName(r) + ".";
    }

    static String cloudflareProxied(DnsRecord r) {
        return r.name() + " answers with IP addresses instead of a CNAME, which is what Cloudflare's proxy (orange "
                + "cloud) does: edit the record and set Proxy status to \"DNS only\" (grey cloud).";
    }

    static String wrongType(DnsRecord r, String foundType) {
        return r.name() + " has a " + foundType + " record where a " + r.type() + " record is needed: delete it and add a "
                + r.type() + " record with name " + panelName(r) + " and value " + r.value() + ".";
    }

    static String quotedValue(DnsRecord r) {
        return "The value was saved with literal quote marks in it: edit the record and remove the quotes so the value"
                + " is exactly " + r.value() + ".";
    }

    static String nameInValue(DnsRecord r) {
        return "The value also contains the record name: edit the record so the name is " + panelName(r)
                + " and the value is only " + r.value() + ".";
    }

    static String zoneAppendedToTarget(DnsRecord r) {
        return "The CNAME target has " + r.zone() + " added to its end, which happens when a zone file entry lacks its"
                + " final dot: enter the target as " + DnsRecordChecker.trimDot(r.value()) + ". (with the final dot) in a"
                + " zone file, or exactly as " + DnsRecordChecker.trimDot(r.value()) + " in a web panel.";
    }

    static String wrongValue(DnsRecord r) {
        if ("TXT".equalsIgnoreCase(r.type())) {
            return "None of the TXT values at " + r.name() + " is the expected one: edit the record (or add one) so its"
                    + " value is exactly " + r.value() + ".";
        }
        return r.name() + " has another value than expected: change it to exactly " + r.value() + ".";
    }

    static String multipleSpf(DnsRecord r, int count) {
        return r.name() + " has " + count + " SPF records (TXT values starting with v=spf1), which makes SPF fail at"
                + " every receiver: merge them into a single record that also contains " + includes(r) + ".";
    }

    static String spfMissingInclude(DnsRecord r) {
        return "Your SPF record does not authorise Amazon SES: add " + includes(r) + " to the existing record, before"
                + " its all term, instead of creating a second SPF record.";
    }

    static String spfMissing(DnsRecord r) {
        return "No SPF record on " + r.name() + " (recommended, not required): add a TXT record with name "
                + panelName(r) + " and value " + r.value() + ".";
    }

    static String dmarcMissing(DnsRecord r) {
        return "No DMARC record at " + r.name() + " (recommended: Gmail, Yahoo and Microsoft require one of bulk"
                + " senders): add a TXT record with name " + panelName(r) + " and value " + r.value() + ".";
    }

    static String multipleDmarc(DnsRecord r, int count) {
        return r.name() + " has " + count + " DMARC records (TXT values starting with v=DMARC1), so receivers ignore"
                + " DMARC altogether: keep a single one.";
    }

    static String dmarcSyntax(DnsRecord r, String error) {
        return "The DMARC record at " + r.name() + " cannot be read by receivers (" + error + "): fix it, for example"
                + " to " + r.value() + ".";
    }

    static String timeout(Duration timeout) {
        return "Could not check: the DNS server did not answer within " + human(timeout)
                + ", which says nothing about your record, so try again in a minute.";
    }

    static String failure(DnsAnswer answer) {
        if (answer.error() == null && answer.rcode() == Rcode.SERVFAIL) {
            return "Could not check: the DNS server did not answer (SERVFAIL), which usually means your domain's name"
                    + " servers are unreachable or misconfigured (for example DNSSEC still switched on at the registrar"
                    + " after changing DNS provider), so try again later.";
        }
        return "Could not check: the DNS server did not answer (" + answer.failure()
                + "), which says nothing about your record, so try again later.";
    }

    /** How the name is typed into a panel that appends the zone: the relative name, "@" explained. */
    static String panelName(DnsRecord r) {
        String relative = r.relativeName();
        if (relative == null || relative.isBlank()) {
            return r.name();
        }
        return "@".equals(relative) ? "@ (the domain itself)" : relative;
    }

    private static String includes(DnsRecord r) {
        String joined = String.join(" ", DnsRecordChecker.spfIncludes(r.value()));
        return joined.isEmpty() ? "include:amazonses.com" : joined;
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        String seconds = BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
        return seconds + (ms == 1000 ? " second" : " seconds");
    }

}
