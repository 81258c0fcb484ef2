package org.linkgate.transfer;

import java.time.Instant;

/**
 * Proof of a completed upload: where the file now is on the remote server, the size confirmed by
 * a remote stat, and the SHA-256 (hex) of the bytes sent.
 */
public record UploadReceipt(String remotePath, long size, String sha256, Instant completedAt) {
}
