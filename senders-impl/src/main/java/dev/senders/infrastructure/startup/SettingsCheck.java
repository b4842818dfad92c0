package dev.senders.infrastructure.startup;

import dev.senders.infrastructure.resend.ResendWebhookSignatures;
import dev.senders.infrastructure.sending.ResendSettings;
import dev.senders.infrastructure.unsubscribe.UnsubscribeSettings;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;

/**
 * Settings that must be right before the module serves anything, checked once at deployment: a wrong one stops the
 * start ({@link StartupFailure}) with a message naming the key, instead of failing the first send. Secrets are
 * never part of the message.
 * <ul>
 *   <li>{@code senders.resend.base-url}: https, or http on a loopback host only ({@link ResendSettings#baseUrl()})</li>
 *   <li>{@code senders.unsubscribe.*}: the base URL (https, or http on a loopback host) and the secrets (each at least
 *   32 characters) both or neither, a token lifetime of at least 30 days ({@link UnsubscribeSettings#check()})</li>
 *   <li>{@code senders.resend.webhook-secret}: {@code whsec_} and base64, comma separated; and
 *   {@code senders.resend.webhook-tolerance} ({@link ResendWebhookSignatures#check()})</li>
 * </ul>
 */
@Singleton
@Startup
public class SettingsCheck {

    @Inject
    ResendSettings resend;

    @Inject
    UnsubscribeSettings unsubscribe;

    @Inject
    ResendWebhookSignatures resendWebhooks;

    @PostConstruct
    void check() {
        try {
            resend.baseUrl();
            unsubscribe.check();
            resendWebhooks.check();
        } catch (IllegalArgumentException e) {
            throw StartupFailure.stop("Senders: invalid configuration; the module cannot start: " + e.getMessage(), e);
        }
    }
}
