package org.linkgate.intake;

import java.util.ArrayList;
import java.util.List;
import org.linkgate.inbound.FileError;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.store.ResearchStoreWriter;

/**
 * What the stages learn of one council batch as it streams through them: counts, the row
 * problems for the report, file-level errors, the staging writer and the batch's data key. Row
 * numbers, columns and rules only — never a value.
 */
final class CouncilBatchPass {

    final ProblemCollector problems;
    final List<FileError> fileErrors = new ArrayList<>();
    ResearchStoreWriter writer;
    DataKeyStore.DataKey dataKey;
    long rows;
    /** Rows staged and then dropped as later duplicates of a person_ref (bounded by the bad-row share). */
    final List<Long> droppedRows = new ArrayList<>();

    CouncilBatchPass(int maxReportedProblems) {
        this.problems = new ProblemCollector(maxReportedProblems);
    }

    long accepted() {
        return writer == null ? 0 : writer.written();
    }
}
