package org.linkgate.fanout;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.linkgate.audit.PersonSubjects;
import org.linkgate.kernel.BatchRow;
import org.linkgate.kernel.FileRows;
import org.linkgate.kernel.RowsSent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What other features may know of the extract ledger ({@code extract}, owned by fan-out): per
 * department, how many extracts wait, were sent, await a return, are overdue or came back; and, for
 * returns, an extract's state and who its tokens stand for; for retention, who was sent from a batch
 * ({@code extract_member}) and which extracts it can withdraw.
 */
@Component
public class Extracts implements PersonSubjects, RowsSent {

    /**
     * One department's extracts by state; {@code nextReturnDue} is the earliest due date of those awaiting a
     * return. JSON in the ledger's column names, as {@code /api/ops/departments} has always given.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DepartmentTotals(String departmentCode, long pending, long sent, long awaitingReturn, long overdue,
                                   long returned, long refused, Instant nextReturnDue, Instant lastSent,
                                   String lastError) {
    }

    private final JdbcTemplate jdbc;

    public Extracts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every department with at least one extract, by code; overdue means awaiting a return due before {@code now}. */
    public List<DepartmentTotals> totalsByDepartment(Instant now) {
        List<DepartmentTotals> totals = new ArrayList<>();
        jdbc.query("select department_code,"
                        + " sum(case when status = 'PENDING' then 1 else 0 end),"
                        + " sum(case when status in ('SENT', 'RETURNED') then 1 else 0 end),"
                        + " sum(case when status = 'SENT' then 1 else 0 end),"
                        + " sum(case when status = 'SENT' and due_at < ? then 1 else 0 end),"
                        + " sum(case when status = 'RETURNED' then 1 else 0 end),"
                        + " sum(case when status = 'REFUSED' then 1 else 0 end),"
                        + " min(case when status = 'SENT' then due_at end), max(sent_at),"
                        + " max(case when status = 'PENDING' then last_error end)"
                        + " from extract group by department_code order by department_code",
                rs -> {
                    totals.add(new DepartmentTotals(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6), rs.getLong(7), instant(rs, 8), instant(rs, 9), rs.getString(10)));
                }, Timestamp.from(now));
        return totals;
    }

    /** Where an extract stands: PENDING, SENT, RETURNED or REFUSED, and why it was last refused or held back. */
    public record State(String status, String lastError) {
    }

    /** The extract's state, if it exists and was meant for this department. */
    public Optional<State> state(String extractId, String departmentCode) {
        return jdbc.query("select status, last_error from extract where id = ? and department_code = ?",
                (rs, n) -> new State(rs.getString(1), rs.getString(2)), extractId, departmentCode).stream().findFirst();
    }

    /** The pseudo ids behind an extract's department tokens, for those tokens that are its members (by primary key). */
    public Map<String, String> pseudoIdsOf(String extractId, Collection<String> tokens) {
        if (tokens.isEmpty()) {
            return Map.of();
        }
        List<Object> args = new ArrayList<>(tokens.size() + 1);
        args.add(extractId);
        args.addAll(tokens);
        Map<String, String> found = new HashMap<>();
        jdbc.query("select department_token, pseudo_id from extract_member where extract_id = ? and department_token in ("
                        + String.join(", ", Collections.nCopies(tokens.size(), "?")) + ")",
                rs -> {
                    found.put(rs.getString(1), rs.getString(2));
                }, args.toArray());
        return found;
    }

    /** Who was sent to whom from one council batch. */
    public FileRows members(String intakeId) {
        return new FileRows(jdbc, "extract_member", "intake_id", intakeId);
    }

    /** An extract delivered from a batch, as its file is named in the department's folder. */
    public record Delivered(String departmentCode, String fileName) {
    }

    /** A batch's extracts that were delivered (sent, or answered), by department. */
    public List<Delivered> delivered(String intakeId) {
        return jdbc.query("select department_code, file_name from extract where intake_id = ?"
                        + " and status in ('SENT', 'RETURNED') order by department_code",
                (rs, n) -> new Delivered(rs.getString(1), rs.getString(2)), intakeId);
    }

    /**
     * Withdraws a batch's extracts that are not yet sent or still await a return: refused with {@code reason},
     * never half-sent, and no longer waited for.
     */
    public int withdraw(String intakeId, String reason) {
        return jdbc.update("update extract set status = 'REFUSED', last_error = ? where intake_id = ?"
                + " and status in ('PENDING', 'SENT')", reason, intakeId);
    }

    /** Marks a sent extract returned (every dataset its department declares came back accepted). */
    public void markReturned(String extractId, Instant at) {
        jdbc.update("update extract set status = 'RETURNED', returned_at = ? where id = ? and status = 'SENT'",
                Timestamp.from(at), extractId);
    }

    /** Which department, batch and period an extract was for. */
    public record Facts(String id, String departmentCode, String intakeId, String period) {
    }

    /** The facts of the given extracts that exist, by id. */
    public Map<String, Facts> facts(Collection<String> extractIds) {
        if (extractIds.isEmpty()) {
            return Map.of();
        }
        Map<String, Facts> found = new HashMap<>();
        jdbc.query("select id, department_code, intake_id, period from extract where id in ("
                        + String.join(", ", Collections.nCopies(extractIds.size(), "?")) + ")",
                rs -> {
                    found.put(rs.getString(1), new Facts(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getString(4)));
                }, extractIds.toArray());
        return found;
    }

    /** The extracts planned from one council batch (one per department at most). */
    public List<String> idsOf(String intakeId) {
        return jdbc.queryForList("select id from extract where intake_id = ? order by id", String.class, intakeId);
    }

    /** The research-store row a department token of an extract stands for. */
    public record Member(String intakeId, long rowNumber) {
    }

    /** The row behind one department token of an extract, if the token is a member (by primary key). */
    public Optional<Member> member(String extractId, String departmentToken) {
        return jdbc.query("select intake_id, row_number from extract_member where extract_id = ? and department_token = ?",
                (rs, n) -> new Member(rs.getString(1), rs.getLong(2)), extractId, departmentToken).stream().findFirst();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** The extracts this person was sent in. */
    @Override
    public List<String> subjectsOf(String pseudoId) {
        return jdbc.queryForList("select distinct extract_id from extract_member where pseudo_id = ?", String.class, pseudoId);
    }

    /** An extract that carried a person, as subject access tells it (its fields are the department's, as configured). */
    public record Carried(String id, String departmentCode, String fileName, String status, Instant sentAt,
                          String intakeId) {
    }

    /** The extracts this person (by the pseudo id of the time) was a member of, oldest first. */
    public List<Carried> carrying(String pseudoId) {
        return jdbc.query("select e.id, e.department_code, e.file_name, e.status, e.sent_at, e.intake_id from extract_member m"
                        + " join extract e on e.id = m.extract_id where m.pseudo_id = ? order by e.created_at",
                (rs, n) -> new Carried(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                        rs.getString(6)), pseudoId);
    }

    /** The extracts planned from a council's batches. */
    public List<String> idsOfCouncil(String councilCode) {
        return jdbc.queryForList("select id from extract where council_code = ? order by id", String.class, councilCode);
    }

    /** A council's extracts still awaited: waiting to be sent, or sent and awaiting a return not yet overdue. */
    public long awaitedCount(String councilCode) {
        Long n = jdbc.queryForObject("select count(*) from extract where council_code = ? and (status = 'PENDING'"
                + " or (status = 'SENT' and overdue_alerted_at is null))", Long.class, councilCode);
        return n == null ? 0 : n;
    }

    @Override
    public List<String> sentTo(Collection<BatchRow> rows) {
        java.util.TreeSet<String> seen = new java.util.TreeSet<>();
        List<BatchRow> all = List.copyOf(rows);
        for (int i = 0; i < all.size(); i += 200) {
            List<BatchRow> chunk = all.subList(i, Math.min(all.size(), i + 200));
            List<Object> args = new ArrayList<>();
            chunk.forEach(r -> {
                args.add(r.intakeId());
                args.add(r.rowNumber());
            });
            seen.addAll(jdbc.queryForList("select distinct e.department_code || ' (batch ' || m.intake_id || ')'"
                    + " from extract_member m join extract e on e.id = m.extract_id where "
                    + String.join(" or ", Collections.nCopies(chunk.size(), "(m.intake_id = ? and m.row_number = ?)")),
                    String.class, args.toArray()));
        }
        return List.copyOf(seen);
    }
}
