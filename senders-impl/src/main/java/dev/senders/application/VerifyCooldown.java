package dev.senders.application;

import dev.senders.domain.model.SenderRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * The per-sender cooldown of "verify now", claimed and committed on its own before any SES call, so that parallel
 * requests on any instance see it at once.
 */
@ApplicationScoped
public class VerifyCooldown {

    @Inject
    SenderRepository senders;

    @Inject
    @ConfigProperty(name = "senders.verification.cooldown", defaultValue = "PT30S")
    Duration cooldown;

    /** @return 0 when claimed, else the seconds to wait */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public long claim(String organizationId, long senderId) {
        if (senders.claimVerification(organizationId, senderId, cooldown)) {
            return 0;
        }
        return senders.cooldownRemainingSeconds(organizationId, senderId, cooldown);
    }

    /** Seconds until the sender may be checked again (0 when it may now). */
    public long remainingSeconds(dev.senders.domain.model.Sender sender) {
        if (sender.getVerifyRequestedAt() == null) {
            return 0;
        }
        // rounded up, as Retry-After is: a button re-enabled at 0 must not meet a 429
        long millis = Duration.between(java.time.OffsetDateTime.now(), sender.getVerifyRequestedAt().plus(cooldown))
                .toMillis();
        return Math.max(0, (millis + 999) / 1000);
    }

    public Duration cooldown() {
        return cooldown;
    }
}
