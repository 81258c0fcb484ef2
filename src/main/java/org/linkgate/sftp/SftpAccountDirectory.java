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

    /**
     * Why a known account may not log in now although its key is registered (its party's agreement is terminated,
     * cl. 13.2, 15), or empty. Asked after the key matched, so a stranger learns nothing of it; audited as the reason
     * of the failed login.
     */
    default Optional<String> loginRefusal(String username) {
        return Optional.empty();
    }
}
