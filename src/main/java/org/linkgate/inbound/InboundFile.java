package org.linkgate.inbound;

import java.time.Instant;

/**
 * One row of a side's ledger ({@code intake_file} or {@code return_file}): the common columns of
 * every received file. {@code fileName} is the received name when it is safe to echo, otherwise
 * {@code unsafe-name-<hash>}.
 */
public record InboundFile(String id, String partnerCode, String fileName, String sha256, long sizeBytes,
                          InboundStatus status, int attempts, String duplicateOf, String reportJson,
                          String reportName, Instant receivedAt, Instant reportSentAt, Instant archivedAt) {

    /** True once the file has reached its end: its report is out and it is archived or quarantined. */
    public boolean finished() {
        return archivedAt != null;
    }
}
