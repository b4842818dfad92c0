package dev.senders.infrastructure.dns;

import dev.senders.domain.model.DnsRecord;

import java.util.List;
import java.util.Objects;

/**
 * The live DNS truth about one record.
 *
 * @param record    the record that should be published
 * @param status    what DNS says about it
 * @param found     the values actually seen, for display ("what was found instead"): TXT values with their strings
 *                  concatenated and nothing escaped, CNAME targets without the trailing dot; values of another type
 *                  than the record's are prefixed with their type ({@code "A 104.21.3.4"}); empty when nothing was
 *                  seen or the check failed
 * @param diagnosis a machine code of the problem; null only when {@link RecordStatus#FOUND}
 * @param advice    one plain English sentence saying what to do; null only when {@link RecordStatus#FOUND}
 */
public record RecordCheck(DnsRecord record, RecordStatus status, List<String> found, Diagnosis diagnosis,
                          String advice) {

    public RecordCheck {
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(status, "status");
        found = found == null ? List.of() : List.copyOf(found);
    }

    /** True when the record is published as expected. */
    public boolean ok() {
        return status == RecordStatus.FOUND;
    }
}
