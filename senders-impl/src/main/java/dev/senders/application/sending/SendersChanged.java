package dev.senders.application.sending;

/** Internal CDI event: an organization's senders changed (added, removed, verified, default set). */
public record SendersChanged(String organizationId) {
}
