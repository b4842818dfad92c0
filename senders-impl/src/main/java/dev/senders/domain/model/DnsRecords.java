package dev.senders.domain.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The records a sender's domain needs: SES verification TXT, three DKIM CNAMEs, SPF and DMARC (recommended), the custom
 * MAIL FROM's MX and SPF when one is set, and the organization's ownership TXT when the domain is shared.
 */
public final class DnsRecords {

    public static final String SPF_VALUE = "v=spf1 include:amazonses.com ~all";
    public static final String OWNERSHIP_PREFIX = "_senders-verification.";
    public static final String OWNERSHIP_VALUE_PREFIX = "senders-verification=";

    private DnsRecords() {
    }

    public static final String MAIL_FROM_PURPOSE = "MAIL FROM";

    /**
     * @param zone       the zone apex the records are shown relative to
     * @param dkimDomain the region's DKIM host, e.g. dkim.amazonses.com
     * @param region     the SES region (the custom MAIL FROM's MX points to its feedback host)
     */
    public static List<DnsRecord> of(Sender sender, String zone, String dkimDomain, String region) {
        return of(sender, zone, dkimDomain, region, sender.isOwnershipRequired(), DEFAULT_DMARC_VALUE);
    }

    /** The DMARC record recommended when none is configured: a policy that only reports (nothing is rejected). */
    public static final String DEFAULT_DMARC_VALUE = "v=DMARC1; p=none;";
    public static final String DMARC_PURPOSE = "DMARC";

    /**
     * @param withOwnership whether to include the organization's ownership TXT record
     * @param dmarcValue    the DMARC record recommended at {@code _dmarc.<domain>}
     */
    public static List<DnsRecord> of(Sender sender, String zone, String dkimDomain, String region,
                                     boolean withOwnership, String dmarcValue) {
        String domain = sender.getDomain();
        List<DnsRecord> records = new ArrayList<>();
        if (sender.getVerificationToken() != null) {
            records.add(record("TXT", "_amazonses." + domain, zone, sender.getVerificationToken(), true,
                    "Domain verification"));
        }
        if (sender.getDkimTokens() != null) {
            for (String token : sender.getDkimTokens()) {
                records.add(record("CNAME", token + "._domainkey." + domain, zone, token + "." + dkimDomain, true,
                        "DKIM"));
            }
        }
        records.add(record("TXT", domain, zone, SPF_VALUE, false, "SPF"));
        records.add(record("TXT", "_dmarc." + domain, zone, dmarcValue, false, DMARC_PURPOSE));
        if (sender.getMailFromDomain() != null) {
            records.add(record("MX", sender.getMailFromDomain(), zone, "10 feedback-smtp." + region + ".amazonses.com",
                    true, MAIL_FROM_PURPOSE));
            records.add(record("TXT", sender.getMailFromDomain(), zone, SPF_VALUE, true, MAIL_FROM_PURPOSE));
        }
        if (withOwnership && sender.getOwnershipToken() != null) {
            records.add(record("TXT", OWNERSHIP_PREFIX + domain, zone,
                    OWNERSHIP_VALUE_PREFIX + sender.getOwnershipToken(), true, "Ownership"));
        }
        return List.copyOf(records);
    }

    static DnsRecord record(String type, String name, String zone, String value, boolean required, String purpose) {
        return new DnsRecord(type, name, relativeName(name, zone), zone, value, required, purpose);
    }

    /** {@code _amazonses.mail.acme.com} in zone {@code acme.com} is {@code _amazonses.mail}; the apex is "@". */
    public static String relativeName(String name, String zone) {
        if (name.equals(zone)) {
            return "@";
        }
        return name.endsWith("." + zone) ? name.substring(0, name.length() - zone.length() - 1) : name;
    }
}
