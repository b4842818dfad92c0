package dev.senders.domain.model;

/** Our status of a sender's domain identity. */
public enum VerificationStatus {
    PENDING, VERIFYING, VERIFIED, FAILED;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static VerificationStatus fromWire(String value) {
        return valueOf(value.toUpperCase(java.util.Locale.ROOT));
    }
}
