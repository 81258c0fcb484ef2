package org.linkgate.intake;

/**
 * A council batch whose research records have just taken effect (ACCEPTED or PARTIAL), told to
 * every {@link AcceptedBatchListener} inside the transaction that accepts it.
 */
public record AcceptedBatch(String intakeId, String councilCode, String period) {
}
