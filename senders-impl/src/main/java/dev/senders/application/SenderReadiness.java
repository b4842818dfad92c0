package dev.senders.application;

import dev.senders.application.reputation.OrganizationReputation;
import dev.senders.application.unsubscribe.UnsubscribeUsage;
import dev.senders.domain.model.DkimStatus;
import dev.senders.domain.model.DnsRecords;
import dev.senders.domain.model.Sender;
import dev.senders.infrastructure.dns.RecordCheck;
import dev.senders.infrastructure.dns.RecordStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.IDN;
import java.util.List;
import java.util.Optional;

/**
 * Whether a sender's domain is ready for bulk mail as Gmail, Yahoo (February 2024) and Microsoft (May 2025) require
 * of bulk senders: SPF, DKIM, a DMARC record, a custom MAIL FROM (so SPF aligns with the From domain), one-click
 * unsubscribe in use, and a complaint rate under 0.3%. Each item is done or not, with what to do; and one sentence
 * on alignment. Read from the sender, its records' live DNS checks, the organization's own sends and its reputation.
 */
@ApplicationScoped
public class SenderReadiness {

    /** The complaint rate the mailbox providers require bulk senders to stay under. */
    static final double COMPLAINT_LIMIT = 0.003;
    static final int UNSUBSCRIBE_DAYS = 30;

    @Inject
    UnsubscribeUsage unsubscribeUsage;

    @Inject
    OrganizationReputation reputation;

    /** One item of the checklist: its name, whether it is done, and what to do when it is not. */
    public record Item(String item, String label, boolean ok, String advice) {
    }

    /** The checklist and the alignment sentence. */
    public record Readiness(List<Item> items, String alignment) {
    }

    public Readiness of(Sender sender, List<RecordCheck> checks) {
        String domain = IDN.toUnicode(sender.getDomain());
        Item spf = fromRecord("spf", "SPF", checks, "SPF", "Publish the SPF record shown above (TXT on " + domain
                + " with include:amazonses.com).");
        boolean dkimOk = sender.getDkimStatus() == DkimStatus.SUCCESS;
        Item dkim = new Item("dkim", "DKIM", dkimOk, dkimOk ? null : "Publish the three DKIM CNAME records shown"
                + " above; Amazon SES then signs every message as " + domain + ".");
        Item dmarc = fromRecord("dmarc", "DMARC", checks, DnsRecords.DMARC_PURPOSE, "Publish a DMARC record (TXT"
                + " _dmarc." + domain + "), for example the one shown above; p=none is enough to start.");
        boolean mailFromOk = sender.getMailFromDomain() != null && "Success".equals(sender.getMailFromStatus());
        Item mailFrom = new Item("mail-from", "Custom MAIL FROM", mailFromOk, mailFromOk ? null
                : sender.getMailFromDomain() == null
                ? "Set a custom MAIL FROM domain (such as mail." + domain + ") so that SPF aligns with " + domain + "."
                : "Publish the MX and SPF records of " + sender.getMailFromDomain() + " shown above; Amazon SES has"
                + " not confirmed them yet.");
        UnsubscribeUsage.Usage usage = unsubscribeUsage.lastDays(sender.getOrganizationId(), UNSUBSCRIBE_DAYS);
        Item unsubscribe = new Item("one-click-unsubscribe", "One-click unsubscribe", usage.inUse(), usage.inUse()
                ? null : usage.sent() == 0 ? "No email was sent in the last " + UNSUBSCRIBE_DAYS + " days; ask for"
                + " one-click unsubscribe links when sending (EmailMessage.unsubscribe())."
                : "None of the last " + UNSUBSCRIBE_DAYS + " days' emails carried a one-click unsubscribe link; ask for"
                + " one when sending (EmailMessage.unsubscribe()).");
        boolean complaintsOk = reputation.of(sender.getOrganizationId()).complaintRateUnder(COMPLAINT_LIMIT);
        Item complaints = new Item("complaint-rate", "Complaint rate under 0.3%", complaintsOk, complaintsOk ? null
                : "Recipients mark too many emails as spam: send only to people who asked for them, and make"
                + " unsubscribing easy.");
        return new Readiness(List.of(spf, dkim, dmarc, mailFrom, unsubscribe, complaints), alignment(sender, domain));
    }

    private static Item fromRecord(String item, String label, List<RecordCheck> checks, String purpose,
                                   String advice) {
        Optional<RecordCheck> check = checks.stream().filter(c -> purpose.equals(c.record().purpose())).findFirst();
        boolean ok = check.map(c -> c.status() == RecordStatus.FOUND).orElse(false);
        return new Item(item, label, ok, ok ? null : check.map(RecordCheck::advice).filter(a -> a != null
                && !a.isBlank()).orElse(advice));
    }

    /** One sentence: DKIM signs as the From domain (Easy DKIM), SPF aligns through the custom MAIL FROM. */
    static String alignment(Sender sender, String domain) {
        String spf = sender.getMailFromDomain() == null
                ? "SPF aligns once a custom MAIL FROM on a subdomain of " + domain + " is set (until then SPF passes"
                + " for amazonses.com, which is not aligned)"
                : "SPF aligns through the custom MAIL FROM " + IDN.toUnicode(sender.getMailFromDomain());
        return "DMARC passes when DKIM or SPF aligns with the From domain: DKIM signs as " + domain
                + " (Easy DKIM on the same domain), so DKIM aligns; " + spf + ".";
    }
}
