package dev.senders.infrastructure.sns;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules that prove an SNS message genuine, with nothing but the JDK's crypto. Stateless; the certificate itself
 * is fetched (and cached) by {@link SnsCertificates}.
 *
 * <ol>
 *     <li><b>Where the certificate is</b> ({@link #checkCertificateUrl}): {@code https://sns.<region>.amazonaws.com/<name>.pem},
 *     the region being the topic's. No other scheme, host, port, user info, query or fragment; one path segment
 *     ending in {@code .pem}. So the server fetches nothing but SNS's own certificate files, over TLS. The TLS
 *     connection is validated against the JVM's trust store with host name verification: that is the chain of trust
 *     of the certificate, whose file holds the signing certificate only (not its intermediate CA, so it cannot be
 *     path-validated on its own), exactly as AWS's own validators rely on it.</li>
 *     <li><b>The certificate</b> ({@link #checkCertificate}): valid now (not before, not after), issued to SNS (subject
 *     CN {@code sns.amazonaws.com}, and when it lists DNS names, {@code sns.amazonaws.com} among them, as AWS's
 *     certificates do), an RSA key allowed to sign (key usage, when present, includes digitalSignature), and not a
 *     CA.</li>
 *     <li><b>The signature</b> ({@link #verifySignature}): SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA, over
 *     {@link SnsMessage#stringToSign()} in UTF-8.</li>
 * </ol>
 */
public final class SnsSignatures {

    /** The name AWS's SNS signing certificates are issued to. */
    public static final String SNS_CERTIFICATE_NAME = "sns.amazonaws.com";

    private static final Pattern PEM_PATH = Pattern.compile("/[A-Za-z0-9._-]+\\.pem");
    private static final int SAN_DNS_NAME = 2;

    /**
     * Each thread's verifiers by algorithm: looking a provider's Signature up costs more than the RSA check. A
     * verifier is initialized with the key again for every message; nothing of one message is left in it for the next.
     */
    private static final ThreadLocal<Map<String, Signature>> VERIFIERS = ThreadLocal.withInitial(HashMap::new);

    private SnsSignatures() {
    }

    /**
     * Throws unless {@code url} is the https URL of a {@code .pem} file on the SNS host of the message's region, or,
     * in tests only, on {@code testHost} ({@code host:port} of a loopback server; empty in production).
     *
     * @return the URL
     */
    public static URI checkCertificateUrl(SnsMessage message, Optional<String> testHost) {
        URI uri = strictHttpsUri(message.signingCertUrl(), "SigningCertURL", "sns-certificate-url");
        if (!onHost(uri, message.snsHost(), testHost)) {
            throw SnsRejected.forbidden("sns-certificate-url", "SigningCertURL must be on " + message.snsHost()
                    + ", the SNS host of the topic's region");
        }
        if (uri.getRawQuery() != null || !PEM_PATH.matcher(uri.getRawPath() == null ? "" : uri.getRawPath()).matches()) {
            throw SnsRejected.forbidden("sns-certificate-url", "SigningCertURL must name a .pem file");
        }
        return uri;
    }

    /**
     * A URL that is https, with a host, without user info or fragment. Raw characters outside RFC 3986 make it
     * invalid rather than being "fixed".
     */
    static URI strictHttpsUri(String value, String field, String reason) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw SnsRejected.forbidden(reason, field + " is not a valid URL");
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null
                || uri.getRawFragment() != null) {
            throw SnsRejected.forbidden(reason, field + " must be an https URL");
        }
        return uri;
    }

    /** Whether the URL's host is {@code host} on the default port, or exactly the test host and port. */
    static boolean onHost(URI uri, String host, Optional<String> testHost) {
        if (uri.getHost().equalsIgnoreCase(host) && (uri.getPort() == -1 || uri.getPort() == 443)) {
            return true;
        }
        return testHost.isPresent() && testHost.get().equalsIgnoreCase(uri.getHost() + ":" + uri.getPort());
    }

    /** Throws unless the certificate is valid at {@code now} and issued to SNS for signing. */
    public static void checkCertificate(X509Certificate certificate, Instant now) {
        checkValidity(certificate, now);
        checkIssuedToSns(certificate);
    }

    /** Throws unless the certificate is valid at {@code now} (not before its start, not after its end). */
    public static void checkValidity(X509Certificate certificate, Instant now) {
        try {
            certificate.checkValidity(Date.from(now));
        } catch (CertificateExpiredException e) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The signing certificate has expired", e);
        } catch (CertificateNotYetValidException e) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The signing certificate is not valid yet", e);
        }
    }

    /**
     * Throws unless the certificate is issued to SNS for signing: what {@link #checkCertificate} checks besides the
     * time, so its answer for a certificate never changes.
     */
    public static void checkIssuedToSns(X509Certificate certificate) {
        if (!SNS_CERTIFICATE_NAME.equalsIgnoreCase(commonName(certificate).orElse(""))) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The signing certificate is not issued to "
                    + SNS_CERTIFICATE_NAME);
        }
        List<String> dnsNames = dnsNames(certificate);
        if (!dnsNames.isEmpty() && dnsNames.stream().noneMatch(SNS_CERTIFICATE_NAME::equalsIgnoreCase)) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The signing certificate's names do not include "
                    + SNS_CERTIFICATE_NAME);
        }
        boolean[] keyUsage = certificate.getKeyUsage();
        if (keyUsage != null && (keyUsage.length == 0 || !keyUsage[0])) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The certificate's key may not sign");
        }
        if (certificate.getBasicConstraints() >= 0) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The signing certificate is a CA certificate");
        }
        if (!(certificate.getPublicKey() instanceof RSAPublicKey)) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The signing certificate's key is not RSA");
        }
    }

    /** Throws unless the message's signature is the certificate key's signature of its string to sign. */
    public static void verifySignature(SnsMessage message, X509Certificate certificate) {
        String algorithm = switch (message.signatureVersion()) {
            case "1" -> "SHA1withRSA";
            case "2" -> "SHA256withRSA";
            default -> throw SnsRejected.forbidden("sns-signature-invalid", "SignatureVersion "
                    + printable(message.signatureVersion()) + " is not supported (1 or 2)");
        };
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(message.signature());
        } catch (IllegalArgumentException e) {
            throw SnsRejected.forbidden("sns-signature-invalid", "The signature is not Base64");
        }
        boolean valid;
        try {
            Signature verifier = VERIFIERS.get().get(algorithm);
            if (verifier == null) {
                verifier = Signature.getInstance(algorithm);
                VERIFIERS.get().put(algorithm, verifier);
            }
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(message.stringToSign().getBytes(StandardCharsets.UTF_8));
            valid = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw SnsRejected.forbidden("sns-signature-invalid", "The message's signature does not verify");
        }
    }

    static Optional<String> commonName(X509Certificate certificate) {
        try {
            List<Rdn> rdns = new LdapName(certificate.getSubjectX500Principal().getName()).getRdns();
            // the most specific CN: LdapName indexes RDNs from the right (least specific) end
            for (int i = rdns.size() - 1; i >= 0; i--) {
                Rdn rdn = rdns.get(i);
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(String.valueOf(rdn.getValue()));
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }

    static List<String> dnsNames(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(n -> n.size() >= 2 && Integer.valueOf(SAN_DNS_NAME).equals(n.get(0)))
                    .map(n -> String.valueOf(n.get(1))).toList();
        } catch (CertificateParsingException e) {
            throw SnsRejected.forbidden("sns-certificate-invalid", "The signing certificate's names are unreadable", e);
        }
    }

    private static String printable(String value) {
        String cleaned = value.replaceAll("[^\\p{Alnum}._-]", "?");
        return cleaned.length() > 16 ? cleaned.substring(0, 16) : cleaned;
    }
}
