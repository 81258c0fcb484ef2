package org.linkgate.sftp;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * One drop-zone account: the partner code it logs in as, the directory it is confined to, the public keys it may
 * authenticate with and the layout of its home: {@code inbound/} and {@code outbound/} for a council,
 * {@code returns/} and {@code upload/} for a department (see {@link SftpLayout}).
 *
 * @param username       partner code used as the SSH user name; not blank
 * @param home           absolute directory the account is confined to
 * @param authorizedKeys keys accepted for public-key authentication; may be empty (then nobody can log in)
 * @param layout         which two directories the home holds and which way files flow through them
 */
public record SftpAccount(String username, Path home, List<PublicKey> authorizedKeys, SftpLayout layout) {

    public SftpAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(authorizedKeys, "authorizedKeys");
        Objects.requireNonNull(layout, "layout");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username must not be blank");
        }
        if (!home.isAbsolute()) {
            throw new IllegalArgumentException("home must be an absolute path");
        }
        authorizedKeys = List.copyOf(authorizedKeys);
    }

    /** A council account ({@link SftpLayout#COUNCIL}). */
    public SftpAccount(String username, Path home, List<PublicKey> authorizedKeys) {
        this(username, home, authorizedKeys, SftpLayout.COUNCIL);
    }

    /** A council account: {@code inbound/} for its batches, {@code outbound/} for its reports. */
    public static SftpAccount council(String username, Path home, List<PublicKey> authorizedKeys) {
        return new SftpAccount(username, home, authorizedKeys, SftpLayout.COUNCIL);
    }

    /** A department account: {@code returns/} for its returns, {@code upload/} for the extracts sent to it. */
    public static SftpAccount department(String username, Path home, List<PublicKey> authorizedKeys) {
        return new SftpAccount(username, home, authorizedKeys, SftpLayout.DEPARTMENT);
    }

    /** Where the partner's uploads land and the gateway collects them, e.g. {@code <home>/inbound}. */
    public Path partnerWritableDirectory() {
        return home.resolve(layout.partnerWritableDirectory());
    }

    /** Where the gateway delivers files for the partner to collect, e.g. {@code <home>/outbound}. */
    public Path partnerReadableDirectory() {
        return home.resolve(layout.partnerReadableDirectory());
    }
}
