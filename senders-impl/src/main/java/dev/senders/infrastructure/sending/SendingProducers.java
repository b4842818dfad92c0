package dev.senders.infrastructure.sending;

import dev.senders.infrastructure.ses.SesClientProducer;
import dev.senders.infrastructure.ses.SesSettings;
import dev.senders.infrastructure.unsubscribe.UnsubscribeLinks;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import software.amazon.awssdk.services.ses.SesClient;

import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * CDI wiring of the senders: the application's shared JAX-RS {@link Client} (connect and read timeouts from
 * {@code senders.resend.timeout}, closed on shutdown), and one {@link ResendEmailSender} and {@link SesEmailSender}
 * with the module's unsubscribe links (final classes, hence {@link Singleton} rather than a proxied normal scope).
 * The SES sender's client is built with {@link SesClientProducer#builder}, for sending.
 */
@ApplicationScoped
public class SendingProducers {

    private static final Logger LOG = Logger.getLogger(SendingProducers.class.getName());

    @Produces
    @ApplicationScoped
    Client httpClient(ResendSettings settings) {
        long millis = settings.timeout().toMillis();
        return ClientBuilder.newBuilder()
                .connectTimeout(millis, TimeUnit.MILLISECONDS)
                .readTimeout(millis, TimeUnit.MILLISECONDS)
                .build();
    }

    void closeHttpClient(@Disposes Client client) {
        client.close();
    }

    @Produces
    @Singleton
    ResendEmailSender resendEmailSender(Client client, ResendSettings settings, UnsubscribeLinks unsubscribeLinks) {
        ResendEmailSender sender = new ResendEmailSender(client, settings.baseUrl(), settings.apiKey().orElse(null),
                unsubscribeLinks);
        if (settings.apiKey().isEmpty()) {
            LOG.warning("No Resend API key (senders.resend.api-key or RESEND_API_KEY): sends through Resend will fail");
        }
        LOG.info(() -> "Senders Resend client: " + settings);
        return sender;
    }

    /**
     * The SES sender, with an SES client of its own, built for sending ({@link SesEmailSender#forSending}; the same
     * region, credentials, endpoint, connection pool and timeouts as the application's). Closed with the application.
     */
    @Produces
    @Singleton
    SesEmailSender sesEmailSender(SesSettings settings, UnsubscribeLinks unsubscribeLinks) {
        SesClient sending = SesClientProducer.builder(settings,
                o -> SesEmailSender.forSending(o, settings.maxAttempts())).build();
        return new SesEmailSender(sending, unsubscribeLinks);
    }

    void closeSesEmailSender(@Disposes SesEmailSender sender) {
        sender.client().close();
    }
}
