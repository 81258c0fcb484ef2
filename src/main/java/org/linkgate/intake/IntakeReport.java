package org.linkgate.intake;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;
import org.linkgate.inbound.FileError;

/**
 * The report a council receives for every file (CONTRACT "Reports to councils"). It names
 * rows, columns and rules, never a value from the file. Rows are numbered as in a spreadsheet:
 * the header is row 1, the first data row is row 2.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"reportVersion", "fileName", "sha256", "council", "status", "receivedAt", "processedAt",
        "schema", "counts", "fileErrors", "problems", "problemsTruncated", "problemCountsByRule", "duplicateOf"})
public record IntakeReport(
        int reportVersion,
        String fileName,
        String sha256,
        String council,
        String status,
        String receivedAt,
        String processedAt,
        String schema,
        Counts counts,
        List<FileError> fileErrors,
        List<RowProblem> problems,
        boolean problemsTruncated,
        Map<String, Long> problemCountsByRule,
        DuplicateOf duplicateOf) {

    public static final int VERSION = 1;

    public record Counts(long rows, long accepted, long rejected) {
    }

    public record RowProblem(long row, String column, String rule) {
    }

    /** For a duplicate: when the same content was first received and what became of it. */
    public record DuplicateOf(String receivedAt, String fileName, String status) {
    }
}
