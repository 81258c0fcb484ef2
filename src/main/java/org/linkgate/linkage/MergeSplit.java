package org.linkgate.linkage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.linkgate.kernel.BatchRow;
import org.linkgate.kernel.RowsSent;
import org.linkgate.store.ResearchStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Split forward: undoes one merge forward from what it recorded ({@code linkage_merge_move}), for an accepted
 * review pair ({@link DecisionUndo}) and an automatic merge ({@link MergeUndo}) alike. The persons it moved point
 * where they did before; rows linked since through them, which took the survivor's id, get the later person's
 * id back, but only if no department has been sent those rows (fan-out's {@link RowsSent}) and no later merge
 * has carried the persons on: else refused ({@link LinkageDecisions.AlreadyDecidedException}), nothing changed.
 * Runs inside the caller's transaction, after it took the linkage lock.
 */
final class MergeSplit {

    private final JdbcTemplate jdbc;
    private final ResearchStore store;
    private final RowsSent rowsSent;

    MergeSplit(JdbcTemplate jdbc, ResearchStore store, RowsSent rowsSent) {
        this.jdbc = jdbc;
        this.store = store;
        this.rowsSent = rowsSent;
    }

    /**
     * Restores the {@code moves} of the merge called {@code what} (rows of {@code linkage_merge_move}: person_id,
     * previous_merged_into, previous_merged_at, merged_into) and gives rows linked through them since their id
     * again; returns what changed, for the audit trail. Does not delete the moves.
     */
    String split(String what, List<Map<String, Object>> moves, Instant now) {
        Objects.requireNonNull(what, "what");
        List<String> moved = new ArrayList<>();
        String later = null;
        for (Map<String, Object> m : moves) {
            moved.add((String) m.get("person_id"));
            if (m.get("previous_merged_into") == null) {
                later = (String) m.get("person_id");
            }
        }
        if (later == null) {
            throw new IllegalStateException(what + " recorded without its later person");
        }
        // Locked, then checked: a later merge that carried these persons on must be undone first.
        Map<String, String> current = new java.util.HashMap<>();
        jdbc.query("select person_id, merged_into from linkage_person where person_id in (" + marks(moved.size())
                + ") for update", rs -> {
            current.put(rs.getString(1), rs.getString(2));
        }, moved.toArray());
        for (Map<String, Object> m : moves) {
            Object set = m.get("merged_into");
            String found = current.get((String) m.get("person_id"));
            if (set != null && !set.equals(found)) {
                throw new LinkageDecisions.AlreadyDecidedException(what + ": person " + m.get("person_id")
                        + " has been merged on since (into " + found + "); undo that later merge first");
            }
        }
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
            throw new LinkageDecisions.AlreadyDecidedException(what + ": records linked since the merge"
                    + " through person " + later + " were sent under the merged id to " + String.join(", ", seen)
                    + "; an id a department has seen never changes, so the merge stays");
        }
        for (Map<String, Object> m : moves) {
            jdbc.update("update linkage_person set merged_into = ?, merged_at = ? where person_id = ?",
                    m.get("previous_merged_into"), m.get("previous_merged_at"), m.get("person_id"));
        }
        // The store's records and sealed identities of those rows take the id back (found above, before linkage_row changes).
        store.reassignPersonId(later, split);
        List<Object> rowArgs = new ArrayList<>();
        rowArgs.add(later);
        rowArgs.addAll(args);
        int rows = jdbc.update("update linkage_row set person_id = ? where linked_via in (" + marks(moved.size())
                + ") and person_id <> ?", rowArgs.toArray());
        return "person " + later + " and " + (moved.size() - 1) + " merged into it split off again at " + now
                + "; rows linked through them since that take their id again=" + rows;
    }

    static String marks(int n) {
        return String.join(",", Collections.nCopies(Math.max(1, n), "?"));
    }
}
