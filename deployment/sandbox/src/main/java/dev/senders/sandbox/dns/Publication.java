package dev.senders.sandbox.dns;

import java.util.Arrays;
import java.util.Locale;

/** How the sandbox publishes a domain's records: as SES asks, with a common mistake, or not at all. */
public enum Publication {
    /** Every record at its name with its value. */
    CORRECT("correct", "Publish the records correctly"),
    /**
     * Every record at {@code <name>.<zone>}: the full name typed into a DNS panel that appends the zone
     * ({@code _amazonses.acme.com.acme.com}).
     */
    ZONE_DOUBLED("zone-doubled", "Mistake: the zone name typed twice"),
    /** The DKIM names answer A records instead of their CNAMEs: a proxied record (Cloudflare's orange cloud). */
    PROXIED_DKIM("proxied-dkim", "Mistake: DKIM CNAMEs proxied (A records)"),
    /** Nothing published: every record is missing. */
    NOTHING("nothing", "Remove the records");

    private final String id;
    private final String label;

    Publication(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The spelling the control endpoint takes, e.g. {@code zone-doubled}. */
    public String id() {
        return id;
    }

    /** The button's text on the control page. */
    public String label() {
        return label;
    }

    public static Publication of(String id) {
        String wanted = id == null ? "" : id.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.id.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown publication '" + id + "', one of "
                        + Arrays.stream(values()).map(Publication::id).toList()));
    }
}
