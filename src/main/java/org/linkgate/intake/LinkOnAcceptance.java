package org.linkgate.intake;

import org.linkgate.linkage.BatchLinker;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Links an accepted batch's people to the store first of all listeners, in the accepting
 * transaction, so the extracts planned after it carry the linked person ids.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LinkOnAcceptance implements AcceptedBatchListener {

    private final BatchLinker linker;

    public LinkOnAcceptance(BatchLinker linker) {
        this.linker = linker;
    }

    @Override
    public void accepted(AcceptedBatch batch) {
        linker.link(batch.intakeId());
    }
}
