package org.linkgate.sftp;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the embedded SFTP drop-zone server.
 *
 * @param bindHost                 address to listen on, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port                     TCP port; {@code 0} picks an ephemeral port (tests)
 * @param hostKeyFile              where the server's private host key is kept (OpenSSH format, mode 0600);
 *                                 generated on first start and reused afterwards
 * @param maxSessionsPerUser       concurrent authenticated sessions allowed per account
 * @param maxOpenHandlesPerSession open SFTP file and directory handles allowed per session
 * @param idleTimeout              a session idle for this long is closed
 * @param maxAuthAttempts          authentication requests allowed per connection before it is dropped
 * @param maxUploadBytes           largest file a partner may write; a write beyond it is refused, the partial
 *                                 file removed and the listener told ({@link SftpAccessListener#uploadRefused})
 * @param accountQuotaBytes        most bytes an account's writable directory may hold at once, likewise enforced
 */
public record SftpServerSettings(
        String bindHost,
        int port,
        Path hostKeyFile,
        int maxSessionsPerUser,
        int maxOpenHandlesPerSession,
        Duration idleTimeout,
        int maxAuthAttempts,
        long maxUploadBytes,
        long accountQuotaBytes) {

    /** The drop-zone port in the contract. */
    public static final int DEFAULT_PORT = 2222;

    /** Settings without upload limits (tests of other concerns). */
    public SftpServerSettings(String bindHost, int port, Path hostKeyFile, int maxSessionsPerUser,
                              int maxOpenHandlesPerSession, Duration idleTimeout, int maxAuthAttempts) {
        this(bindHost, port, hostKeyFile, maxSessionsPerUser, maxOpenHandlesPerSession, idleTimeout, maxAuthAttempts,
                Long.MAX_VALUE, Long.MAX_VALUE);
    }

    public SftpServerSettings {
        Objects.requireNonNull(bindHost, "bindHost");
        Objects.requireNonNull(hostKeyFile, "hostKeyFile");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (bindHost.isBlank()) {
            throw new IllegalArgumentException("bindHost must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535");
        }
        requirePositive(maxSessionsPerUser, "maxSessionsPerUser");
        requirePositive(maxOpenHandlesPerSession, "maxOpenHandlesPerSession");
        requirePositive(maxAuthAttempts, "maxAuthAttempts");
        if (maxUploadBytes < 1 || accountQuotaBytes < 1) {
            throw new IllegalArgumentException("maxUploadBytes and accountQuotaBytes must be positive");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive");
        }
    }

    private static void requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
    }
}
