package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.Provider;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.RateLimits;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.sending.SesEmailSender;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Amazon SES from the organization's own verified domain. It sends only when the From domain is one the
 * organization itself fully verified (never as another organization's identity); otherwise it refuses.
 */
@ApplicationScoped
@Provider(ProviderName.SES)
public class SesProvider implements EmailProvider {

    @Inject
    SesEmailSender sender;

    @Inject
    ProviderSend send;

    @Inject
    ProviderRouting routing;

    @Inject
    ProviderRates rates;

    @Override
    public SendResult send(EmailMessage message) {
        return send(message, routing.route(message.organizationId(), message.from()));
    }

    /**
     * Sends along a route resolved for this very message just before (by {@link ProviderFactory}, at send time), so
     * the route is not resolved twice.
     */
    public SendResult send(EmailMessage message, ProviderRouting.Route route) {
        if (route.provider() != ProviderName.SES) {
            return SendResult.failed(ProviderName.SES, "The domain of " + message.from() + " is not verified for"
                    + " this organization, so it cannot be sent through Amazon SES", false, null);
        }
        return send.send(ProviderName.SES, message, message.from(),
                () -> sender.send(message, route.verifiedDomain(), route.configurationSet()));
    }

    @Override
    public ProviderName providerName() {
        return ProviderName.SES;
    }

    @Override
    public RateLimits rateLimits() {
        return new RateLimits(rates.perSecond(ProviderName.SES), 1, -1);
    }
}
