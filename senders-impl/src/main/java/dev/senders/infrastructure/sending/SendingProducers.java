package dev.senders.infrastructure.sending;

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
 * The {@link SesClient} comes from {@code dev.senders.infrastructure.ses.SesClientProducer}.
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

    @Produces
    @Singleton
    SesEmailSender sesEmailSender(SesClient ses, UnsubscribeLinks unsubscribeLinks) {
        return new SesEmailSender(ses, unsubscribeLinks);
    }
}
