package org.linkgate.linkage;

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
 * An ADMIN undoes a review decision, audited with a reference. A rejection: the non-link goes, the pair
 * is undecided again. A merge: split forward ({@link MergeSplit}, as for an automatic merge, {@link MergeUndo}),
 * the persons it moved point where they did before; rows linked since through them, which took the survivor's
 * id, get theirs back, but only if no department has been sent those rows (fan-out's {@link RowsSent}): else
 * refused ({@link LinkageDecisions.AlreadyDecidedException}).
 */
@Component
public class DecisionUndo {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;
    private final MergeSplit split;

    public DecisionUndo(JdbcTemplate jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock,
                        ResearchStore store, RowsSent rowsSent) {
        this.split = new MergeSplit(jdbc, store, rowsSent);
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** Undoes the decision on review pair {@code id}; the pair (and every listing it settled) is undecided again. */
    public void undo(long id, String admin, String reference) {
        Objects.requireNonNull(admin, "admin");
        String ref = LinkageDecisions.reference(reference);
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
        // Only a review's non-link: one recorded by undoing an automatic merge stays (MergeUndo).
        int removed = jdbc.update("delete from linkage_non_link where person_a = ? and person_b = ?"
                + " and review_id is not null", first, second);
        return "non-link removed=" + removed + " (batches linked meanwhile are not re-linked)";
    }

    /** Restores what the merge moved and gives rows linked through it since their own id again, if none was seen. */
    private String splitForward(long id, List<Long> listings, Instant now) {
        List<Map<String, Object>> moves = jdbc.queryForList("select person_id, previous_merged_into, previous_merged_at,"
                + " merged_into from linkage_merge_move where review_id in (" + marks(listings.size()) + ")",
                listings.toArray());
        if (moves.isEmpty()) {
            return "no merge had been needed (already one person)";
        }
        String detail = split.split("review pair " + id, moves, now);
        jdbc.update("delete from linkage_merge_move where review_id in (" + marks(listings.size()) + ")",
                listings.toArray());
        return detail;
    }

    private static String marks(int n) {
        return MergeSplit.marks(n);
    }
}
