package org.linkgate.kernel;

/** One row of one received council batch, as features name it to each other: the batch's id and the row's number. */
public record BatchRow(String intakeId, long rowNumber) {
}
