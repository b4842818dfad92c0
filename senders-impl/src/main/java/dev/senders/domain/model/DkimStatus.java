package dev.senders.domain.model;

/** Easy DKIM status of a sender's domain, as SES reports it. */
public enum DkimStatus {
    NOT_STARTED, PENDING, SUCCESS, FAILED, TEMPORARY_FAILURE;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static DkimStatus fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
