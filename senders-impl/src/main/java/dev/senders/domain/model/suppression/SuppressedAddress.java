package dev.senders.domain.model.suppression;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * The one spelling of an address on the suppression list, so that a lookup at send time and an entry made from an
 * SES event always agree: the bare address (a display name such as {@code "Ann" <ann@x.com>} is dropped), trimmed,
 * the domain in ASCII (IDN A-labels, as SES reports it) and the whole address lower-cased. The local part is
 * lower-cased too: mailbox providers treat it case-insensitively in practice, and suppressing {@code Ann@} along with
 * {@code ann@} errs on the side of not mailing someone who asked not to be.
 */
public final class SuppressedAddress {

    /** RFC 5321's limit on a forward path. */
    public static final int MAX_LENGTH = 320;

    private SuppressedAddress() {
    }

    /** The normalized address, or empty when {@code raw} is not an address. */
    public static Optional<String> normalize(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String address = raw.strip();
        int open = address.lastIndexOf('<');
        int close = address.lastIndexOf('>');
        if (open >= 0 && close > open) {
            address = address.substring(open + 1, close).strip();
        }
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1 || address.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            return Optional.empty();
        }
        String domain;
        try {
            domain = IDN.toASCII(address.substring(at + 1), IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String normalized = (address.substring(0, at) + "@" + domain).toLowerCase(Locale.ROOT);
        return normalized.length() > MAX_LENGTH ? Optional.empty() : Optional.of(normalized);
    }
}
