package org.linkgate.sftp;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Principal;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.sshd.sftp.server.DirectoryHandle;
import org.linkgate.validation.UntrustedText;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.SftpFileSystemAccessor;
import org.apache.sshd.sftp.server.SftpSubsystemProxy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the drop-zone policy on every file-system operation of the SFTP subsystem, before it happens. With the
 * account's {@link SftpLayout} naming the two directories: write, rename and remove only directly inside the
 * partner-writable directory ({@code inbound/}, {@code returns/}); read and remove directly inside the
 * partner-readable one ({@code outbound/}, {@code upload/}); list the home and those two directories; no
 * directories, links, copies, ownership or permission changes. Symbolic links are never followed. Refusals surface to
 * the client as SSH_FX_PERMISSION_DENIED; a session whose layout is unknown is refused everything.
 * <p>
 * Listings are taken by {@link DropZoneDirectoryStream}, so a file the gateway moves away while the partner lists the
 * directory is left out rather than failing the listing.
 */
final class DropZoneFileSystemAccessor implements SftpFileSystemAccessor {

    private static final Logger LOG = LoggerFactory.getLogger(DropZoneFileSystemAccessor.class);
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final Set<StandardOpenOption> MODIFYING_OPTIONS = EnumSet.of(
            StandardOpenOption.WRITE, StandardOpenOption.APPEND, StandardOpenOption.CREATE,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.DELETE_ON_CLOSE);
    /** Time stamps are the only attributes a partner may set, and only on its own uploads (e.g. {@code put -p}). */
    private static final Set<String> SETTABLE_ATTRIBUTES = Set.of("lastModifiedTime", "lastAccessTime", "creationTime");
    /** What a partner uploads is readable by the gateway's user only, whatever the process umask. */
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private final long maxUploadBytes;
    private final UploadQuota quota;
    private final SftpAccessListener listener;

    DropZoneFileSystemAccessor() {
        this(Long.MAX_VALUE, Long.MAX_VALUE, SftpAccessListener.NO_OP);
    }

    DropZoneFileSystemAccessor(long maxUploadBytes, long accountQuotaBytes, SftpAccessListener listener) {
        this.maxUploadBytes = maxUploadBytes;
        this.quota = new UploadQuota(accountQuotaBytes);
        this.listener = listener;
    }

    @Override
    public LinkOption[] resolveFileAccessLinkOptions(
            SftpSubsystemProxy subsystem, Path file, int cmd, String extension, boolean followLinks) {
        return NO_FOLLOW.clone();
    }

    @Override
    public SeekableByteChannel openFile(
            SftpSubsystemProxy subsystem, FileHandle fileHandle, Path file, String handle,
            Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
        DropZoneArea area = area(subsystem, file);
        boolean modifying = options.stream().anyMatch(MODIFYING_OPTIONS::contains);
        if (modifying) {
            require(subsystem, "write", file, area == DropZoneArea.WRITABLE_FILE);
        } else {
            require(subsystem, "read", file, area == DropZoneArea.WRITABLE_FILE || area == DropZoneArea.READABLE_FILE);
        }
        requireNoSymbolicLinks(subsystem, file);
        Set<OpenOption> noFollow = new HashSet<>(options);
        noFollow.add(LinkOption.NOFOLLOW_LINKS);
        // Client-supplied attributes (e.g. mode 0666) are ignored: a new file is owner-only.
        if (!modifying) {
            return FileChannel.open(file, noFollow);
        }
        FileChannel channel = file.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? FileChannel.open(file, noFollow, OWNER_ONLY) : FileChannel.open(file, noFollow);
        String account = subsystem.getServerSession().getUsername();
        try {
            quota.recount(account, file.toAbsolutePath().normalize().getParent());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        String relative = DropZoneArea.relativePath(file);
        return new LimitedUploadChannel(channel, file, account, maxUploadBytes, quota, reason -> {
            LOG.warn("Refused SFTP upload of {}: {} ({})", UntrustedText.forLog(account), UntrustedText.forLog(relative), reason);
            try {
                listener.uploadRefused(account, relative, reason);
            } catch (RuntimeException e) {
                LOG.error("SFTP access listener failed on a refused upload; it is not audited", e);
            }
        });
    }

    @Override
    public DirectoryStream<Path> openDirectory(
            SftpSubsystemProxy subsystem, DirectoryHandle dirHandle, Path dir, String handle, LinkOption... options)
            throws IOException {
        DropZoneArea area = area(subsystem, dir);
        require(subsystem, "list", dir, area == DropZoneArea.HOME
                || area == DropZoneArea.WRITABLE_DIRECTORY || area == DropZoneArea.READABLE_DIRECTORY);
        requireNoSymbolicLinks(subsystem, dir);
        return new DropZoneDirectoryStream(Files.newDirectoryStream(dir));
    }

    @Override
    public Map<String, ?> readFileAttributes(
            SftpSubsystemProxy subsystem, Path file, String view, LinkOption... options) throws IOException {
        return Files.readAttributes(file, view, NO_FOLLOW);
    }

    @Override
    public void setFileAttribute(
            SftpSubsystemProxy subsystem, Path file, String view, String attribute, Object value,
            LinkOption... options) throws IOException {
        require(subsystem, "set " + attribute + " on", file,
                area(subsystem, file) == DropZoneArea.WRITABLE_FILE && SETTABLE_ATTRIBUTES.contains(attribute));
        requireNoSymbolicLinks(subsystem, file);
        Files.setAttribute(file, view + ":" + attribute, value, NO_FOLLOW);
    }

    @Override
    public void setFilePermissions(
            SftpSubsystemProxy subsystem, Path file, Set<PosixFilePermission> perms, LinkOption... options)
            throws IOException {
        throw refuse(subsystem, "change permissions of", file);
    }

    @Override
    public void setFileOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options)
            throws IOException {
        throw refuse(subsystem, "change owner of", file);
    }

