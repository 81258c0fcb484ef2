package org.linkgate.intake;

/**
 * What must happen in the same transaction as a batch's acceptance, supplied by the features that
 * build on intake (fan-out plans its extracts), so intake depends on none of them. Beans of this
 * type are called in their {@code @Order}; a failure rolls the acceptance back.
 */
@FunctionalInterface
public interface AcceptedBatchListener {

    void accepted(AcceptedBatch batch);
}
