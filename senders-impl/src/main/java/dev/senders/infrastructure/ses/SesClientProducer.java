package dev.senders.infrastructure.ses;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import software.amazon.awssdk.services.ses.SesClientBuilder;

import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * The SES client of the application's calls other than sends (thread-safe): throttling and 5xx answers are retried by
 * the SDK's standard retry policy, with backoff, up to {@code senders.ses.max-attempts}; each call is bounded by the
 * configured timeouts. Sends have a client of their own, built here with another retry policy
 * ({@code SendingProducers}).
 */
@ApplicationScoped
public class SesClientProducer {

    private static final Logger LOG = Logger.getLogger(SesClientProducer.class.getName());

    @Inject
    SesSettings settings;

    @Produces
    @ApplicationScoped
    SesClient sesClient() {
        SesClient client = builder(settings, o -> o.retryStrategy(RetryMode.STANDARD)
                .retryStrategy(b -> b.maxAttempts(settings.maxAttempts()))).build();
        LOG.info(() -> "Senders SES client: " + settings);
        return client;
    }

    /**
     * A client builder with the settings' region, credentials, endpoint, connection pool and timeouts; {@code retries}
     * completes its override configuration (the application's client: the SDK's standard policy; the sending client:
     * {@code SesEmailSender.forSending}).
     */
    public static SesClientBuilder builder(SesSettings settings,
                                           UnaryOperator<ClientOverrideConfiguration.Builder> retries) {
        AwsCredentialsProvider credentials = settings.accessKeyId().isPresent() && settings.secretAccessKey().isPresent()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKeyId().get(),
                settings.secretAccessKey().get()))
                : DefaultCredentialsProvider.builder().build();
        SesClientBuilder builder = SesClient.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(httpClient(settings))
                .overrideConfiguration(retries.apply(ClientOverrideConfiguration.builder()
                        .apiCallTimeout(settings.apiCallTimeout())
                        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())).build());
        settings.endpointOverride().ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * A pool of kept-alive connections, as many as the calls in flight, so that a send's request goes out on an open
     * connection. The JDK's URL connection client kept at most 5 idle connections to a host (http.maxConnections, for
     * the whole JVM): with dozens of calls in flight, requests opened new connections after the on-the-wire check of
     * their rate slot ({@code RateSlot}), and against SES that is a TLS handshake between the check and SES's count
     * (bench: 3,495 connections in TIME_WAIT at the SES stub after figure 15.2, up to 899 during 15.6; 2 with this
     * pool). Idle connections are dropped after {@code senders.ses.connection-max-idle} (20 s), before a server's own
     * idle timeout closes them under a request. The sending client and the application's each have such a pool; a
     * connection is opened only when a call needs one.
     */
    static ApacheHttpClient.Builder httpClient(SesSettings settings) {
        return ApacheHttpClient.builder()
                .maxConnections(settings.maxConnections())
                .connectionTimeout(settings.connectTimeout())
                .socketTimeout(settings.apiCallAttemptTimeout())
                .connectionMaxIdleTime(settings.connectionMaxIdle())
                .useIdleConnectionReaper(true);
    }

    void close(@Disposes SesClient client) {
        client.close();
    }
}
