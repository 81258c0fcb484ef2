package org.linkgate.intake;

import java.util.List;

/**
 * A council batch whose research records have just taken effect (ACCEPTED or PARTIAL), told to
 * every {@link AcceptedBatchListener} inside the transaction that accepts it. {@code droppedRows}: rows
 * staged and then dropped as later duplicates of a person_ref (bad rows, so bounded by the bad-row share).
 */
public record AcceptedBatch(String intakeId, String councilCode, String period, List<Long> droppedRows) {

    public AcceptedBatch {
        droppedRows = List.copyOf(droppedRows);
    }

    public AcceptedBatch(String intakeId, String councilCode, String period) {
        this(intakeId, councilCode, period, List.of());
    }
}
