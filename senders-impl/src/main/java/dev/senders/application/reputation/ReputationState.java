package dev.senders.application.reputation;

import java.util.Locale;

/** An organization's sending, as its reputation has it: ok, warned, or paused (its sends come back PAUSED). */
public enum ReputationState {
    OK, WARNING, PAUSED;

    /** As stored and shown: {@code ok}, {@code warning}, {@code paused}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ReputationState fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    boolean worseThan(ReputationState other) {
        return ordinal() > other.ordinal();
    }
}