    @Override
    public void setGroupOwner(SftpSubsystemProxy subsystem, Path file, Principal value, LinkOption... options)
            throws IOException {
        throw refuse(subsystem, "change group of", file);
    }

    @Override
    public void setFileAccessControl(
            SftpSubsystemProxy subsystem, Path file, List<AclEntry> acl, LinkOption... options) throws IOException {
        throw refuse(subsystem, "change ACL of", file);
    }

    @Override
    public void applyExtensionFileAttributes(
            SftpSubsystemProxy subsystem, Path file, Map<String, byte[]> extensions, LinkOption... options)
            throws IOException {
        if (extensions != null && !extensions.isEmpty()) {
            throw refuse(subsystem, "set extended attributes on", file);
        }
    }

    @Override
    public void createDirectory(SftpSubsystemProxy subsystem, Path path) throws IOException {
        throw refuse(subsystem, "create directory", path);
    }

    @Override
    public void createLink(SftpSubsystemProxy subsystem, Path link, Path existing, boolean symLink)
            throws IOException {
        throw refuse(subsystem, symLink ? "create symbolic link" : "create hard link", link);
    }

    @Override
    public String resolveLinkTarget(SftpSubsystemProxy subsystem, Path link) throws IOException {
        throw refuse(subsystem, "read link", link);
    }

    @Override
    public void copyFile(SftpSubsystemProxy subsystem, Path src, Path dst, Collection<CopyOption> opts)
            throws IOException {
        throw refuse(subsystem, "copy to", dst);
    }

    @Override
    public void renameFile(SftpSubsystemProxy subsystem, Path oldPath, Path newPath, Collection<CopyOption> opts)
            throws IOException {
        require(subsystem, "rename from", oldPath, area(subsystem, oldPath) == DropZoneArea.WRITABLE_FILE);
        require(subsystem, "rename to", newPath, area(subsystem, newPath) == DropZoneArea.WRITABLE_FILE);
        requireNoSymbolicLinks(subsystem, oldPath);
        requireNoSymbolicLinks(subsystem, newPath);
        require(subsystem, "rename from", oldPath, Files.isRegularFile(oldPath, NO_FOLLOW));
        SftpFileSystemAccessor.super.renameFile(subsystem, oldPath, newPath, opts);
    }

    @Override
    public void removeFile(SftpSubsystemProxy subsystem, Path path, boolean isDirectory) throws IOException {
        DropZoneArea area = area(subsystem, path);
        require(subsystem, isDirectory ? "remove directory" : "remove", path, !isDirectory
                && (area == DropZoneArea.WRITABLE_FILE || area == DropZoneArea.READABLE_FILE)
                && !Files.isDirectory(path, NO_FOLLOW));
        requireNoSymbolicLinks(subsystem, path);
        Files.delete(path);
    }

    /** Where the path lies in the session's drop-zone; refuses the request if the session has no known layout. */
    private static DropZoneArea area(SftpSubsystemProxy subsystem, Path path) throws AccessDeniedException {
        SftpLayout layout = subsystem.getServerSession().getAttribute(DropZoneFileSystemFactory.LAYOUT);
        if (layout == null) {
            LOG.error("SFTP session of {} has no drop-zone layout; refusing every request",
                    UntrustedText.forLog(subsystem.getServerSession().getUsername()));
            throw refuse(subsystem, "access", path);
        }
        return DropZoneArea.of(path, layout);
    }

    /**
     * The drop-zone is at most two levels deep, so checking the parent and the entry itself covers every component
     * below the home (whose real path the file-system factory resolved when the session started).
     */
    private static void requireNoSymbolicLinks(SftpSubsystemProxy subsystem, Path path) throws IOException {
        Path normalized = path.toAbsolutePath().normalize();
        Path parent = normalized.getParent();
        if (parent != null && Files.isSymbolicLink(parent)) {
            throw refuse(subsystem, "follow symbolic link", parent);
        }
        if (Files.isSymbolicLink(normalized)) {
            throw refuse(subsystem, "follow symbolic link", normalized);
        }
    }

    private static void require(SftpSubsystemProxy subsystem, String operation, Path path, boolean allowed)
            throws AccessDeniedException {
        if (!allowed) {
            throw refuse(subsystem, operation, path);
        }
    }

    private static AccessDeniedException refuse(SftpSubsystemProxy subsystem, String operation, Path path) {
        // A partner names the path: escaped, so a newline in a name cannot forge a log line.
        String shown = UntrustedText.forLog("/" + DropZoneArea.relativePath(path));
        LOG.warn("Refused SFTP request of {}: {} {}", UntrustedText.forLog(subsystem.getServerSession().getUsername()),
                operation, shown);
        return new AccessDeniedException(shown, null, "not permitted in the drop-zone: " + operation);
    }
}
