package org.linkgate.returns;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * The record of every return file taken from a department, and the idempotent repository of
 * return contents (department + SHA-256): new, resumed after a crash, or duplicate — as the
 * intake ledger does for councils. Each change of state is audited in its transaction.
 */
@Component
public class ReturnLedger {

    private static final String ACTOR = "returns";
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AuditLog audit;

    public ReturnLedger(JdbcTemplate jdbc, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    public record ReturnFile(String id, String departmentCode, String fileName, String sha256, String status,
                             int attempts, String duplicateOf, String reportJson, Instant receivedAt,
                             Instant reportSentAt) {
    }

    public enum Arrival { NEW, RESUMED, DUPLICATE }

    public record Begun(Arrival arrival, ReturnFile file) {
    }

    @Transactional
    public Begun begin(String department, String fileName, String sha256, long size, String dataset, String extractId) {
        Optional<ReturnFile> unfinished = jdbc.query("select * from return_file where department_code = ? and sha256 = ?"
                        + " and file_name = ? and archived_at is null and status <> 'QUARANTINED' order by received_at desc",
                this::map, department, sha256, fileName).stream().findFirst();
        if (unfinished.isPresent()) {
            jdbc.update("update return_file set attempts = attempts + 1 where id = ?", unfinished.get().id());
            return new Begun(Arrival.RESUMED, find(unfinished.get().id()));
        }
        List<String> original = jdbc.queryForList("select first_return_id from received_return_content"
                + " where department_code = ? and sha256 = ?", String.class, department, sha256);
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into return_file (id, department_code, dataset, extract_id, file_name, sha256, size_bytes,"
                        + " status, duplicate_of, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                id, department, dataset, extractId, fileName, sha256, size, original.isEmpty() ? "RECEIVED" : "DUPLICATE",
                original.isEmpty() ? null : original.get(0), now());
        if (original.isEmpty()) {
            jdbc.update("insert into received_return_content (department_code, sha256, first_return_id) values (?, ?, ?)",
                    department, sha256, id);
        }
        audit.record(original.isEmpty() ? AuditEventType.RETURN_RECEIVED : AuditEventType.RETURN_DUPLICATE, department, id,
                ACTOR, "sha256=" + sha256 + " bytes=" + size);
        return new Begun(original.isEmpty() ? Arrival.NEW : Arrival.DUPLICATE, find(id));
    }

    public ReturnFile find(String id) {
        return jdbc.query("select * from return_file where id = ?", this::map, id).stream().findFirst().orElseThrow();
    }

    /** Records the outcome; call inside the transaction that commits the loaded rows' status. */
    public void complete(String id, String status, long rows, long loaded, String signer, String reportJson) {
        jdbc.update("update return_file set status = ?, rows_total = ?, rows_loaded = ?, signer_fingerprint = ?,"
                + " report_json = ?, completed_at = ? where id = ?", status, rows, loaded, signer, reportJson, now(), id);
        String department = jdbc.queryForObject("select department_code from return_file where id = ?", String.class, id);
        if (signer != null) {
            audit.record(AuditEventType.FILE_VERIFIED, department, id, ACTOR, "decrypted; signed by " + signer);
        }
        audit.record("ACCEPTED".equals(status) ? AuditEventType.RETURN_ACCEPTED : "DUPLICATE".equals(status)
                ? AuditEventType.RETURN_DUPLICATE : AuditEventType.RETURN_REJECTED, department, id, ACTOR,
                "rows=" + rows + " loaded=" + loaded);
    }

    @Transactional
    public void reportSent(String id, String departmentCode, String reportName) {
        jdbc.update("update return_file set report_sent_at = ? where id = ?", now(), id);
        audit.record(AuditEventType.REPORT_SENT, departmentCode, id, ACTOR, reportName);
    }

    @Transactional
    public void archived(String id, String department, String path) {
        jdbc.update("update return_file set archived_at = ?, archive_path = ? where id = ?", now(), path, id);
        audit.record(AuditEventType.RETURN_ARCHIVED, department, id, ACTOR, null);
    }

    @Transactional
    public void quarantined(String id, String department, String path, String reason) {
        jdbc.update("update return_file set status = 'QUARANTINED', archive_path = ?, archived_at = ?, completed_at = ?"
                + " where id = ?", path, now(), now(), id);
        audit.record(AuditEventType.RETURN_QUARANTINED, department, id, ACTOR, reason);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private ReturnFile map(ResultSet rs, int row) throws SQLException {
        Timestamp sent = rs.getTimestamp("report_sent_at");
        return new ReturnFile(rs.getString("id"), rs.getString("department_code"), rs.getString("file_name"),
                rs.getString("sha256"), rs.getString("status"), rs.getInt("attempts"), rs.getString("duplicate_of"),
                rs.getString("report_json"), rs.getTimestamp("received_at").toInstant(),
                sent == null ? null : sent.toInstant());
    }
}
