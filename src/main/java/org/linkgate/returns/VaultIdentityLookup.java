package org.linkgate.returns;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.linkgate.crypto.AesGcm;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The identity sent for a department token of one extract, read from the linkage store:
 * {@code extract_member} (by its primary key) to the intake row, {@code identity_vault} for the
 * sealed identity, opened with the intake's data key (AES-GCM, associated data
 * {@code intakeId|rowNumber}, as {@code intake.CouncilBatchStages} sealed it). Empty when the token is not a
 * member or the intake's data key has been shredded. One instance per return; not thread-safe
 * (it keeps the few data keys it has opened).
 */
public final class VaultIdentityLookup implements IdentityLookup {

    private static final int MAX_CACHED_KEYS = 8;

    private final JdbcTemplate jdbc;
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

    public VaultIdentityLookup(JdbcTemplate jdbc, DataKeyStore dataKeys, ObjectMapper json, String extractId) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
        this.dataKeys = Objects.requireNonNull(dataKeys, "dataKeys");
        this.json = Objects.requireNonNull(json, "json");
        this.extractId = Objects.requireNonNull(extractId, "extractId");
    }

    private record Sealed(String intakeId, long rowNumber, String dataKeyId, byte[] sealed) {
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
        List<Sealed> found = jdbc.query("select m.intake_id, m.row_number, i.data_key_id, v.sealed"
                        + " from extract_member m"
                        + " join identity_vault v on v.intake_id = m.intake_id and v.row_number = m.row_number"
                        + " join intake_file i on i.id = m.intake_id"
                        + " where m.extract_id = ? and m.department_token = ?",
                (rs, n) -> new Sealed(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBytes(4)),
                extractId, departmentToken);
        if (found.isEmpty() || found.get(0).dataKeyId() == null) {
            return Optional.empty();
        }
        Sealed sealed = found.get(0);
        Optional<DataKeyStore.DataKey> key = keysByIntake.computeIfAbsent(sealed.intakeId(),
                intake -> openKey(sealed.dataKeyId()));
        if (key.isEmpty()) {
            return Optional.empty();
        }
        byte[] aad = (sealed.intakeId() + "|" + sealed.rowNumber()).getBytes(StandardCharsets.UTF_8);
        byte[] plain = AesGcm.open(key.get().key(), sealed.sealed(), aad);
        try {
            return Optional.of(json.readValue(plain, IdentityRecord.class));
        } catch (IOException e) {
            // Jackson messages may quote the input; keep neither.
            throw new IllegalStateException("sealed identity of intake " + sealed.intakeId() + " row "
                    + sealed.rowNumber() + " is not an identity record");
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
