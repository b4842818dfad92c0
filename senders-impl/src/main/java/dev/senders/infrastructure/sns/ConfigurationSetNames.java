package dev.senders.infrastructure.sns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The SES configuration set name of an organization: {@code senders-<organization id>}, within SES's rules (ASCII
 * letters, digits, underscores and dashes, at most 64 characters). An id that does not fit as it is (other
 * characters, upper case, too long) is lower-cased, its other characters become dashes, it is shortened, and 8 hex
 * digits of its SHA-256 are appended, so two organizations never share a name ({@code Acme} and {@code acme} differ).
 */
public final class ConfigurationSetNames {

    public static final int MAX_LENGTH = 64;
    static final String PREFIX = "senders-";
    private static final int HASH_LENGTH = 8;

    private ConfigurationSetNames() {
    }

    public static String forOrganization(String organizationId) {
        if (organizationId == null || organizationId.isBlank()) {
            throw new IllegalArgumentException("organizationId must not be blank");
        }
        String plain = PREFIX + organizationId;
        if (plain.length() <= MAX_LENGTH && organizationId.matches("[a-z0-9_-]+")) {
            return plain;
        }
        String sanitized = organizationId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "-");
        int room = MAX_LENGTH - PREFIX.length() - 1 - HASH_LENGTH;
        if (sanitized.length() > room) {
            sanitized = sanitized.substring(0, room);
        }
        return PREFIX + sanitized + "-" + hash(organizationId);
    }

    private static String hash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
