package dev.senders.infrastructure.sns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * The only HTTP the webhook does: GETs of URLs already checked to be on the SNS host of the topic's region (or the
 * test-only host). HTTP/1.1 over TLS validated against the JVM's trust store with host name verification (the test
 * host: against the test trust store), redirects never followed, bounded by {@code senders.sns.http-timeout}, and at
 * most {@code maxBytes} of body read.
 */
@ApplicationScoped
public class SnsHttp {

    @Inject
    SnsSettings settings;

    private volatile HttpClient production;
    private volatile HttpClient test;

    SnsHttp() {
    }

    /** For tests. */
    public SnsHttp(SnsSettings settings) {
        this.settings = settings;
    }

    /** An answer: its status and at most the bytes asked for (null when the body was larger). */
    public record Answer(int status, byte[] body) {
    }

    /**
     * GETs the URL.
     *
     * @throws IOException when the server cannot be reached, does not answer in time, or breaks off
     */
    public Answer get(URI url, int maxBytes) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url).GET().timeout(settings.httpTimeout())
                .header("User-Agent", "senders-sns-webhook").build();
        try {
            HttpResponse<InputStream> response = clientFor(url).send(request,
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                byte[] body = in.readNBytes(maxBytes + 1);
                return new Answer(response.statusCode(), body.length > maxBytes ? null : body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private HttpClient clientFor(URI url) {
        boolean testHost = settings.testHost().filter(h -> h.equalsIgnoreCase(url.getHost() + ":" + url.getPort()))
                .isPresent();
        if (testHost) {
            if (test == null) {
                test = client(testContext());
            }
            return test;
        }
        if (production == null) {
            production = client(null);
        }
        return production;
    }

    private HttpClient client(SSLContext context) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.httpTimeout());
        if (context != null) {
            builder.sslContext(context);
        }
        return builder.build();
    }

    private SSLContext testContext() {
        SnsSettings.TestTrust trust = settings.testTrust().orElseThrow();
        try (InputStream in = Files.newInputStream(trust.trustStore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, trust.password().toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("test trust store " + trust.trustStore() + " unreadable", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("test trust store " + trust.trustStore() + " unusable", e);
        }
    }
}
