package org.linkgate.returns;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.linkgate.audit.PersonSubjects;
import org.linkgate.kernel.FileRows;
import org.linkgate.kernel.ReceivedFileFacts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The returns ledger ({@code return_file}), returned rows ({@code return_record}), per-person matched
 * statuses ({@code return_match_status}) and linkage quality
 * ({@code linkage_quality}), owned by returns, as retention reaches them: which returns are archived and
 * not yet destroyed, what each one was, its rows, and marking it destroyed.
 */
@Component
public class ReturnFiles implements PersonSubjects {

    /** A return file the gateway keeps data from. */
    public record Held(String id, String departmentCode) {
    }

    /** The table of linkage-quality figures, as destruction evidence names it. */
    public static final String LINKAGE_QUALITY_TABLE = "linkage_quality";

    private final JdbcTemplate jdbc;

    public ReturnFiles(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Returns archived (their outcome final) whose data is not yet destroyed, oldest first. */
    public List<Held> archivedNotDestroyed() {
        return jdbc.query("select id, department_code from return_file where archived_at is not null"
                + " and destroyed_at is null order by received_at, id", (rs, n) -> new Held(rs.getString(1), rs.getString(2)));
    }

    public ReceivedFileFacts facts(String returnId) {
        return jdbc.queryForObject("select file_name, sha256, size_bytes, status from return_file where id = ?",
                (rs, n) -> new ReceivedFileFacts(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4), null),
                returnId);
    }

    public FileRows records(String returnId) {
        return new FileRows(jdbc, "return_record", "return_id", returnId);
    }

    /** The per-person matched statuses a return carried ({@code return_match_status}). */
    public FileRows matchStatuses(String returnId) {
        return new FileRows(jdbc, "return_match_status", "return_id", returnId);
    }

    public void markDestroyed(String returnId, Instant at) {
        jdbc.update("update return_file set destroyed_at = ? where id = ?", Timestamp.from(at), returnId);
    }

    /** Linkage-quality rows about the given extracts (those of one council batch, from {@code fanout.Extracts}). */
    public long linkageQualityOf(Collection<String> extractIds) {
        if (extractIds.isEmpty()) {
            return 0;
        }
        Long n = jdbc.queryForObject("select count(*) from linkage_quality where extract_id in (" + marks(extractIds)
                + ")", Long.class, extractIds.toArray());
        return n == null ? 0 : n;
    }

    public int deleteLinkageQualityOf(Collection<String> extractIds) {
        if (extractIds.isEmpty()) {
            return 0;
        }
        return jdbc.update("delete from linkage_quality where extract_id in (" + marks(extractIds) + ")",
                extractIds.toArray());
    }

    private static String marks(Collection<?> values) {
        return String.join(", ", Collections.nCopies(values.size(), "?"));
    }

    /** The returns that brought data about this person. */
    @Override
    public List<String> subjectsOf(String pseudoId) {
        return jdbc.queryForList("select return_id from return_record where pseudo_id = ?"
                + " union select return_id from return_match_status where pseudo_id = ?", String.class, pseudoId, pseudoId);
    }

    /** An accepted return that brought rows linked to a person, and how many. */
    public record LinkedReturn(String departmentCode, String dataset, String fileName, Instant receivedAt,
                               Instant destroyedAt, long rows) {
    }

    /** The accepted returns with rows under this pseudo id, oldest first. */
    public List<LinkedReturn> acceptedLinkedTo(String pseudoId) {
        return jdbc.query("select rf.department_code, rf.dataset, rf.file_name, rf.received_at, rf.destroyed_at, count(*)"
                        + " from return_record rr join return_file rf on rf.id = rr.return_id and rf.status = 'ACCEPTED'"
                        + " where rr.pseudo_id = ? group by rf.department_code, rf.dataset, rf.file_name, rf.received_at,"
                        + " rf.destroyed_at order by rf.received_at",
                (rs, n) -> new LinkedReturn(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)), rs.getLong(6)), pseudoId);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Accepted return files and the rows they brought. */
    public record AcceptedTotals(long files, long rows) {
    }

    /** The accepted returns for the given extracts (e.g. a council's, from {@code fanout.Extracts}). */
    public AcceptedTotals acceptedTotals(Collection<String> extractIds) {
        if (extractIds.isEmpty()) {
            return new AcceptedTotals(0, 0);
        }
        return jdbc.queryForObject("select count(*), coalesce(sum(rows_accepted), 0) from return_file where status = 'ACCEPTED'"
                        + " and extract_id in (" + marks(extractIds) + ")",
                (rs, n) -> new AcceptedTotals(rs.getLong(1), rs.getLong(2)), extractIds.toArray());
    }
}
