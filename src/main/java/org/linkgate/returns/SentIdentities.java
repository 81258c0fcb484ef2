package org.linkgate.returns;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.linkgate.fanout.Extracts;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.store.ResearchStore;
import org.springframework.stereotype.Component;

/**
 * Where a return's identifier guard learns the identity each token of its extract was sent for:
 * one {@link VaultIdentityLookup} per return, over the owners of the extract ledger, the sealed
 * vault and the batch's data key.
 */
@Component
public class SentIdentities {

    private final Extracts extracts;
    private final ResearchStore store;
    private final IntakeFiles intakes;
    private final DataKeyStore dataKeys;
    private final ObjectMapper json;

    public SentIdentities(Extracts extracts, ResearchStore store, IntakeFiles intakes, DataKeyStore dataKeys,
                          ObjectMapper json) {
        this.extracts = extracts;
        this.store = store;
        this.intakes = intakes;
        this.dataKeys = dataKeys;
        this.json = json;
    }

    /** A lookup for one return of one extract (it keeps the few data keys it opens; not thread-safe). */
    public IdentityLookup ofExtract(String extractId) {
        return new VaultIdentityLookup(extracts, store, intakes, dataKeys, json, extractId);
    }
}
