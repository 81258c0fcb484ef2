package org.linkgate.returns;

import java.sql.Timestamp;
import java.time.Instant;
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

    /** Linkage-quality rows about the extracts of one council batch. */
    public long linkageQualityOf(String intakeId) {
        Long n = jdbc.queryForObject("select count(*) from linkage_quality q join extract e on e.id = q.extract_id"
                + " where e.intake_id = ?", Long.class, intakeId);
        return n == null ? 0 : n;
    }

    public int deleteLinkageQualityOf(String intakeId) {
        return jdbc.update("delete from linkage_quality where extract_id in (select id from extract where intake_id = ?)",
                intakeId);
    }

    /** The returns that brought data about this person. */
    @Override
    public List<String> subjectsOf(String pseudoId) {
        return jdbc.queryForList("select return_id from return_record where pseudo_id = ?"
                + " union select return_id from return_match_status where pseudo_id = ?", String.class, pseudoId, pseudoId);
    }
}
