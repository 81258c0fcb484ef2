package org.linkgate.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up check that what the gateway keeps is for its own user only (the effect of umask 077):
 * the home and the secrets dir (and the embedded database's dir, {@link EmbeddedDatabasePassword})
 * are made owner-only (0700) when the gateway owns them, and reported when it cannot. The JVM cannot set its umask, and libraries (H2, Camel's file
 * component) create files with the default mode, so the process umask is measured and a loose one
 * reported; the owner-only home is what keeps such files from other users either way.
 */
public final class HomeFileModes {

    private static final Logger LOG = LoggerFactory.getLogger(HomeFileModes.class);

    private HomeFileModes() {
    }

    /**
     * Tightens the gateway's directories; returns the mode a file created without an explicit one gets
     * under this process's umask (e.g. {@code rw-------} with umask 077), or null if unknown.
     */
    public static String secure(GatewayHome home) {
        ownerOnly(home.root());
        ownerOnly(home.secretsDir());
        Set<PosixFilePermission> mode = defaultFileMode(home.root());
        if (mode != null && !SecretFiles.OWNER_ONLY.containsAll(mode)) {
            LOG.warn("process umask gives new files mode {}: files that libraries create (database, work files)"
                    + " are readable by group or others wherever a directory lets them in; start the gateway with"
                    + " umask 077", PosixFilePermissions.toString(mode));
        }
        return mode == null ? null : PosixFilePermissions.toString(mode);
    }

    /** Creates the directory owner-only, or makes an existing one owner-only if the gateway owns it. */
    public static void ownerOnly(Path dir) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            GatewayHome.ensureDirectory(dir);
            return;
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(dir, PosixFileAttributes.class);
            Set<PosixFilePermission> mode = attributes.permissions();
            if (GatewayHome.OWNER_ONLY_DIRECTORY.containsAll(mode)) {
                return;
            }
            try {
                Files.setPosixFilePermissions(dir, GatewayHome.OWNER_ONLY_DIRECTORY);
                LOG.info("made {} owner-only (was {})", dir, PosixFilePermissions.toString(mode));
            } catch (IOException | UnsupportedOperationException e) {
                // e.g. a read-only Secret mount or a volume root owned by root: said, not fatal.
                LOG.warn("{} is accessible to group or others ({}) and cannot be made owner-only: {}", dir,
                        PosixFilePermissions.toString(mode), e.toString());
            }
        } catch (IOException e) {
            LOG.warn("cannot read the permissions of {}: {}", dir, e.toString());
        }
    }

    /** The mode a new file gets when none is asked for (0666 less the umask). */
    static Set<PosixFilePermission> defaultFileMode(Path dir) {
        if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix") || !Files.isWritable(dir)) {
            return null;
        }
        Path probe = dir.resolve(".umask-probe-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(probe);
            Files.createFile(probe);
            return Files.getPosixFilePermissions(probe);
        } catch (IOException e) {
            return null;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (IOException ignored) {
                // a leftover empty probe file is harmless
            }
        }
    }
}
