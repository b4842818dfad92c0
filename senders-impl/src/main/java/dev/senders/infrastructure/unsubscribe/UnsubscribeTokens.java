package dev.senders.infrastructure.unsubscribe;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Signs and checks the tokens of one-click unsubscribe links: {@code <payload>.<mac>}, both base64url without padding
 * (URL-safe: letters, digits, {@code -}, {@code _} and one dot). The payload holds a version byte, the last day the
 * link works (UTC, as an epoch day), the organization, the recipient and the optional list, each as its UTF-8 length
 * and bytes, so that no two different claims read the same. The MAC is HMAC-SHA256 over a context label and the
 * payload, under a secret.
 *
 * <p><b>Rotation.</b> The first secret signs; every secret verifies. To rotate, put the new secret first and keep
 * the old one after it for one token lifetime, by which time every link it signed has expired; then drop it.
 *
 * <p><b>Checking</b> ({@link #check}): the shape and length first, then the MAC against every secret, compared in
 * constant time ({@link MessageDigest#isEqual}) and without stopping at the first match, and only then are the
 * payload's fields read, and the expiry. An encoding that is not the one this class writes (a different base64 text
 * for the same bytes) is malformed, so one token has one spelling. The payload is signed, not encrypted: the link
 * shows the recipient's address to whoever has the link, as the email itself does. Thread-safe; never logs.
 */
public final class UnsubscribeTokens {

    /** The shortest secret accepted: 32 characters (256 bits when random, as HMAC-SHA256 wants). */
    public static final int MIN_SECRET_LENGTH = 32;
    /** Longer tokens are refused before any decoding. */
    public static final int MAX_TOKEN_LENGTH = 2048;

    private static final int VERSION = 1;
    private static final int MAC_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] CONTEXT = "senders-unsubscribe-v1\n".getBytes(StandardCharsets.US_ASCII);
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final List<SecretKeySpec> keys;

    /**
     * @param secrets the secrets, the signing one first; at least one, each at least {@value #MIN_SECRET_LENGTH}
     *                characters
     * @throws IllegalArgumentException when there is none or one is too short (the message never shows a secret)
     */
    public UnsubscribeTokens(List<String> secrets) {
        Objects.requireNonNull(secrets, "secrets");
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("senders.unsubscribe.secrets has no secret");
        }
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            if (secret == null || secret.strip().length() < MIN_SECRET_LENGTH) {
                throw new IllegalArgumentException("senders.unsubscribe.secrets: secret " + (i + 1) + " of "
                        + secrets.size() + " is shorter than " + MIN_SECRET_LENGTH + " characters");
            }
        }
        this.keys = secrets.stream()
                .map(s -> new SecretKeySpec(s.strip().getBytes(StandardCharsets.UTF_8), ALGORITHM))
                .toList();
    }

    /** The token of these claims, signed with the first secret. */
    public String sign(UnsubscribeToken token) {
        byte[] payload = payload(token);
        return ENCODER.encodeToString(payload) + "." + ENCODER.encodeToString(mac(keys.get(0), payload));
    }

    /** What {@code token} is on {@code today} (UTC); never throws for any input. */
    public TokenCheck check(String token, LocalDate today) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !SHAPE.matcher(token).matches()) {
            return TokenCheck.of(TokenCheck.Outcome.MALFORMED);
        }
        int dot = token.indexOf('.');
        byte[] payload;
        byte[] mac;
        try {
            payload = DECODER.decode(token.substring(0, dot));
            mac = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return TokenCheck.of(TokenCheck.Outcome.MALFORMED);
        }
        if (mac.length != MAC_BYTES || !token.equals(ENCODER.encodeToString(payload) + "."
                + ENCODER.encodeToString(mac))) {
            return TokenCheck.of(TokenCheck.Outcome.MALFORMED);
        }
        boolean signed = false;
        for (SecretKeySpec key : keys) {
            signed |= MessageDigest.isEqual(mac(key, payload), mac);
        }
        if (!signed) {
            return TokenCheck.of(TokenCheck.Outcome.FORGED);
        }
        UnsubscribeToken claims = read(payload);
        if (claims == null) {
            return TokenCheck.of(TokenCheck.Outcome.MALFORMED);
        }
        return new TokenCheck(claims.expiredOn(today) ? TokenCheck.Outcome.EXPIRED : TokenCheck.Outcome.VALID, claims);
    }

    private static byte[] payload(UnsubscribeToken token) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(Math.toIntExact(token.expiresOn().toEpochDay()));
            field(out, token.organizationId());
            field(out, token.recipient());
            out.writeBoolean(token.listId() != null);
            if (token.listId() != null) {
                field(out, token.listId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void field(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a field of an unsubscribe token is longer than 65535 bytes");
        }
        out.writeShort(bytes.length);
        out.write(bytes);
    }

    /** The claims of a signed payload, or null when it is not one this class wrote. */
    private static UnsubscribeToken read(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            if (in.readUnsignedByte() != VERSION) {
                return null;
            }
            LocalDate expiresOn = LocalDate.ofEpochDay(in.readInt());
            String organizationId = field(in);
            String recipient = field(in);
            String listId = in.readBoolean() ? field(in) : null;
            if (in.available() != 0) {
                return null;
            }
            return new UnsubscribeToken(organizationId, recipient, listId, expiresOn);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String field(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readUnsignedShort()];
        in.readFully(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8", e);
        }
    }

    private static byte[] mac(SecretKeySpec key, byte[] payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update(CONTEXT);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }

    @Override
    public String toString() {
        return "UnsubscribeTokens[" + keys.size() + " secret(s)]";
    }
}
