package dev.senders.api.sending;

/**
 * What became of one send.
 *
 * @param status    sent; failed; suppressed (the recipient is on the suppression list; nothing was sent); paused (the
 *                  organization's sending is paused for its reputation; nothing was sent: see {@link Status#PAUSED});
 *                  or unknown (the provider may or may not have accepted it, and the module will not send it again:
 *                  see {@link Status#UNKNOWN})
 * @param messageId the provider's message id when sent
 * @param provider  the provider that handled it (the one the message actually went through); null when none did (a
 *                  message refused before any provider was chosen, such as another organization's message given to
 *                  a provider obtained for one organization)
 * @param error     what went wrong, for people, when not sent
 * @param retryable whether sending the same message again later may succeed (throttling, timeouts, 5xx, a send of the
 *                  same idempotency key still in progress elsewhere)
 * @param warning   a note for the host even on success, e.g. that the message fell back to the platform's domain
 * @param failure   why it was not sent, as a type to switch on (null when sent, suppressed or paused); {@link #error}
 *                  says it for people
 */
public record SendResult(Status status, String messageId, ProviderName provider, String error, boolean retryable,
                         String warning, Failure failure) {

    public enum Status {
        SENT,
        FAILED,
        SUPPRESSED,
        /**
         * The outcome is unknown: an earlier attempt with the same idempotency key reached the provider and its answer
         * was lost (a crash or a timeout after the provider may have accepted it), and the provider offers no way to
         * send it again without risking a second copy (Amazon SES: no idempotency key). Not retryable: the module
         * does not send it again unless configured for at-least-once delivery.
         */
        UNKNOWN,
        /**
         * Not sent: the organization's sending is paused, because its bounce or complaint rate over the reputation
         * window passed the pause threshold (one organization's bad list must not get the shared SES account or
         * Resend domain reviewed). Nothing reached a provider. Not retryable: sending again is refused until a platform
         * administrator resumes the organization (the host hears {@code OrganizationSendingPaused} and
         * {@code OrganizationSendingResumed}); the same idempotency key may then be sent.
         */
        PAUSED
    }

    /** Why a message was not sent. */
    public enum Failure {
        /** The provider said to slow down (SES Throttling, Resend 429) and the module's retries ran out. Retryable. */
        THROTTLED,
        /** No rate-limit slot came within the maximum wait, or this server was too slow to use its slots. Retryable. */
        RATE_LIMITED,
        /** The provider could not be reached or failed (5xx, connection refused). Retryable. */
        UNAVAILABLE,
        /** The provider did not answer in time; it may have accepted the message. */
        TIMEOUT,
        /** The provider refused the message (a 4xx other than throttling). Not retryable. */
        REJECTED,
        /** The message cannot be sent as it is (checked before any provider call). Not retryable. */
        INVALID,
        /** Another send of the same organization and idempotency key is in progress right now. Retryable. */
        IN_PROGRESS,
        /** The outcome of an earlier attempt is unknown ({@link Status#UNKNOWN}). Not retryable. */
        UNKNOWN_OUTCOME,
        /** The module refused it: not this organization's message, or not a domain it may send as. Not retryable. */
        NOT_ALLOWED,
        /** The module is not configured to send through this provider (no API key, say). Not retryable. */
        NOT_CONFIGURED
    }

    public boolean success() {
        return status == Status.SENT;
    }

    public static SendResult sent(ProviderName provider, String messageId, String warning) {
        return new SendResult(Status.SENT, messageId, provider, null, false, warning, null);
    }

    public static SendResult failed(ProviderName provider, Failure failure, String error, boolean retryable,
                                    String warning) {
        return new SendResult(Status.FAILED, null, provider, error, retryable, warning, failure);
    }

    /**
     * A failure of an unstated kind: {@link Failure#UNAVAILABLE} when retryable, else {@link Failure#REJECTED}.
     * Prefer {@link #failed(ProviderName, Failure, String, boolean, String)}.
     */
    public static SendResult failed(ProviderName provider, String error, boolean retryable, String warning) {
        return failed(provider, retryable ? Failure.UNAVAILABLE : Failure.REJECTED, error, retryable, warning);
    }

    public static SendResult suppressed(ProviderName provider, String reason) {
        return new SendResult(Status.SUPPRESSED, null, provider, reason, false, null, null);
    }

    /** Not sent: the organization's sending is paused ({@link Status#PAUSED}). */
    public static SendResult paused(ProviderName provider, String reason) {
        return new SendResult(Status.PAUSED, null, provider, reason, false, null, null);
    }

    /** The outcome of an earlier attempt is unknown and the message is not sent again ({@link Status#UNKNOWN}). */
    public static SendResult unknown(ProviderName provider, String error) {
        return new SendResult(Status.UNKNOWN, null, provider, error, false, null, Failure.UNKNOWN_OUTCOME);
    }

    public SendResult withWarning(String value) {
        return new SendResult(status, messageId, provider, error, retryable, value, failure);
    }
}
