package org.linkgate.linkage;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.BatchRow;
import org.linkgate.kernel.RowsSent;
import org.linkgate.store.ResearchStore;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An ADMIN undoes a review decision, audited with a reference. A rejection: the non-link goes, the pair
 * is undecided again. A merge: split forward, the persons it moved point where they did before; rows
 * linked since through them, which took the survivor's id, get theirs back, but only if no department
 * has been sent those rows (fan-out's {@link RowsSent}): else refused ({@link LinkageDecisions.AlreadyDecidedException}).
 */
@Component
public class DecisionUndo {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final ResearchStore store;
    private final RowsSent rowsSent;

    public DecisionUndo(JdbcTemplate jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock,
                        ResearchStore store, RowsSent rowsSent) {
        this.store = store;
        this.rowsSent = rowsSent;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** Undoes the decision on review pair {@code id}; the pair (and every listing it settled) is undecided again. */
    public void undo(long id, String admin, String reference) {
        Objects.requireNonNull(admin, "admin");
        String ref = reference == null ? "" : reference.strip();
        if (!LinkageDecisions.REFERENCE.matcher(ref).matches()) {
            throw new IllegalArgumentException("reference is required: 2-120 letters, digits, spaces or . , / : _ ( ) # -");
        }
        transactions.executeWithoutResult(tx -> {
            new PersonMerges(jdbc, audit).lockLinkage();
            Instant now = clock.instant();
            List<Map<String, Object>> found = jdbc.queryForList("select person_id, candidate_id, intake_id, decision,"
                    + " undoable from linkage_review where id = ? for update", id);
            if (found.isEmpty()) {
                throw new NoSuchElementException("no review pair " + id);
            }
            Map<String, Object> pair = found.get(0);
            String decision = (String) pair.get("decision");
            if (decision == null) {
                throw new LinkageDecisions.AlreadyDecidedException("review pair " + id + " is not decided: nothing to undo");
            }
            if (!Boolean.TRUE.equals(pair.get("undoable"))) {
                throw new LinkageDecisions.AlreadyDecidedException("review pair " + id
                        + " was decided before decisions could be undone (what it changed was not recorded)");
            }
            String person = (String) pair.get("person_id");
            String candidate = (String) pair.get("candidate_id");
            // The listings this decision settled: the same two ids, the same decision.
            List<Long> listings = jdbc.queryForList("select id from linkage_review where decision = ? and"
                    + " ((person_id = ? and candidate_id = ?) or (person_id = ? and candidate_id = ?))", Long.class,
                    decision, person, candidate, candidate, person);
            String detail = LinkageDecisions.ACCEPTED.equals(decision) ? splitForward(id, listings, now)
                    : unreject(person, candidate);
            jdbc.update("update linkage_review set decision = null, decided_at = null, decided_by = null,"
                    + " decision_reference = null, undoable = null where id in (" + marks(listings.size()) + ")",
                    listings.toArray());
            audit.record(AuditEventType.LINKAGE_DECISION_UNDONE, null, "review-" + id, admin, "review pair " + id
                    + " (persons " + person + " and " + candidate + " of batch " + pair.get("intake_id") + ") "
                    + decision + " undone: " + detail + "; listings undecided again=" + listings.size() + "; ref=" + ref);
        });
    }

    private String unreject(String person, String candidate) {
        String first = person.compareTo(candidate) < 0 ? person : candidate;
        String second = first.equals(person) ? candidate : person;
        int removed = jdbc.update("delete from linkage_non_link where person_a = ? and person_b = ?", first, second);
        return "non-link removed=" + removed + " (batches linked meanwhile are not re-linked)";
    }

    /** Restores what the merge moved and gives rows linked through it since their own id again, if none was seen. */
    private String splitForward(long id, List<Long> listings, Instant now) {
        List<Map<String, Object>> moves = jdbc.queryForList("select person_id, previous_merged_into, previous_merged_at"
                + " from linkage_merge_move where review_id in (" + marks(listings.size()) + ")", listings.toArray());
        if (moves.isEmpty()) {
            return "no merge had been needed (already one person)";
        }
        List<String> moved = new ArrayList<>();
        String later = null;
        for (Map<String, Object> m : moves) {
            moved.add((String) m.get("person_id"));
            if (m.get("previous_merged_into") == null) {
                later = (String) m.get("person_id");
            }
        }
        if (later == null) {
            throw new IllegalStateException("merge of review pair " + id + " recorded without its later person");
        }
        jdbc.queryForList("select person_id from linkage_person where person_id in (" + marks(moved.size()) + ") for update",
                moved.toArray());
        // Rows linked since through a moved person took the survivor's id (or a later survivor's).
        List<Object> args = new ArrayList<>(moved);
        args.add(later);
        String splitRows = "select l.intake_id, l.row_number from linkage_row l where l.linked_via in ("
                + marks(moved.size()) + ") and l.person_id <> ?";
        List<BatchRow> split = jdbc.query(splitRows, (rs, n) -> new BatchRow(rs.getString(1), rs.getLong(2)),
                args.toArray());
        List<String> seen = new ArrayList<>(rowsSent.sentTo(split));
        if (!seen.isEmpty()) {
            Collections.sort(seen);
            throw new LinkageDecisions.AlreadyDecidedException("review pair " + id + ": records linked since the merge"
                    + " through person " + later + " were sent under the merged id to " + String.join(", ", seen)
                    + "; an id a department has seen never changes, so the merge stays");
        }
        for (Map<String, Object> m : moves) {
            Object at = m.get("previous_merged_at");
            jdbc.update("update linkage_person set merged_into = ?, merged_at = ? where person_id = ?",
                    m.get("previous_merged_into"), at, m.get("person_id"));
        }
        int rows = 0;
        // The store's records and sealed identities of those rows take the id back (found above, before linkage_row changes).
        store.reassignPersonId(later, split);
        List<Object> rowArgs = new ArrayList<>();
        rowArgs.add(later);
        rowArgs.addAll(args);
        rows = jdbc.update("update linkage_row set person_id = ? where linked_via in (" + marks(moved.size())
                + ") and person_id <> ?", rowArgs.toArray());
        jdbc.update("delete from linkage_merge_move where review_id in (" + marks(listings.size()) + ")",
                listings.toArray());
        return "person " + later + " and " + (moved.size() - 1) + " merged into it split off again at "
                + Timestamp.from(now).toInstant() + "; rows linked through them since that take their id again=" + rows;
    }

    private static String marks(int n) {
        return String.join(",", Collections.nCopies(Math.max(1, n), "?"));
    }
}
