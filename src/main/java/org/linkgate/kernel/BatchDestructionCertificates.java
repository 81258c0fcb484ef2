package org.linkgate.kernel;

import java.time.Instant;
import java.util.List;

/**
 * Which destruction certificates cover council batches destroyed so far (their council data or their
 * linked data): the one fact of retention's ledger that subject access needs, to say what can no longer be
 * searched. Retention uses release ({@code release.ReleaseHoldings}), so release cannot call retention; it
 * calls this, which retention's {@code retention.DestructionCertificates} implements.
 */
public interface BatchDestructionCertificates {

    /** A certificate covering at least one destroyed council batch. */
    record Issued(String id, Instant issuedAt) {
    }

    /**
     * The certificates covering the batches destroyed of one council, or of every council if
     * {@code councilCode} is null, oldest first (by issue time, then id), each once.
     */
    List<Issued> coveringCouncilBatches(String councilCode);
}
