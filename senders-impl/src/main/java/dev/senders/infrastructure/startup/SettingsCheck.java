package dev.senders.infrastructure.startup;

import dev.senders.infrastructure.sending.ResendSettings;
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
 * </ul>
 */
@Singleton
@Startup
public class SettingsCheck {

    @Inject
    ResendSettings resend;

    @PostConstruct
    void check() {
        try {
            resend.baseUrl();
        } catch (IllegalArgumentException e) {
            throw StartupFailure.stop("Senders: invalid configuration; the module cannot start: " + e.getMessage(), e);
        }
    }
}
