package org.linkgate.sftp;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a path lies inside an account's drop-zone, judged lexically on the path as the client sees it (the account's
 * home is {@code /}). Everything the drop-zone policy decides starts from this.
 */
enum DropZoneArea {
    /** The home itself: listable, nothing else. */
    HOME,
    /** The {@code inbound/} directory: listable. */
    INBOUND_DIRECTORY,
    /** The {@code outbound/} directory: listable. */
    OUTBOUND_DIRECTORY,
    /** A name directly inside {@code inbound/}: the partner may write, rename, read and remove it. */
    INBOUND_FILE,
    /** A name directly inside {@code outbound/}: the partner may read and remove it. */
    OUTBOUND_FILE,
    /** Anything else: refused. */
    ELSEWHERE;

    static final String INBOUND = "inbound";
    static final String OUTBOUND = "outbound";

    static DropZoneArea of(Path path) {
        Path normalized = path.toAbsolutePath().normalize();
        int depth = normalized.getNameCount();
        if (depth == 0) {
            return HOME;
        }
        String top = normalized.getName(0).toString();
        if (depth == 1) {
            return switch (top) {
                case INBOUND -> INBOUND_DIRECTORY;
                case OUTBOUND -> OUTBOUND_DIRECTORY;
                default -> ELSEWHERE;
            };
        }
        if (depth == 2) {
            return switch (top) {
                case INBOUND -> INBOUND_FILE;
                case OUTBOUND -> OUTBOUND_FILE;
                default -> ELSEWHERE;
            };
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
