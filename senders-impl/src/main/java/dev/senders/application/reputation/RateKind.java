package dev.senders.application.reputation;

import java.util.Locale;

/** The two rates: permanent bounces / sends, and complaints / sends. */
public enum RateKind {
    BOUNCE, COMPLAINT;

    /** As stored and shown: {@code bounce}, {@code complaint}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RateKind fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
