package dev.senders.sandbox.dns;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * The records an organization publishes for a domain that sends through SES, with the names and values the module's
 * {@code DnsRecords} shows: the verification TXT at {@code _amazonses.<domain>}, three DKIM CNAMEs
 * {@code <token>._domainkey.<domain>} pointing to {@code <token>.<dkim host>}, SPF on the domain, DMARC
 * {@code v=DMARC1; p=none;} at {@code _dmarc.<domain>}, and for a custom MAIL FROM domain its MX and SPF. The
 * organization's ownership TXT ({@code _senders-verification.<domain>}) is its own secret-free proof that SES knows
 * nothing about: it is not among them (publish it by hand on the control page).
 */
public final class DomainRecords {

    public static final String SPF = "v=spf1 include:amazonses.com ~all";
    public static final String DMARC = "v=DMARC1; p=none;";
    /** Where a proxied name points: documentation addresses (RFC 5737), never contacted. */
    static final List<String> PROXY_ADDRESSES = List.of("192.0.2.10", "192.0.2.11");

    private DomainRecords() {
    }

    /**
     * @param domain         the SES domain identity, e.g. {@code acme.com}
     * @param zone           the zone the organization edits (the registrable domain), e.g. {@code acme.com}
     * @param how            correct, or with which mistake
     * @param token          the SES verification token
     * @param dkimTokens     the three DKIM tokens
     * @param dkimHost       the host the DKIM CNAMEs point to, e.g. {@code dkim.amazonses.com}
     * @param mailFromDomain the custom MAIL FROM domain, or null
     * @param region         the SES region (the MAIL FROM MX points to its feedback host)
     */
    public static List<Record> of(String domain, String zone, Publication how, String token, List<String> dkimTokens,
                                  String dkimHost, String mailFromDomain, String region) {
        List<Record> records = new ArrayList<>();
        if (how == Publication.NOTHING) {
            return records;
        }
        records.add(txt(at("_amazonses." + domain, zone, how), token));
        for (String dkim : dkimTokens) {
            Name name = at(dkim + "._domainkey." + domain, zone, how);
            if (how == Publication.PROXIED_DKIM) {
                for (String address : PROXY_ADDRESSES) {
                    records.add(a(name, address));
                }
            } else {
                records.add(new CNAMERecord(name, DClass.IN, LoopbackZones.TTL,
                        LoopbackZones.name(dkim + "." + dkimHost)));
            }
        }
        records.add(txt(at(domain, zone, how), SPF));
        records.add(txt(at("_dmarc." + domain, zone, how), DMARC));
        if (mailFromDomain != null) {
            records.add(new MXRecord(at(mailFromDomain, zone, how), DClass.IN, LoopbackZones.TTL, 10,
                    LoopbackZones.name("feedback-smtp." + region + ".amazonses.com")));
            records.add(txt(at(mailFromDomain, zone, how), SPF));
        }
        return records;
    }

    /** The name where the record ends up: {@code <name>.<zone>} when the zone was typed twice. */
    private static Name at(String name, String zone, Publication how) {
        return LoopbackZones.name(how == Publication.ZONE_DOUBLED ? name + "." + zone : name);
    }

    /** A TXT record; values longer than 255 bytes are split into several strings, as DNS panels do. */
    public static TXTRecord txt(Name name, String value) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < value.length(); i += 255) {
            strings.add(value.substring(i, Math.min(value.length(), i + 255)));
        }
        return new TXTRecord(name, DClass.IN, LoopbackZones.TTL, strings.isEmpty() ? List.of("") : strings);
    }

    public static ARecord a(Name name, String address) {
        try {
            // a literal only: never a lookup
            return new ARecord(name, DClass.IN, LoopbackZones.TTL, org.xbill.DNS.Address.getByAddress(address));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + address, e);
        }
    }
}
