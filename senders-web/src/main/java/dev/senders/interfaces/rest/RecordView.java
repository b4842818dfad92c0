package dev.senders.interfaces.rest;

import dev.senders.domain.model.DnsRecord;
import dev.senders.infrastructure.dns.RecordCheck;
import jakarta.json.bind.annotation.JsonbNillable;

import java.util.List;
import java.util.Locale;

/**
 * A DNS record with its own truth: {@code status} from a live DNS lookup (found, missing, mismatch, warning, or
 * unknown when DNS could not answer), what was found instead, a diagnosis with advice, and SES's own status for the
 * records SES checks (the verification TXT and the DKIM CNAMEs).
 */
@JsonbNillable
public record RecordView(String type, String name, String relativeName, String zone, String value, boolean required,
                         String purpose, String status, List<String> found, String diagnosis, String advice,
                         String sesStatus) {

    public static RecordView of(RecordCheck check, String sesDomainStatus, String sesDkimStatus) {
        DnsRecord r = check.record();
        String ses = switch (r.purpose()) {
            case "Domain verification" -> sesDomainStatus;
            case "DKIM" -> sesDkimStatus;
            default -> null;
        };
        return new RecordView(r.type(), r.name(), r.relativeName(), r.zone(), r.value(), r.required(), r.purpose(),
                check.status().name().toLowerCase(Locale.ROOT), check.found(),
                check.diagnosis() == null ? null : check.diagnosis().name().toLowerCase(Locale.ROOT),
                check.advice(), ses);
    }
}
