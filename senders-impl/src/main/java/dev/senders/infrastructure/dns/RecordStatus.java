package dev.senders.infrastructure.dns;

/** What a live DNS lookup says about one record the organization must (or should) publish. */
public enum RecordStatus {
    /** Published with the expected value. */
    FOUND,
    /** Nothing at the name (NXDOMAIN or no data of the record's type); see the diagnosis for where it went instead. */
    MISSING,
    /** Something is published at the name, but not the expected value or type; {@code found} shows what. */
    MISMATCH,
    /** A problem with a recommended record only (SPF): verification does not depend on it. */
    WARNING,
    /** Could not check: the DNS server did not answer (timeout, SERVFAIL, REFUSED, network error). Not "missing". */
    UNKNOWN
}
