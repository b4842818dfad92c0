package dev.senders.infrastructure.unsubscribe;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * CDI wiring of {@link UnsubscribeLinks} from {@link UnsubscribeSettings} (a final class, hence {@link Singleton}):
 * {@link UnsubscribeLinks#none()} when {@code senders.unsubscribe.*} is not configured. The settings are checked at
 * startup ({@code SettingsCheck}), so a wrong value never gets here.
 */
@ApplicationScoped
public class UnsubscribeProducer {

    @Produces
    @Singleton
    UnsubscribeLinks unsubscribeLinks(UnsubscribeSettings settings) {
        Optional<URI> base = settings.baseUrl();
        List<String> secrets = settings.secrets();
        if (base.isEmpty() || secrets.isEmpty()) {
            return UnsubscribeLinks.none();
        }
        return new UnsubscribeLinks(base.get(), new UnsubscribeTokens(secrets), settings.lifetimeDays(),
                Clock.systemUTC());
    }
}
