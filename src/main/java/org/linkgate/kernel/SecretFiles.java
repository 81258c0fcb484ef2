package org.linkgate.kernel;

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
 * Reads and creates secret files (owner read/write only). A secret's value never appears in
 * a message or log; a missing secret fails with the path so operators know what to mount.
 */
public final class SecretFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** Reads a base64 key file; fails if absent or not exactly {@code expectedBytes} long. */
    public static byte[] readKey(Path file, int expectedBytes) {
        String text = readText(file);
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("secret file " + file + " is not base64");
        }
        if (key.length != expectedBytes) {
            throw new IllegalStateException("secret file " + file + " must hold " + expectedBytes + " bytes");
        }
        return key;
    }

    public static String readText(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("secret file " + file + " is missing");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file, e);
        }
    }

    /** Creates a file holding {@code bytes} random bytes in base64, unless it exists. */
    public static void createRandomKeyIfMissing(Path file, int bytes) {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        writeIfMissing(file, Base64.getEncoder().encodeToString(key));
    }

    /** Creates a secret text file with mode 0600, unless it exists. */
    public static void writeIfMissing(Path file, String content) {
        GatewayHome.ensureDirectory(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            // keep the existing secret: regenerating a key would silently change every pseudo_id
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secret file " + file, e);
        }
    }

    public static String randomPassphrase() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
