package org.linkgate.sftp;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a path lies inside an account's drop-zone, judged lexically on the path as the client sees it (the account's
 * home is {@code /}) and the account's {@link SftpLayout}. Everything the drop-zone policy decides starts from this.
 */
enum DropZoneArea {
    /** The home itself: listable, nothing else. */
    HOME,
    /** The directory the partner writes into ({@code inbound/}, {@code returns/}): listable. */
    WRITABLE_DIRECTORY,
    /** The directory the partner reads from ({@code outbound/}, {@code upload/}): listable. */
    READABLE_DIRECTORY,
    /** A name directly inside the writable directory: the partner may write, rename, read and remove it. */
    WRITABLE_FILE,
    /** A name directly inside the readable directory: the partner may read and remove it. */
    READABLE_FILE,
    /** Anything else: refused. */
    ELSEWHERE;

    static DropZoneArea of(Path path, SftpLayout layout) {
        Path normalized = path.toAbsolutePath().normalize();
        int depth = normalized.getNameCount();
        if (depth == 0) {
            return HOME;
        }
        if (depth > 2) {
            return ELSEWHERE;
        }
        String top = normalized.getName(0).toString();
        boolean directory = depth == 1;
        if (top.equals(layout.partnerWritableDirectory())) {
            return directory ? WRITABLE_DIRECTORY : WRITABLE_FILE;
        }
        if (top.equals(layout.partnerReadableDirectory())) {
            return directory ? READABLE_DIRECTORY : READABLE_FILE;
        }
        return ELSEWHERE;
    }

    /** The path relative to the home, e.g. {@code inbound/x.gpg}; empty for the home itself. */
    static String relativePath(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        return Optional.ofNullable(normalized.getRoot())
                .map(root -> root.relativize(normalized).toString())
                .orElse(normalized.toString());
    }
}
