package dev.senders.infrastructure.sns;

import dev.senders.sandbox.TestKeys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A throw-away PKI for the tests, made with the JDK's {@code keytool} command (no key or certificate is shipped, none
 * expires in the repository): a test CA; an SNS-like signing certificate it issued (CN and DNS name
 * {@code sns.amazonaws.com}, digitalSignature); variants of it (expired, issued to another name, a CA); a TLS
 * certificate for {@code 127.0.0.1} and {@code localhost} for a local https server; and a PKCS12 trust store holding
 * the CA. Made once per JVM in a temporary folder.
 */
final class TestPki {

    static final String PASSWORD = "test-pki-password";

    private static TestPki instance;

    final Path dir;
    final X509Certificate ca;
    final PrivateKey signerKey;
    final X509Certificate signer;
    final X509Certificate expired;
    final X509Certificate wrongName;
    final X509Certificate caFlagged;
    /** PKCS12 with the TLS key and its chain. */
    final Path tlsKeyStore;
    /** PKCS12 with the CA only. */
    final Path trustStore;

    static synchronized TestPki get() {
        if (instance == null) {
            try {
                instance = new TestPki(Files.createTempDirectory("senders-test-pki-"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    private TestPki(Path dir) {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "5",
                "-dname", "CN=Senders Test CA, O=Senders Tests", "-ext", "bc:c", "-keystore", "ca.p12");
        keytool("-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
        ca = read("ca.pem");

        String signerCsr = request("signer", "CN=sns.amazonaws.com");
        signer = issue(signerCsr, "signer.pem", null, "3", "SAN=dns:sns.amazonaws.com",
                "KU=digitalSignature,keyEncipherment", "BC=ca:false");
        expired = issue(signerCsr, "expired.pem", "-40d", "30", "SAN=dns:sns.amazonaws.com",
                "KU=digitalSignature", "BC=ca:false");
        wrongName = issue(signerCsr, "wrong-name.pem", null, "3", "-dname", "CN=attacker.example.com",
                "SAN=dns:attacker.example.com", "KU=digitalSignature");
        caFlagged = issue(signerCsr, "ca-flagged.pem", null, "3", "SAN=dns:sns.amazonaws.com", "BC=ca:true");
        signerKey = privateKey("signer");

        String tlsCsr = request("tls", "CN=127.0.0.1");
        issue(tlsCsr, "tls.pem", null, "3", "SAN=ip:127.0.0.1,dns:localhost", "KU=digitalSignature,keyEncipherment",
                "EKU=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "tls.p12");
        keytool("-importcert", "-noprompt", "-alias", "tls", "-file", "tls.pem", "-keystore", "tls.p12");
        tlsKeyStore = dir.resolve("tls.p12");

        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "trust.p12");
        trustStore = dir.resolve("trust.p12");
    }

    /** A key pair in {@code <alias>.p12} and its certificate request. */
    private String request(String alias, String dname) {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3",
                "-dname", dname, "-keystore", alias + ".p12");
        keytool("-certreq", "-alias", alias, "-file", alias + ".csr", "-keystore", alias + ".p12");
        return alias + ".csr";
    }

    /** The CA's certificate for the request; {@code options} are {@code -ext} values, or {@code -dname X}. */
    private X509Certificate issue(String csr, String out, String startDate, String validity, String... options) {
        List<String> args = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile", csr,
                "-outfile", out, "-rfc", "-validity", validity));
        if (startDate != null) {
            args.add("-startdate");
            args.add(startDate);
        }
        for (int i = 0; i < options.length; i++) {
            if (options[i].equals("-dname")) {
                args.add("-dname");
                args.add(options[++i]);
            } else {
                args.add("-ext");
                args.add(options[i]);
            }
        }
        keytool(args.toArray(String[]::new));
        return read(out);
    }

    byte[] pem(String name) {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private X509Certificate read(String name) {
        try (InputStream in = new ByteArrayInputStream(pem(name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private PrivateKey privateKey(String alias) {
        return TestKeys.privateKey(dir.resolve(alias + ".p12"), alias, PASSWORD);
    }

    /** Base64 of the signer's signature of {@code text} (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA). */
    String sign(String text, String signatureVersion) {
        return sign(text, signatureVersion, signerKey);
    }

    static String sign(String text, String signatureVersion, PrivateKey key) {
        return TestKeys.snsSignature(text, signatureVersion, key);
    }

    private void keytool(String... args) {
        TestKeys.keytool(dir, PASSWORD, args);
    }
}
