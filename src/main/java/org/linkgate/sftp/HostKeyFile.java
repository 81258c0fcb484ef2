package org.linkgate.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's persisted host key: an RSA-3072 key generated once and kept as an unencrypted OpenSSH private key
 * file readable by the owner only. Never Java serialisation (CVE-2022-45047). Refuses a key file that group or others
 * can access, as OpenSSH does.
 */
final class HostKeyFile {

    static final String ALGORITHM = "RSA";
    static final int KEY_BITS = 3072;

    private static final Logger LOG = LoggerFactory.getLogger(HostKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path file;

    HostKeyFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** Loads the key pair, generating and writing it first if the file does not exist yet. */
    KeyPair loadOrCreate() throws IOException, GeneralSecurityException {
        if (Files.notExists(file)) {
            create();
        }
        return load();
    }

    private void create() throws IOException, GeneralSecurityException {
        Path dir = file.getParent();
        if (isPosix(dir) && Files.notExists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
        generator.initialize(KEY_BITS);
        KeyPair keyPair = generator.generateKeyPair();

        // Write to a private temporary file first so a crash never leaves a half-written key behind.
        Path temporary = isPosix(dir)
                ? Files.createTempFile(dir, ".hostkey", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                : Files.createTempFile(dir, ".hostkey", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(keyPair, "linkgate-sftp-host-key", null, out);
            }
            Files.move(temporary, file);
            LOG.info("Generated a new SFTP host key ({} {}) at {}", ALGORITHM, KEY_BITS, file);
        } catch (FileAlreadyExistsException raced) {
            LOG.info("SFTP host key at {} was created concurrently; using the existing one", file);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private KeyPair load() throws IOException, GeneralSecurityException {
        requireOwnerOnly();
        List<KeyPair> keyPairs = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            Iterable<KeyPair> loaded = SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName(file.getFileName().toString()), in, null);
            if (loaded != null) {
                loaded.forEach(keyPairs::add);
            }
        }
        if (keyPairs.size() != 1) {
            throw new GeneralSecurityException(
                    "Host key file " + file + " must hold exactly one key pair but holds " + keyPairs.size());
        }
        return keyPairs.get(0);
    }

    private void requireOwnerOnly() throws IOException {
        if (!isPosix(file)) {
            LOG.warn("Cannot check permissions of host key file {} on this file system", file);
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!OWNER_ONLY.containsAll(permissions) && !mountedReadOnlyForOwnGroup(permissions)) {
            throw new IOException("Host key file " + file + " is accessible by group or others ("
                    + PosixFilePermissions.toString(permissions) + "); it must be mode 0600");
        }
    }

    /**
     * The one looser mode accepted: a Kubernetes Secret mounted with the pod's {@code fsGroup} (0440, owned
     * by another user, group the gateway's own), where group read is how the gateway itself reads the key.
     */
    private boolean mountedReadOnlyForOwnGroup(Set<PosixFilePermission> permissions) throws IOException {
        if (!EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.GROUP_READ).containsAll(permissions)) {
            return false;
        }
        try {
            com.sun.security.auth.module.UnixSystem self = new com.sun.security.auth.module.UnixSystem();
            int owner = (Integer) Files.getAttribute(file, "unix:uid");
            int group = (Integer) Files.getAttribute(file, "unix:gid");
            return owner != self.getUid() && group == self.getGid();
        } catch (LinkageError | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isPosix(Path path) {
        return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null
                || path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
