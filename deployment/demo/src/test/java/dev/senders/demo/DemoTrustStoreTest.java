package dev.senders.demo;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's trust store is Payara Micro's own (6.2025.10, the version the build pins) less exactly the certificates
 * that had ended at the given moment: every other one stays, under its alias, in a store Payara opens with its
 * password.
 */
class DemoTrustStoreTest {

    static final Path MICRO = Path.of(System.getProperty("senders.demo.runtime"), "payara-micro.jar");

    @TempDir
    Path dir;

    @Test
    void onlyTheExpiredCertificatesAreLeftOut() throws Exception {
        Instant now = Instant.parse("2026-12-04T00:00:00Z");
        DemoTrustStore.Written written = DemoTrustStore.write(MICRO, dir.resolve("cacerts.p12"), now);

        assertThat(written.dropped()).containsExactlyInAnyOrder("cert_7_entrust_root_certification_authority7",
                "entrustevca", "trustcenterclass2caii", "trustcenterclass4caii", "trustcenteruniversalcai");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(written.file())) {
            store.load(in, DemoTrustStore.PASSWORD.toCharArray());
        }
        assertThat(Collections.list(store.aliases())).containsExactlyInAnyOrderElementsOf(written.kept())
                .doesNotContainAnyElementsOf(written.dropped())
                .contains("cert_119_entrust_root_certification_authority___g2119", "ttelesecglobalrootclass2ca");
        for (String alias : written.kept()) {
            assertThat(store.isCertificateEntry(alias)).isTrue();
            assertThat(((X509Certificate) store.getCertificate(alias)).getNotAfter()).isAfter(Date.from(now));
        }
        assertThat(written.kept().size() + written.dropped().size()).as("every certificate of Payara's store")
                .isEqualTo(bundledCount());
    }

    @Test
    void beforeAnyEndedNothingIsLeftOut() {
        DemoTrustStore.Written written = DemoTrustStore.write(MICRO, dir.resolve("cacerts.p12"),
                Instant.parse("2025-06-01T00:00:00Z"));
        assertThat(written.dropped()).isEmpty();
    }

    private static int bundledCount() throws Exception {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(MICRO.toFile());
             InputStream in = jar.getInputStream(jar.getEntry(DemoTrustStore.BUNDLED))) {
            KeyStore bundled = KeyStore.getInstance("PKCS12");
            bundled.load(in, DemoTrustStore.PASSWORD.toCharArray());
            return Collections.list(bundled.aliases()).size();
        }
    }
}
