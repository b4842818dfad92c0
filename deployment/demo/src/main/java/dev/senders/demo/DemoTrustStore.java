package dev.senders.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

/**
 * The trust store the demo's Payara Micro uses: Payara Micro's own ({@code MICRO-INF/domain/cacerts.p12} in
 * payara-micro.jar), less the CA certificates whose validity has ended.
 * <p>
 * Payara checks the dates of every certificate in its trust store when it builds its trust managers and logs each
 * expired one as a WARNING with the whole certificate (NCLS-SECURITY-05054, logger
 * {@code javax.enterprise.system.security.ssl}, about 70 lines each): with the bundled store of Payara Micro 6.2025.10
 * that is five roots (Entrust Root CA and Entrust EV CA, which ended 2026-11-27, and three TC TrustCenter roots
 * that ended 2025-12-31), about 350 of the first 611 lines of the demo's log.
 * <p>
 * Dropping them trusts nothing less that a TLS client may rely on: a CA certificate past its end is no longer a valid
 * trust anchor for the clients that check it (browsers, OpenSSL), its CA has moved its customers to the successor roots
 * (Entrust Root CA - G2 and EC1, T-TeleSec GlobalRoot Class 2 and 3), which are valid and stay, and the JDK's own
 * cacerts loses its expired roots in the same way at each update. Every certificate that is still valid stays, under its
 * alias, and the store keeps Payara's password ({@value #PASSWORD}, Payara's default master password, as in the bundled
 * file). The dates are checked against the clock at each start, so a root that ends later is dropped then.
 */
final class DemoTrustStore {

    static final String PASSWORD = "changeit";
    static final String BUNDLED = "MICRO-INF/domain/cacerts.p12";

    /** What was written: the aliases kept and those dropped (expired). */
    record Written(Path file, List<String> kept, List<String> dropped) {
    }

    private DemoTrustStore() {
    }

    /** Writes Payara Micro's trust store without the certificates expired at {@code now} to {@code target}. */
    static Written write(Path payaraMicroJar, Path target, Instant now) {
        try (JarFile jar = new JarFile(payaraMicroJar.toFile())) {
            ZipEntry entry = jar.getEntry(BUNDLED);
            if (entry == null) {
                throw new IllegalStateException(payaraMicroJar + " has no " + BUNDLED);
            }
            KeyStore bundled = KeyStore.getInstance("PKCS12");
            try (InputStream in = jar.getInputStream(entry)) {
                bundled.load(in, PASSWORD.toCharArray());
            }
            KeyStore kept = KeyStore.getInstance("PKCS12");
            kept.load(null, PASSWORD.toCharArray());
            List<String> keptAliases = new ArrayList<>();
            List<String> dropped = new ArrayList<>();
            for (String alias : Collections.list(bundled.aliases())) {
                Certificate certificate = bundled.getCertificate(alias);
                if (!bundled.isCertificateEntry(alias) || certificate == null) {
                    continue; // a trust store holds certificates only
                }
                if (certificate instanceof X509Certificate x509 && x509.getNotAfter().before(Date.from(now))) {
                    dropped.add(alias);
                } else {
                    kept.setCertificateEntry(alias, certificate);
                    keptAliases.add(alias);
                }
            }
            Files.createDirectories(target.toAbsolutePath().getParent());
            try (OutputStream out = Files.newOutputStream(target)) {
                kept.store(out, PASSWORD.toCharArray());
            }
            return new Written(target, List.copyOf(keptAliases), List.copyOf(dropped));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo's trust store " + target, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read Payara Micro's trust store in " + payaraMicroJar, e);
        }
    }
}
