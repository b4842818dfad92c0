package dev.senders.host.it.security;

import dev.senders.host.it.TestEnvironment;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * Requests to the https listener of the Arquillian-started Payara Micro ({@link TestEnvironment#httpsPort()}), on
 * 127.0.0.1. Its certificate is Payara's own self-signed "s1as" (for CN=localhost), read from the Payara Micro jar
 * under test: exactly that certificate is trusted (pinned, so its dates do not matter), and only for 127.0.0.1.
 */
final class PayaraHttps {

    /** Status, headers (names in lower case) and body of one answer. */
    record Answer(int status, Map<String, List<String>> headers, String body) {
        List<String> all(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).toList();
        }
    }

    private static SSLContext tls;

    private PayaraHttps() {
    }

    /** A request to {@code path} under the application's context path of {@code base}, with no redirects followed. */
    static Answer send(URL base, String method, String path, Map<String, String> headers, String body) {
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        try {
            HttpsURLConnection c = (HttpsURLConnection) URI.create("https://127.0.0.1:" + TestEnvironment.httpsPort()
                    + context + path).toURL().openConnection();
            c.setSSLSocketFactory(tls().getSocketFactory());
            c.setHostnameVerifier((host, session) -> host.equals("127.0.0.1"));
            c.setInstanceFollowRedirects(false);
            c.setConnectTimeout(5_000);
            c.setReadTimeout(30_000);
            c.setRequestMethod(method);
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Answer(status, c.getHeaderFields(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized SSLContext tls() {
        if (tls == null) {
            try (JarFile micro = new JarFile(System.getProperty("payara.microJar"));
                 InputStream store = micro.getInputStream(micro.getEntry("MICRO-INF/domain/keystore.p12"))) {
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(store, "changeit".toCharArray());
                X509Certificate payara = (X509Certificate) keys.getCertificate("s1as");
                X509TrustManager onlyPayara = new X509TrustManager() {
                    @Override
                    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                        throw new CertificateException("no client certificates");
                    }

                    @Override
                    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                        if (chain.length == 0 || !chain[0].equals(payara)) {
                            throw new CertificateException("not Payara Micro's own certificate");
                        }
                    }

                    @Override
                    public X509Certificate[] getAcceptedIssuers() {
                        return new X509Certificate[]{payara};
                    }
                };
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[]{onlyPayara}, null);
                tls = context;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return tls;
    }
}
