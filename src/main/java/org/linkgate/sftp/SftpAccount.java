package org.linkgate.sftp;

import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * One drop-zone account: the partner code it logs in as, the directory it is confined to, and the public keys it
 * may authenticate with. The home holds {@code inbound/} (partner writes) and {@code outbound/} (partner reads).
 *
 * @param username       partner code used as the SSH user name; not blank
 * @param home           absolute directory the account is confined to
 * @param authorizedKeys keys accepted for public-key authentication; may be empty (then nobody can log in)
 */
public record SftpAccount(String username, Path home, List<PublicKey> authorizedKeys) {

    public SftpAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(home, "home");
        Objects.requireNonNull(authorizedKeys, "authorizedKeys");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username must not be blank");
        }
        if (!home.isAbsolute()) {
            throw new IllegalArgumentException("home must be an absolute path");
        }
        authorizedKeys = List.copyOf(authorizedKeys);
    }
}
