package org.linkgate.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * Reads and creates secret files (owner read/write only). A secret's value never appears in
 * a message or log; a missing secret fails with the path so operators know what to mount, and a
 * secret others could read ({@link #requirePrivate}) is refused before it is read.
 */
public final class SecretFiles {

    /** Mode of every secret file the gateway writes. */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFiles() {
    }

    /** Reads a base64 key file; fails if absent, readable by others, or not exactly {@code expectedBytes} long. */
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

    /** Reads a secret text file, stripped; fails if absent or readable by others ({@link #requirePrivate}). */
    public static String readText(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("secret file " + file + " is missing");
        }
        requirePrivate(file);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read secret file " + file, e);
        }
    }

    /**
     * Refuses a secret file that anyone but the gateway could read or change: any permission for
     * others, write for the group, or read for the group. One exception, how Kubernetes mounts a
     * Secret when the pod sets {@code fsGroup}: the file is owned by another user (root), its group
     * is the gateway's own group and it is read-only (0440) — group read is then the only way the
     * gateway itself reads it. File systems without POSIX permissions are not checked.
     *
     * @throws IllegalStateException naming the file and its mode, never its content
     */
    public static void requirePrivate(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return;
        }
        try {
            Set<PosixFilePermission> mode = view.readAttributes().permissions();
            boolean others = mode.contains(PosixFilePermission.OTHERS_READ) || mode.contains(PosixFilePermission.OTHERS_WRITE)
                    || mode.contains(PosixFilePermission.OTHERS_EXECUTE);
            boolean groupWrites = mode.contains(PosixFilePermission.GROUP_WRITE);
            boolean groupReads = mode.contains(PosixFilePermission.GROUP_READ);
            if (others || groupWrites || (groupReads && !mountedForOwnGroup(file))) {
                throw new IllegalStateException("secret file " + file + " is accessible to group or others (mode "
                        + PosixFilePermissions.toString(mode) + "): make it owner-only, e.g. chmod 600");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of secret file " + file, e);
        }
    }

    /** A file owned by someone else whose group is this process's group: a Kubernetes Secret with fsGroup. */
    private static boolean mountedForOwnGroup(Path file) throws IOException {
        ProcessIdentity self = ProcessIdentity.current();
        if (self == null) {
            return false;
        }
        int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int group = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        return owner != self.uid() && group == self.gid();
    }

    /** Creates a file holding {@code bytes} random bytes in base64, unless it exists. */
    public static void createRandomKeyIfMissing(Path file, int bytes) {
        byte[] key = new byte[bytes];
        RANDOM.nextBytes(key);
        writeIfMissing(file, Base64.getEncoder().encodeToString(key));
    }

    /** Creates a secret text file with mode 0600 (in an owner-only directory), unless it exists. */
    public static void writeIfMissing(Path file, String content) {
        GatewayHome.ensureDirectory(file.getParent());
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            Files.writeString(file, content + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            // keep the existing secret: regenerating a key would silently change every pseudo_id
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write secret file " + file, e);
        }
    }

    /**
     * Writes {@code content} to {@code file} with mode 0600 whatever the process umask, replacing it:
     * written beside it first and renamed, so a reader never sees a half-written or looser file.
     */
    public static void writeOwnerOnly(Path file, String content) {
        Path dir = GatewayHome.ensureDirectory(file.toAbsolutePath().getParent());
        try {
            Path part = Files.createTempFile(dir, "." + file.getFileName(), ".part",
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            try {
                Files.writeString(part, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                Files.move(part, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static String randomPassphrase() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
