package dev.senders.api.sending;

/**
 * What became of one send.
 *
 * @param status    sent, failed or suppressed (the recipient is on the suppression list; nothing was sent)
 * @param messageId the provider's message id when sent
 * @param provider  the provider that handled it (the one the message actually went through); null when none did (a
 *                  message refused before any provider was chosen, such as another organization's message given to
 *                  a provider obtained for one organization)
 * @param error     what went wrong, for people, when not sent
 * @param retryable whether sending the same message again later may succeed (throttling, timeouts, 5xx)
 * @param warning   a note for the host even on success, e.g. that the message fell back to the platform's domain
 */
public record SendResult(Status status, String messageId, ProviderName provider, String error, boolean retryable,
                         String warning) {

    public enum Status { SENT, FAILED, SUPPRESSED }

    public boolean success() {
        return status == Status.SENT;
    }

    public static SendResult sent(ProviderName provider, String messageId, String warning) {
        return new SendResult(Status.SENT, messageId, provider, null, false, warning);
    }

    public static SendResult failed(ProviderName provider, String error, boolean retryable, String warning) {
        return new SendResult(Status.FAILED, null, provider, error, retryable, warning);
    }

    public static SendResult suppressed(ProviderName provider, String reason) {
        return new SendResult(Status.SUPPRESSED, null, provider, reason, false, null);
    }

    public SendResult withWarning(String value) {
        return new SendResult(status, messageId, provider, error, retryable, value);
    }
}
