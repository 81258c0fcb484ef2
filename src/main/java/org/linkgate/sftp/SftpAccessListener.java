package org.linkgate.sftp;

import java.net.SocketAddress;

/**
 * Callbacks for auditing drop-zone activity. Invoked on MINA SSHD I/O threads: implementations must be quick,
 * thread-safe and must not throw (a throwing listener is logged and otherwise ignored, so that auditing can
 * never change what the server allows).
 */
public interface SftpAccessListener {

    /** Does nothing. */
    SftpAccessListener NO_OP = new SftpAccessListener() {
    };

    /** A partner authenticated with one of its registered keys. */
    default void loginSucceeded(String username, SocketAddress remoteAddress) {
    }

    /**
     * A connection that attempted authentication closed without succeeding.
     *
     * @param username the last user name the client presented
     * @param reason   short, fixed description (never a key or secret)
     */
    default void loginFailed(String username, SocketAddress remoteAddress, String reason) {
    }

    /**
     * A handle opened for writing directly inside the partner-writable directory ({@code inbound/} of a council,
     * {@code returns/} of a department) was closed successfully.
     *
     * @param relativePath path relative to the account's home, e.g. {@code inbound/x.part} or {@code returns/x.part}
     */
    default void fileUploaded(String username, String relativePath) {
    }

    /**
     * A file inside the partner-writable directory was renamed, e.g. {@code inbound/x.part} to {@code inbound/x.gpg}
     * or {@code returns/x.part} to {@code returns/x.csv.pgp}.
     */
    default void fileRenamed(String username, String fromRelativePath, String toRelativePath) {
    }

    /**
     * A handle the partner opened for reading a file (one it may download: in {@code outbound/} or {@code upload/},
     * or its own upload) was closed successfully.
     *
     * @param relativePath path relative to the account's home, e.g. {@code upload/DFE_2015-06_7.csv.pgp}
     * @param bytes        how many bytes the server sent through that handle
     */
    default void fileDownloaded(String username, String relativePath, long bytes) {
    }

    /**
     * A file in either drop-zone directory was removed by the partner, e.g. {@code outbound/r.report.json.pgp} or
     * {@code upload/DFE_2015-06_7.csv.pgp}.
     */
    default void fileRemoved(String username, String relativePath) {
    }

    /**
     * A partner's write was refused because the file would exceed the largest upload allowed or the
     * account's quota; the partial file has been removed.
     *
     * @param username     the partner account
     * @param relativePath the file, relative to the account's home, as the partner named it (unescaped)
     * @param reason       short, fixed description with the limit
     */
    default void uploadRefused(String username, String relativePath, String reason) {
    }
}
