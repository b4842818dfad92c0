package dev.senders.api.sending;

/**
 * Whether a recipient must not be mailed: it bounced permanently (platform-wide) or complained (for the organization
 * it complained about). The providers consult it before every send.
 */
public interface SuppressionList {

    boolean isSuppressed(String organizationId, String email);
}
