package dev.senders.interfaces.rest;

import java.net.IDN;

/** Email addresses as people read them: the domain's A-labels ({@code xn--bcher-kva.de}) shown in Unicode. */
final class Addresses {

    private Addresses() {
    }

    /** The address with its domain in Unicode; the address unchanged when it has no @ or the domain won't decode. */
    static String unicode(String address) {
        if (address == null) {
            return null;
        }
        int at = address.lastIndexOf('@');
        if (at < 0) {
            return address;
        }
        return address.substring(0, at + 1) + domain(address.substring(at + 1));
    }

    /** The domain in Unicode, or unchanged when it is not a valid IDN. */
    static String domain(String domain) {
        if (domain == null || !domain.toLowerCase(java.util.Locale.ROOT).contains("xn--")) {
            return domain;
        }
        try {
            return IDN.toUnicode(domain, IDN.ALLOW_UNASSIGNED);
        } catch (IllegalArgumentException e) {
            return domain;
        }
    }
}
