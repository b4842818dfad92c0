package dev.senders.api.sending;

import java.util.List;

/**
 * Sends email through one provider. Implementations are CDI beans qualified with {@link Provider}; they respect the
 * platform-wide rate limit, refuse suppressed recipients (status {@code SUPPRESSED}), retry throttling with backoff,
 * and record which provider sent what. Thread-safe.
 */
public interface EmailProvider {

    /** Sends one message; never throws for provider failures (they are in the result). */
    SendResult send(EmailMessage message);

    /**
     * Sends several messages as one batch, with every guarantee of {@link #send} for each (the module's providers
     * claim every idempotency key and read the suppression list once for the batch, use the provider's batch API
     * where it has one, and record the outcomes once). Results are in the same order, one per message. The default,
     * for other implementations, sends them one by one.
     */
    default List<SendResult> sendBatch(List<EmailMessage> messages) {
        return messages.stream().map(this::send).toList();
    }

    ProviderName providerName();

    RateLimits rateLimits();
}
