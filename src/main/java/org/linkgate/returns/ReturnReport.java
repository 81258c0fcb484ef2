package org.linkgate.returns;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.linkgate.inbound.FileError;
import org.linkgate.inbound.InboundReport;

/**
 * The report a department receives for every return file (docs/file-lifecycle.md). Like a
 * council's, it names rows, columns and rules, never a value from the file; a return is all or
 * nothing, so it is ACCEPTED or REJECTED.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"reportVersion", "fileName", "sha256", "department", "status", "receivedAt", "processedAt",
        "schema", "counts", "fileErrors", "findings", "duplicateOf"})
public record ReturnReport(
        int reportVersion,
        String fileName,
        String sha256,
        String department,
        String status,
        String receivedAt,
        String processedAt,
        String schema,
        Counts counts,
        List<FileError> fileErrors,
        List<GuardFinding.Count> findings,
        DuplicateOf duplicateOf) implements InboundReport {

    public static final int VERSION = 1;

    /** Data rows read, and rows loaded (0 unless accepted). */
    public record Counts(long rows, long loaded) {
    }

    /** For a duplicate: when the same content was first received and what became of it. */
    public record DuplicateOf(String receivedAt, String fileName, String status) {
    }
}
