package org.linkgate.sftp;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

import org.apache.sshd.common.file.root.RootedFileSystem;
import org.apache.sshd.common.file.root.RootedPath;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.fs.WithFileAttributes;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory listing that tolerates the gateway moving files in and out while the partner lists. Each entry's
 * attributes are read exactly once, without following links, when the iteration reaches it; an entry that no longer
 * exists by then is left out of the listing instead of failing it.
 * <p>
 * Skipping vanished entries is not enough on its own: MINA's READDIR ({@code AbstractSftpSubsystemHelper.doReadDir})
 * would look at every entry again (an existence check, then the attribute views) and fail the whole request with
 * SSH_FX_NO_SUCH_FILE if the file went away in between. So entries are handed over as {@link ListedPath}s that carry
 * the attributes already read; MINA writes a {@link WithFileAttributes} entry as it is, without touching the file
 * again. An entry whose attributes cannot be read for another reason is passed on as it is, and MINA reports that
 * error as before.
 * <p>
 * Only lists: every policy decision (which directory may be listed, no symbolic links in its path) is made before the
 * stream is opened, and entries are described, never followed. Not thread-safe, like any directory stream.
 */
final class DropZoneDirectoryStream implements DirectoryStream<Path> {

    private static final Logger LOG = LoggerFactory.getLogger(DropZoneDirectoryStream.class);
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final DirectoryStream<Path> entries;
    private boolean iterated;

    DropZoneDirectoryStream(DirectoryStream<Path> entries) {
        this.entries = entries;
    }

    @Override
    public Iterator<Path> iterator() {
        if (iterated) {
            throw new IllegalStateException("Directory stream already iterated");
        }
        iterated = true;
        return new SnapshotIterator(entries.iterator());
    }

    @Override
    public void close() throws IOException {
        entries.close();
    }

    /** Reads ahead to the next entry that still exists, so {@link #hasNext()} never promises a vanished one. */
    private static final class SnapshotIterator implements Iterator<Path> {
        private final Iterator<Path> raw;
        private Path ready;

        SnapshotIterator(Iterator<Path> raw) {
            this.raw = raw;
        }

        @Override
        public boolean hasNext() {
            while (ready == null && raw.hasNext()) {
                ready = snapshot(raw.next());
            }
            return ready != null;
        }

        @Override
        public Path next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Path entry = ready;
            ready = null;
            return entry;
        }
    }

    /** The entry with its attributes attached, the entry as it is if they cannot be attached, or null if it is gone. */
    static Path snapshot(Path entry) {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(entry, richestView(entry) + ":*", NO_FOLLOW);
        } catch (NoSuchFileException gone) {
            LOG.debug("{} disappeared while its directory was listed; left out of the listing", entry);
            return null;
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot read attributes of {} while listing; leaving them to the SFTP subsystem", entry, e);
            return entry;
        }
        if (!(entry instanceof RootedPath rooted)) {
            return entry;
        }
        return new ListedPath(rooted.getFileSystem(), rooted, toSftpAttributes(attributes));
    }

    /** {@code unix} (one lstat with numeric ids), else {@code posix}, else {@code basic}. */
    private static String richestView(Path entry) {
        Set<String> views = entry.getFileSystem().supportedFileAttributeViews();
        if (views.contains("unix")) {
            return "unix";
        }
        return views.contains("posix") ? "posix" : "basic";
    }

    /** The attributes as MINA reports them: type, size, numeric and named owner, permissions with type bits, times. */
    static SftpClient.Attributes toSftpAttributes(Map<String, Object> attributes) {
        boolean regular = Boolean.TRUE.equals(attributes.get("isRegularFile"));
        boolean directory = Boolean.TRUE.equals(attributes.get("isDirectory"));
        boolean symbolicLink = Boolean.TRUE.equals(attributes.get("isSymbolicLink"));
        boolean other = Boolean.TRUE.equals(attributes.get("isOther"));

        SftpClient.Attributes result = new SftpClient.Attributes();
        result.setType(regular ? SftpConstants.SSH_FILEXFER_TYPE_REGULAR
                : directory ? SftpConstants.SSH_FILEXFER_TYPE_DIRECTORY
                : symbolicLink ? SftpConstants.SSH_FILEXFER_TYPE_SYMLINK
                : other ? SftpConstants.SSH_FILEXFER_TYPE_SPECIAL
                : SftpConstants.SSH_FILEXFER_TYPE_UNKNOWN);
        if (attributes.get("size") instanceof Number size) {
            result.setSize(size.longValue());
        }
        if (attributes.get("uid") instanceof Number uid && attributes.get("gid") instanceof Number gid) {
            result.owner(uid.intValue(), gid.intValue());
        }
        if (attributes.get("owner") instanceof Principal owner && attributes.get("group") instanceof Principal group) {
            result.setOwner(owner.getName());
            result.setGroup(group.getName());
        }
        result.setPermissions(SftpHelper.attributesToPermissions(
                regular, directory, symbolicLink, permissions(attributes.get("permissions"))));
        if (attributes.get("lastAccessTime") instanceof FileTime accessed) {
            result.setAccessTime(accessed);
        }
        if (attributes.get("lastModifiedTime") instanceof FileTime modified) {
            result.setModifyTime(modified);
        }
        if (attributes.get("creationTime") instanceof FileTime created) {
            result.setCreateTime(created);
        }
        return result;
    }

    private static Set<PosixFilePermission> permissions(Object value) {
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        if (value instanceof Collection<?> values) {
            for (Object permission : values) {
                if (permission instanceof PosixFilePermission known) {
                    permissions.add(known);
                }
            }
        }
        return permissions;
    }

    /**
     * A directory entry together with the attributes read when it was listed. Otherwise an ordinary path of the
     * account's rooted file system.
     */
    static final class ListedPath extends RootedPath implements WithFileAttributes {
        private final SftpClient.Attributes attributes;

        ListedPath(RootedFileSystem fileSystem, RootedPath entry, SftpClient.Attributes attributes) {
            super(fileSystem, entry.getRoot() == null ? null : entry.getRoot().toString(), names(entry));
            this.attributes = attributes;
        }

        private static List<String> names(Path path) {
            List<String> names = new ArrayList<>(path.getNameCount());
            for (Path name : path) {
                names.add(name.toString());
            }
            return names;
        }

        @Override
        public SftpClient.Attributes getAttributes() {
            return attributes;
        }
    }
}
