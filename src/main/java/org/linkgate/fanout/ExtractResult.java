package org.linkgate.fanout;

/**
 * What {@link ExtractWriter#write} produced: the number of people in the extract, and the
 * SHA-256 (lower-case hex) and size of the encrypted file as it lies on disk.
 */
public record ExtractResult(long rows, String sha256, long sizeBytes) {
}
