package org.linkgate.linkage;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where intake hands linkage the clear identity of each valid row, once, in the pseudonymise stage:
 * the row's match keys and comparison tokens are computed there ({@link MatchEncoder}) and staged
 * beside its research record. Staged keys take effect only when {@link BatchLinker} links the
 * accepted batch; a rejected batch's are purged with its rows ({@link #purge}).
 */
@Component
public class MatchKeys {

    private static final int BATCH = 1000;
    private final PseudonymisationKey key;
    private final ForenameVariants variants;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public MatchKeys(PseudonymisationKey key, JdbcTemplate jdbc, TransactionTemplate transactions) {
        this.key = key;
        this.variants = ForenameVariants.shipped();
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** An encoder under the gateway's key (not thread-safe). */
    public MatchEncoder encoder() {
        return new MatchEncoder(key, variants);
    }

    /** A writer for one batch's rows; call {@link Staging#flush} once the last row is added. */
    public Staging forBatch(String intakeId) {
        return new Staging(intakeId, encoder());
    }

    /** Deletes the staged keys of a batch that will not take effect (or whose identity is destroyed). */
    public void purge(String intakeId) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("delete from linkage_key where intake_id = ?", intakeId);
            jdbc.update("delete from linkage_row where intake_id = ?", intakeId);
        });
    }

    /** Stages one batch's keys in JDBC batches, each in a short transaction, at most one batch in memory. */
    public final class Staging {
        private final String intakeId;
        private final MatchEncoder encoder;
        private final List<Object[]> keyRows = new ArrayList<>(BATCH * KeyLevel.values().length);
        private final List<Object[]> comparisonRows = new ArrayList<>(BATCH);

        private Staging(String intakeId, MatchEncoder encoder) {
            this.intakeId = intakeId;
            this.encoder = encoder;
        }

        public void add(long rowNumber, IdentityRecord identity) {
            MatchEncoder.Parts parts = MatchEncoder.parts(identity);
            for (Map.Entry<KeyLevel, String> k : encoder.keys(parts).entrySet()) {
                keyRows.add(new Object[] {intakeId, rowNumber, k.getKey().code(), k.getValue()});
            }
            ComparisonRecord c = encoder.comparison(parts);
            comparisonRows.add(new Object[] {intakeId, rowNumber, c.forename(), c.forenamePhonetic(), c.forenameRoot(),
                    c.forenameEdits(), c.surname(), c.surnamePhonetic(), c.surnameEdits(), c.dateOfBirth(),
                    c.dateOfBirthSwap(), c.dateOfBirthParts(), c.sex(), c.postcode(), c.postcodeDistrict(),
                    c.nhsNumber(), c.forenameAsSurname(), c.forenameAsSurnameEdits()});
            if (comparisonRows.size() >= BATCH) {
                flush();
            }
        }

        public void flush() {
            if (comparisonRows.isEmpty()) {
                return;
            }
            transactions.executeWithoutResult(tx -> {
                jdbc.batchUpdate("insert into linkage_key (intake_id, row_number, key_level, key_hash)"
                        + " values (?, ?, ?, ?)", keyRows);
                jdbc.batchUpdate("insert into linkage_row (intake_id, row_number, fn, fn_phonetic, fn_root, fn_edits,"
                        + " sn, sn_phonetic, sn_edits, dob, dob_swap, dob_parts, sex, pc, pc_district, nhs, fn_as_sn,"
                        + " fn_as_sn_edits) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", comparisonRows);
            });
            keyRows.clear();
            comparisonRows.clear();
        }
    }
}
