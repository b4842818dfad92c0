package dev.senders.infrastructure.sns;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * SNS signing certificates by URL, fetched once and cached (the least recently used beyond
 * {@code senders.sns.certificate-cache-size} are dropped). Concurrent requests for a URL share one fetch; a failed
 * fetch is remembered for {@link #RETRY_FAILED_AFTER}, so a flood of messages naming a missing certificate makes one
 * request, not one each. Call it only with a URL {@link SnsSignatures#checkCertificateUrl} accepted.
 */
@ApplicationScoped
public class SnsCertificates {

    /** SNS's certificate files are about 2 KB. */
    static final int MAX_CERTIFICATE_BYTES = 16 * 1024;
    static final Duration RETRY_FAILED_AFTER = Duration.ofSeconds(30);

    @Inject
    SnsSettings settings;

    @Inject
    SnsHttp http;

    private record Entry(CompletableFuture<X509Certificate> certificate, Instant fetchedAt) {
    }

    private final Map<String, Entry> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > settings.certificateCacheSize();
        }
    };

    SnsCertificates() {
    }

    /** For tests. */
    public SnsCertificates(SnsSettings settings, SnsHttp http) {
        this.settings = settings;
        this.http = http;
    }

    /**
     * The certificate at the URL.
     *
     * @throws SnsRejected 403 when it is not there or not a certificate, 503 when SNS could not be reached (SNS
     *                     retries the delivery)
     */
    public X509Certificate get(URI url, Instant now) {
        String key = url.toString();
        Entry entry;
        boolean fetchHere = false;
        synchronized (cache) {
            entry = cache.get(key);
            if (entry == null || stale(entry, now)) {
                entry = new Entry(new CompletableFuture<>(), now);
                cache.put(key, entry);
                fetchHere = true;
            }
        }
        if (fetchHere) {
            try {
                entry.certificate().complete(fetch(url));
            } catch (RuntimeException e) {
                entry.certificate().completeExceptionally(e);
            }
        }
        try {
            return entry.certificate().get(settings.httpTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SnsRejected r ? r
                    : new SnsRejected(503, "sns-certificate-unavailable", "The signing certificate could not be read",
                    e.getCause());
        } catch (TimeoutException e) {
            throw new SnsRejected(503, "sns-certificate-unavailable", "The signing certificate could not be fetched"
                    + " in time", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnsRejected(503, "sns-certificate-unavailable", "Interrupted", e);
        }
    }

    /** A failed fetch is retried after a while; a certificate past its end is fetched again (to no avail, surely). */
    private static boolean stale(Entry entry, Instant now) {
        CompletableFuture<X509Certificate> c = entry.certificate();
        if (!c.isDone()) {
            return false;
        }
        if (c.isCompletedExceptionally()) {
            return entry.fetchedAt().plus(RETRY_FAILED_AFTER).isBefore(now);
        }
        return c.join().getNotAfter().toInstant().isBefore(now);
    }

    private X509Certificate fetch(URI url) {
        SnsHttp.Answer answer;
        try {
            answer = http.get(url, MAX_CERTIFICATE_BYTES);
        } catch (IOException e) {
            throw new SnsRejected(503, "sns-certificate-unavailable", "The signing certificate could not be fetched: "
                    + e.getClass().getSimpleName(), e);
        }
        if (answer.status() >= 500 || answer.status() == 429) {
            throw new SnsRejected(503, "sns-certificate-unavailable", "The certificate host answered "
                    + answer.status());
        }
        if (answer.status() != 200) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "No certificate at SigningCertURL (HTTP "
                    + answer.status() + ")");
        }
        if (answer.body() == null) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The SigningCertURL document is too large");
        }
        try {
            if (CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(answer.body()))
                    instanceof X509Certificate certificate) {
                return certificate;
            }
        } catch (CertificateException e) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The SigningCertURL document is not a certificate",
                    e);
        }
        throw SnsRejected.forbidden("sns-certificate-invalid", "The SigningCertURL document is not an X.509"
                + " certificate");
    }
}
