package dev.senders.application.sending;

import dev.senders.api.sending.EmailMessage;
import dev.senders.api.sending.EmailProvider;
import dev.senders.api.sending.Provider;
import dev.senders.api.sending.ProviderName;
import dev.senders.api.sending.RateLimits;
import dev.senders.api.sending.SendResult;
import dev.senders.infrastructure.sending.ResendEmailSender;
import dev.senders.infrastructure.sending.ResendSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Locale;

/**
 * Resend from the platform's shared default address. A message from any other address goes out from the platform
 * address with the original as Reply-To: the module never sends as a domain the organization has not verified.
 */
@ApplicationScoped
@Provider(ProviderName.RESEND)
public class ResendProvider implements EmailProvider {

    @Inject
    ResendEmailSender sender;

    @Inject
    ResendSettings settings;

    @Inject
    ProviderSend send;

    @Inject
    ProviderRates rates;

    @Override
    public SendResult send(EmailMessage message) {
        EmailMessage outgoing = asPlatform(message);
        return send.send(ProviderName.RESEND, message, outgoing.from(), () -> sender.send(outgoing));
    }

    /** The message as it leaves: from the platform's address, replies to the original sender. */
    EmailMessage asPlatform(EmailMessage message) {
        String platform = settings.fromAddress();
        if (platform.toLowerCase(Locale.ROOT).equals(message.from().toLowerCase(Locale.ROOT))) {
            return message;
        }
        EmailMessage.Builder b = message.toBuilder().from(platform);
        if (message.replyTo().isEmpty()) {
            b.replyTo(message.from());
        }
        if (message.fromName() == null) {
            settings.fromName().ifPresent(b::fromName);
        }
        return b.build();
    }

    @Override
    public ProviderName providerName() {
        return ProviderName.RESEND;
    }

    @Override
    public RateLimits rateLimits() {
        return new RateLimits(rates.perSecond(ProviderName.RESEND), 100, -1);
    }
}
