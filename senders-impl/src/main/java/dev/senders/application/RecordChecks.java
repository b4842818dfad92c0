package dev.senders.application;

import dev.senders.domain.model.DnsRecord;
import dev.senders.infrastructure.dns.Diagnosis;
import dev.senders.infrastructure.dns.DnsRecordChecker;
import dev.senders.infrastructure.dns.RecordCheck;
import dev.senders.infrastructure.dns.RecordStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Live DNS checks of a sender's records, unless switched off with {@code senders.dns.enabled=false} (the offline
 * sandbox, where no resolver may be asked): then every record is "unknown", never "missing".
 */
@ApplicationScoped
public class RecordChecks {

    @Inject
    Instance<DnsRecordChecker> checker;

    @Inject
    @ConfigProperty(name = "senders.dns.enabled", defaultValue = "true")
    boolean enabled;

    public List<RecordCheck> check(List<DnsRecord> records) {
        if (!enabled) {
            return records.stream().map(r -> new RecordCheck(r, RecordStatus.UNKNOWN, List.of(),
                    Diagnosis.DNS_FAILURE, "Live DNS checks are switched off on this server")).toList();
        }
        return checker.get().check(records);
    }
}
