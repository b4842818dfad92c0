package dev.senders.api.sending;

/**
 * Whether a recipient must not be mailed: it bounced permanently (platform-wide), or complained or used the one-click
 * unsubscribe link (for the organization whose mail it was). The providers consult it before every send.
 */
public interface SuppressionList {

    boolean isSuppressed(String organizationId, String email);
}
