package org.linkgate.returns;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.linkgate.crypto.AesGcm;
import org.linkgate.fanout.Extracts;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.store.ResearchStore;

/**
 * The identity sent for a department token of one extract, asked of its owners: fan-out's
 * {@link Extracts#member} (by its primary key) for the intake row, the store's
 * {@link ResearchStore#sealedIdentity} for the sealed identity, opened with the data key intake's
 * ledger names for the batch (AES-GCM, associated data
 * {@code intakeId|rowNumber}, as {@code intake.CouncilBatchStages} sealed it). Empty when the token is not a
 * member or the intake's data key has been shredded. One instance per return; not thread-safe
 * (it keeps the few data keys it has opened).
 */
public final class VaultIdentityLookup implements IdentityLookup {

    private static final int MAX_CACHED_KEYS = 8;

    private final Extracts extracts;
    private final ResearchStore store;
    private final IntakeFiles intakes;
    private final DataKeyStore dataKeys;
    private final ObjectMapper json;
    private final String extractId;
    private final Map<String, Optional<DataKeyStore.DataKey>> keysByIntake =
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Optional<DataKeyStore.DataKey>> eldest) {
                    return size() > MAX_CACHED_KEYS;
                }
            };

    public VaultIdentityLookup(Extracts extracts, ResearchStore store, IntakeFiles intakes, DataKeyStore dataKeys,
                               ObjectMapper json, String extractId) {
        this.extracts = Objects.requireNonNull(extracts, "extracts");
        this.store = Objects.requireNonNull(store, "store");
        this.intakes = Objects.requireNonNull(intakes, "intakes");
        this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
        this.json = Objects.requireNonNull(json, "json");
        this.extractId = Objects.requireNonNull(extractId, "extractId");
    }

    /**
     * @throws IllegalStateException if a sealed identity does not open with its key (tampering
     *                               or a store fault: the guard must not pass the row unchecked)
     */
    @Override
    public Optional<IdentityRecord> identityOf(String departmentToken) {
        if (departmentToken == null) {
            return Optional.empty();
        }
        Optional<Extracts.Member> member = extracts.member(extractId, departmentToken);
        if (member.isEmpty()) {
            return Optional.empty();
        }
        String intakeId = member.get().intakeId();
        long rowNumber = member.get().rowNumber();
        Optional<DataKeyStore.DataKey> key = keysByIntake.computeIfAbsent(intakeId,
                intake -> Optional.ofNullable(intakes.facts(intake).dataKeyId()).flatMap(this::openKey));
        if (key.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> sealed = store.sealedIdentity(intakeId, rowNumber);
        if (sealed.isEmpty()) {
            return Optional.empty();
        }
        byte[] aad = (intakeId + "|" + rowNumber).getBytes(StandardCharsets.UTF_8);
        byte[] plain = AesGcm.open(key.get().key(), sealed.get(), aad);
        try {
            return Optional.of(json.readValue(plain, IdentityRecord.class));
        } catch (IOException e) {
            // Jackson messages may quote the input; keep neither.
            throw new IllegalStateException("sealed identity of intake " + intakeId + " row "
                    + rowNumber + " is not an identity record");
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }

    private Optional<DataKeyStore.DataKey> openKey(String dataKeyId) {
        try {
            return Optional.of(dataKeys.get(dataKeyId));
        } catch (IllegalStateException e) {
            // Destroyed or never stored: the identity is gone, so there is nothing to compare.
            return Optional.empty();
        }
    }
}
