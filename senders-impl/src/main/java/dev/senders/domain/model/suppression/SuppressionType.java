package dev.senders.domain.model.suppression;

import java.util.Locale;

/** Why an address is suppressed. */
public enum SuppressionType {
    /** A permanent (hard) bounce: the address does not exist or refuses mail for good. Platform-wide. */
    BOUNCE,
    /** The recipient complained (marked a message as spam). For the organization that sent it. */
    COMPLAINT,
    /** The recipient used the one-click unsubscribe link of a message. For the organization that sent it. */
    UNSUBSCRIBED;

    /** As stored and shown: {@code bounce}, {@code complaint}, {@code unsubscribed}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SuppressionType fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
