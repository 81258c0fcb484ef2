package org.linkgate.retention;

import org.linkgate.fanout.Extracts;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.linkage.LinkageRows;
import org.linkgate.release.ReleaseHoldings;
import org.linkgate.returns.ReturnFiles;
import org.linkgate.store.ResearchStore;
import org.springframework.stereotype.Component;

/**
 * Where the gateway holds data that retention destroys, each part through the repository of the
 * feature that owns its tables: council batches, the research store and its sealed identities,
 * linkage's match keys, extract members, returns, the releases made from a batch, and the sealed
 * copies of received files.
 */
@Component
public record HeldData(IntakeFiles batches, ResearchStore store, LinkageRows linkage, Extracts extracts,
                       ReturnFiles returns, ReleaseHoldings releases,
                       ReceivedFileCustody custody) {
}
