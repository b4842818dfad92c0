package dev.senders.infrastructure.dns;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The syntax of a DMARC record (RFC 7489 section 6.4): {@code v=DMARC1} first, then {@code tag=value} pairs separated
 * by semicolons, a policy {@code p} of none, quarantine or reject, each tag once. Which policy a domain chooses is its
 * owner's business: any valid one is fine here.
 */
final class DmarcRecord {

    private static final Set<String> POLICIES = Set.of("none", "quarantine", "reject");

    private DmarcRecord() {
    }

    /** Whether the TXT value is meant as a DMARC record (it starts with {@code v=DMARC1}, case-insensitively). */
    static boolean isDmarc(String value) {
        return value != null && value.strip().toLowerCase(Locale.ROOT).replace(" ", "").startsWith("v=dmarc1");
    }

    /** What makes the record unreadable, or empty when it is a valid DMARC record. */
    static Optional<String> syntaxError(String value) {
        String[] parts = value.strip().split(";");
        Set<String> seen = new HashSet<>();
        String policy = null;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty()) {
                if (i == parts.length - 1) {
                    continue; // a trailing semicolon is allowed
                }
                return Optional.of("an empty tag between two semicolons");
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return Optional.of("\"" + part + "\" is not a tag=value pair");
            }
            String tag = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String tagValue = part.substring(eq + 1).strip();
            if (i == 0) {
                if (!tag.equals("v") || !tagValue.equals("DMARC1")) {
                    return Optional.of("the record must start with v=DMARC1");
                }
                continue;
            }
            if (!seen.add(tag)) {
                return Optional.of("the tag " + tag + " appears twice");
            }
            switch (tag) {
                case "p", "sp" -> {
                    if (!POLICIES.contains(tagValue.toLowerCase(Locale.ROOT))) {
                        return Optional.of(tag + "=" + tagValue + " is not a policy (none, quarantine or reject)");
                    }
                    if (tag.equals("p")) {
                        policy = tagValue;
                    }
                }
                case "pct" -> {
                    if (!tagValue.matches("\\d{1,3}") || Integer.parseInt(tagValue) > 100) {
                        return Optional.of("pct=" + tagValue + " is not a percentage from 0 to 100");
                    }
                }
                case "adkim", "aspf" -> {
                    if (!tagValue.equalsIgnoreCase("r") && !tagValue.equalsIgnoreCase("s")) {
                        return Optional.of(tag + "=" + tagValue + " must be r (relaxed) or s (strict)");
                    }
                }
                case "rua", "ruf" -> {
                    for (String uri : tagValue.split(",")) {
                        if (!uri.strip().toLowerCase(Locale.ROOT).startsWith("mailto:") || uri.strip().length() < 8) {
                            return Optional.of(tag + " must list mailto: addresses");
                        }
                    }
                }
                default -> {
                    // fo, rf, ri and unknown tags are ignored by receivers (RFC 7489 6.3)
                }
            }
        }
        return policy == null ? Optional.of("there is no policy p= (none, quarantine or reject)") : Optional.empty();
    }
}
