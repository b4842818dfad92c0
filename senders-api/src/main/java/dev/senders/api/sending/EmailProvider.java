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

    /** Sends several messages; the default sends them one by one. Results are in the same order. */
    default List<SendResult> sendBatch(List<EmailMessage> messages) {
        return messages.stream().map(this::send).toList();
    }

    ProviderName providerName();

    RateLimits rateLimits();
}
