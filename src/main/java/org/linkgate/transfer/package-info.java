/**
 * Transfers to and from departments' own SFTP servers: extracts are uploaded atomically
 * ({@code name.part}, then a no-overwrite link or rename, then a size check) and return files are
 * collected either with {@link org.linkgate.transfer.RemoteSftpClient} or with a Camel {@code sftp:}
 * consumer built by {@link org.linkgate.transfer.RemoteSftpUris}. Host keys are always pinned by
 * the department's known_hosts file; only public-key logins are made.
 */
package org.linkgate.transfer;
