package org.linkgate.kernel;

/**
 * What a ledger knows of a file a partner sent, as destruction evidence records it: name, SHA-256, size,
 * outcome, and the data key its content is sealed under (null once shredded, or for none).
 */
public record ReceivedFileFacts(String fileName, String sha256, long bytes, String status, String dataKeyId) {
}
