package org.linkgate.sftp;

import java.util.Optional;

/**
 * Where the embedded SFTP server looks accounts up. Called on every authentication attempt and again when the SFTP
 * subsystem starts, so accounts added or removed while the server runs take effect on the next login.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SftpAccountDirectory {

    /**
     * @param username the SSH user name the client presented
     * @return the account, or empty when no such partner exists (the login is then refused)
     */
    Optional<SftpAccount> find(String username);
}
