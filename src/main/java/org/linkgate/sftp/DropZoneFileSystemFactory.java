package org.linkgate.sftp;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;

import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.file.FileSystemFactory;
import org.apache.sshd.common.file.root.RootedFileSystemProvider;
import org.apache.sshd.common.session.SessionContext;
import org.linkgate.validation.UntrustedText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each authenticated account a file system rooted at its own home (the client sees the home as {@code /}),
 * creating the two directories of its {@link SftpLayout} if missing, and records that layout on the session for the
 * policy ({@link DropZoneFileSystemAccessor}) and the audit ({@link AccessAuditor}). There is no default home: a user
 * without an account gets no file system at all.
 */
final class DropZoneFileSystemFactory implements FileSystemFactory {

    /** The layout of the account a session's file system was created for; absent before then. */
    static final AttributeKey<SftpLayout> LAYOUT = new AttributeKey<>();

    private static final Logger LOG = LoggerFactory.getLogger(DropZoneFileSystemFactory.class);
    /** Drop-zone directories are the gateway user's alone (the partner reaches them through SFTP only). */
    private static final java.nio.file.attribute.FileAttribute<?>[] OWNER_ONLY = {
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"))};

    private final SftpAccountDirectory accounts;

    DropZoneFileSystemFactory(SftpAccountDirectory accounts) {
        this.accounts = accounts;
    }

    @Override
    public Path getUserHomeDir(SessionContext session) throws IOException {
        return account(session).home();
    }

    @Override
    public FileSystem createFileSystem(SessionContext session) throws IOException {
        SftpAccount account = account(session);
        if (Files.notExists(account.home(), LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(account.home(), OWNER_ONLY);
        }
        // Root at the real path so that a symbolic link in the configured home path cannot confuse the checks below.
        Path home = account.home().toRealPath();
        SftpLayout layout = account.layout();
        prepareDirectory(home.resolve(layout.partnerWritableDirectory()));
        prepareDirectory(home.resolve(layout.partnerReadableDirectory()));
        session.setAttribute(LAYOUT, layout);
        LOG.debug("Drop-zone file system ({}) ready for {}", layout, UntrustedText.forLog(account.username()));
        return new RootedFileSystemProvider().newFileSystem(home, Collections.emptyMap());
    }

    private SftpAccount account(SessionContext session) throws AccessDeniedException {
        String username = session.getUsername();
        if (username == null || !session.isAuthenticated()) {
            throw new AccessDeniedException("/", null, "session is not authenticated");
        }
        SftpAccount account = accounts.find(username)
                .orElseThrow(() -> new AccessDeniedException("/", null, "no drop-zone account for "
                        + UntrustedText.forLog(username)));
        // A session opened before its party was terminated gets no new file system either.
        java.util.Optional<String> refusal = accounts.loginRefusal(username);
        if (refusal.isPresent()) {
            throw new AccessDeniedException("/", null, refusal.get());
        }
        return account;
    }

    private static void prepareDirectory(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            throw new IOException("Drop-zone directory " + dir + " is a symbolic link; refusing to use it");
        }
        if (Files.notExists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectory(dir, OWNER_ONLY);
        } else if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("Drop-zone path " + dir + " exists but is not a directory");
        }
    }
}
