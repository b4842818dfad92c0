package dev.senders.domain.model.address;

import java.util.Objects;

/**
 * A validated sender email address, produced by {@link SenderAddressPolicy#parse(String)}.
 *
 * @param localPart     the part before the {@code @}, ASCII dot-atom, case preserved
 * @param domain        the domain in lower-case IDNA A-label (punycode) form without a trailing dot; this is the
 *                      form that is stored and verified with SES
 * @param domainUnicode the same domain in U-label form, for display only
 */
public record SenderAddress(String localPart, String domain, String domainUnicode) {

    public SenderAddress {
        Objects.requireNonNull(localPart, "localPart");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(domainUnicode, "domainUnicode");
    }

    /** The stored form: {@code localPart@domain} with the A-label domain. */
    public String emailAddress() {
        return localPart + "@" + domain;
    }

    /** Whether the domain has at least one internationalized (non-ASCII) label. */
    public boolean isInternationalized() {
        return !domain.equals(domainUnicode);
    }
}
