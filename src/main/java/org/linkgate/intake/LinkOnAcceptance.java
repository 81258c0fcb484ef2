package org.linkgate.intake;

import org.linkgate.linkage.BatchLinker;
import org.linkgate.linkage.MatchKeys;
import org.linkgate.store.ResearchStore;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Links an accepted batch's people to the store first of all listeners, in the accepting
 * transaction, so the extracts planned after it carry the linked person ids; a discarded batch's
 * staged linkage rows are purged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class LinkOnAcceptance implements AcceptedBatchListener {

    private final BatchLinker linker;
    private final MatchKeys matchKeys;
    private final ResearchStore store;

    public LinkOnAcceptance(BatchLinker linker, MatchKeys matchKeys, ResearchStore store) {
        this.linker = linker;
        this.matchKeys = matchKeys;
        this.store = store;
    }

    /** Linkage gives each row its person id; the store takes them for the batch's records and sealed identities. */
    @Override
    public void accepted(AcceptedBatch batch) {
        linker.link(new BatchLinker.Batch(batch.intakeId(), batch.councilCode(), batch.period(), batch.droppedRows()));
        store.adoptPersonIds(batch.intakeId());
    }

    /** The batch's match keys and comparison tokens (keyed hashes of identity) go with its staged rows. */
    @Override
    public void discarded(String intakeId) {
        matchKeys.purge(intakeId);
    }
}
