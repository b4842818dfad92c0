package dev.senders.sandbox.sns;

import dev.senders.sandbox.TestKeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;

/**
 * A throw-away PKI made with the JDK's keytool, to play SNS on loopback: a CA; an SNS-like signing certificate it
 * issued (CN and DNS name sns.amazonaws.com); a TLS certificate for 127.0.0.1 and localhost; and a trust store
 * holding the CA, which the module is pointed at ({@code senders.sns.test.trust-store}).
 */
public final class SnsPki {

    public static final String PASSWORD = "sns-test-trust";

    private final Path dir;
    private final PrivateKey signerKey;
    private final byte[] signerPem;
    private final PrivateKey tlsKey;
    private final Path tlsKeyStore;

    private SnsPki(Path dir, Path trustStore) throws IOException {
        this.dir = dir;
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "5",
                "-dname", "CN=Senders Test CA, O=Senders Tests", "-ext", "bc:c", "-keystore", "ca.p12");
        keytool("-exportcert", "-alias", "ca", "-rfc", "-file", "ca.pem", "-keystore", "ca.p12");
        issue("signer", "CN=sns.amazonaws.com", "SAN=dns:sns.amazonaws.com", "KU=digitalSignature");
        issue("tls", "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost", "EKU=serverAuth");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore", "tls.p12");
        keytool("-importcert", "-noprompt", "-alias", "tls", "-file", "tls.pem", "-keystore", "tls.p12");
        Files.createDirectories(trustStore.toAbsolutePath().getParent());
        Files.deleteIfExists(trustStore);
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", "ca.pem", "-keystore",
                trustStore.toAbsolutePath().toString());
        signerPem = Files.readAllBytes(dir.resolve("signer.pem"));
        signerKey = key("signer");
        tlsKey = key("tls");
        tlsKeyStore = dir.resolve("tls.p12");
    }

    /** Makes the PKI in a new temporary directory and writes the trust store (password {@link #PASSWORD}). */
    public static SnsPki create(Path trustStore) {
        try {
            return new SnsPki(Files.createTempDirectory("sns-pki-"), trustStore);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The signing certificate, PEM, as SNS serves it at its SigningCertURL. */
    public byte[] signerPem() {
        return signerPem.clone();
    }

    /** A key the CA never certified for signing (the TLS key): for signatures that must be refused. */
    public PrivateKey tlsKey() {
        return tlsKey;
    }

    Path tlsKeyStore() {
        return tlsKeyStore;
    }

    /** Base64 signature of {@code text} with the SNS-like signing key (version 1 SHA1withRSA, 2 SHA256withRSA). */
    public String sign(String text, String signatureVersion) {
        return TestKeys.snsSignature(text, signatureVersion, signerKey);
    }

    private void issue(String alias, String dname, String... extensions) {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "3",
                "-dname", dname, "-keystore", alias + ".p12");
        keytool("-certreq", "-alias", alias, "-file", alias + ".csr", "-keystore", alias + ".p12");
        List<String> args = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", "ca.p12", "-infile",
                alias + ".csr", "-outfile", alias + ".pem", "-rfc", "-validity", "3"));
        for (String extension : extensions) {
            args.add("-ext");
            args.add(extension);
        }
        keytool(args.toArray(String[]::new));
    }

    private PrivateKey key(String alias) {
        return TestKeys.privateKey(dir.resolve(alias + ".p12"), alias, PASSWORD);
    }

    private void keytool(String... args) {
        TestKeys.keytool(dir, PASSWORD, args);
    }
}
