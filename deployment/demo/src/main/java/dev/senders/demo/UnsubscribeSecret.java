package dev.senders.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The demo's {@code senders.unsubscribe.secrets}: 32 random bytes (43 characters, the module wants 32 or more), made at
 * the first start and kept in the demo's data folder ({@value #FILE}, readable by its owner only) so that the links in
 * mail sent earlier keep working after a restart. Never printed or logged: it goes to Payara Micro in its environment.
 */
final class UnsubscribeSecret {

    static final String FILE = "unsubscribe-secret";

    private UnsubscribeSecret() {
    }

    /** The secret kept in {@code dataDirectory}, made now if there is none. */
    static String in(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE);
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[32];
                new SecureRandom().nextBytes(random);
                String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                create(file, secret);
            }
            String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (secret.length() < 32) {
                throw new IllegalStateException(file + " holds no usable secret (32 characters or more): delete it"
                        + " to get a new one");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the unsubscribe secret in " + file, e);
        }
    }

    private static void create(Path file, String secret) throws IOException {
        Files.createDirectories(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, secret, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
