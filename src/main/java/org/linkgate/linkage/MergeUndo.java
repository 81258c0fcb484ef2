package org.linkgate.linkage;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.RowsSent;
import org.linkgate.store.ResearchStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An ADMIN undoes a merge forward that linking made on its own ({@code linkage_merge}), audited with a
 * reference: split forward from what it recorded ({@link MergeSplit}, as {@link DecisionUndo} does for an
 * accepted pair), then a non-link between the two persons, so no later batch merges them again. Serialised
 * with linking by the linkage lock. Fails with {@link NoSuchElementException} (no such merge),
 * {@link IllegalArgumentException} (bad reference) or {@link LinkageDecisions.AlreadyDecidedException}
 * (already undone, merged on since, or a department has seen a row whose id would change), nothing changed.
 */
@Component
public class MergeUndo {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final MergeSplit split;
    private final PersonMerges merges;

    public MergeUndo(JdbcTemplate jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock,
                     ResearchStore store, RowsSent rowsSent) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
        this.split = new MergeSplit(jdbc, store, rowsSent);
        this.merges = new PersonMerges(jdbc, audit);
    }

    /** Undoes automatic merge {@code id}: the two persons are two again, and stay so. */
    public void undo(long id, String admin, String reference) {
        Objects.requireNonNull(admin, "admin");
        String ref = LinkageDecisions.reference(reference);
        transactions.executeWithoutResult(tx -> {
            // After any batch being linked: it sees this undo whole, or this undo sees its merges.
            merges.lockLinkage();
            Instant now = clock.instant();
            List<Map<String, Object>> found = jdbc.queryForList("select intake_id, person_id, survivor_id, undone_at"
                    + " from linkage_merge where id = ? for update", id);
            if (found.isEmpty()) {
                throw new NoSuchElementException("no automatic merge " + id);
            }
            Map<String, Object> merge = found.get(0);
            if (merge.get("undone_at") != null) {
                throw new LinkageDecisions.AlreadyDecidedException("automatic merge " + id + " was undone already");
            }
            String later = (String) merge.get("person_id");
            String survivor = (String) merge.get("survivor_id");
            List<Map<String, Object>> moves = jdbc.queryForList("select person_id, previous_merged_into,"
                    + " previous_merged_at, merged_into from linkage_merge_move where merge_id = ?", id);
            String detail = split.split("automatic merge " + id, moves, now);
            // The two are not one: the next batch neither merges nor lists them again (as a rejected pair).
            boolean nonLink = merges.recordNonLink(later, survivor, null, id, now);
            jdbc.update("update linkage_merge set undone_at = ?, undone_by = ?, undo_reference = ? where id = ?",
                    Timestamp.from(now), admin, ref, id);
            audit.record(AuditEventType.LINKAGE_MERGE_UNDONE, null, "merge-" + id, admin, "automatic merge " + id
                    + " (person " + later + " into " + survivor + ", batch " + merge.get("intake_id") + ") undone: "
                    + detail + "; non-link recorded=" + nonLink + "; ref=" + ref);
        });
    }
}
