package org.linkgate.intake;

/**
 * What must happen in the same transaction as a batch's acceptance, supplied by the features that
 * build on intake (fan-out plans its extracts), so intake depends on none of them. Beans of this
 * type are called in their {@code @Order}; a failure rolls the acceptance back. A listener that
 * stages rows of its own with the batch also removes them when the batch is discarded.
 */
@FunctionalInterface
public interface AcceptedBatchListener {

    void accepted(AcceptedBatch batch);

    /**
     * A batch's staged rows will not take effect (it was not accepted, or an interrupted attempt is
     * retried): remove whatever was staged for it beside its research records. Idempotent.
     */
    default void discarded(String intakeId) {
    }
}
