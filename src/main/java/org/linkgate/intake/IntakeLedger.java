package org.linkgate.intake;

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
 * The persistent record of every file taken from a drop-zone and the idempotent repository of
 * contents already received (council + SHA-256 of the ciphertext). It decides whether a file is
 * new, a resumption after a crash (same name and content, not yet archived) or a duplicate.
 * Each change of state is audited in the transaction that makes it.
 */
@Component
public class IntakeLedger {

    private static final String ACTOR = "intake";
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AuditLog audit;

    public IntakeLedger(JdbcTemplate jdbc, Clock clock, AuditLog audit) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    /** One row of intake_file. */
    public record IntakeFile(String id, String councilCode, String fileName, String sha256, long sizeBytes,
                             String period, IntakeStatus status, int attempts, String duplicateOf,
                             String reportJson, Instant receivedAt, Instant reportSentAt, Instant archivedAt) {
    }

    public enum Arrival { NEW, RESUMED, DUPLICATE }

    public record Begun(Arrival arrival, IntakeFile file) {
    }

    /**
     * Records that a file is being taken. A resumed file has its attempt count raised; a new
     * content is claimed in {@code received_content}, whose key makes a second claim fail.
     */
    @Transactional
    public Begun begin(String councilCode, String fileName, String sha256, long size, String period) {
        Optional<IntakeFile> unfinished = jdbc.query(
                "select * from intake_file where council_code = ? and sha256 = ? and file_name = ?"
                        + " and archived_at is null and status <> 'QUARANTINED' order by received_at desc",
                this::map, councilCode, sha256, fileName).stream().findFirst();
        if (unfinished.isPresent()) {
            jdbc.update("update intake_file set attempts = attempts + 1 where id = ?", unfinished.get().id());
            return new Begun(Arrival.RESUMED, find(unfinished.get().id()).orElseThrow());
        }
        List<String> original = jdbc.queryForList(
                "select first_intake_id from received_content where council_code = ? and sha256 = ?",
                String.class, councilCode, sha256);
        String id = UUID.randomUUID().toString();
        IntakeStatus status = original.isEmpty() ? IntakeStatus.RECEIVED : IntakeStatus.DUPLICATE;
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status,"
                        + " attempts, duplicate_of, received_at) values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                id, councilCode, fileName, sha256, size, period, status.name(),
                original.isEmpty() ? null : original.get(0), now());
        if (original.isEmpty()) {
            jdbc.update("insert into received_content (council_code, sha256, first_intake_id) values (?, ?, ?)",
                    councilCode, sha256, id);
        }
        audit.record(original.isEmpty() ? AuditEventType.FILE_RECEIVED : AuditEventType.FILE_DUPLICATE,
                councilCode, id, ACTOR, "sha256=" + sha256 + " bytes=" + size
                        + (original.isEmpty() ? "" : " duplicate_of=" + original.get(0)));
        return new Begun(original.isEmpty() ? Arrival.NEW : Arrival.DUPLICATE, find(id).orElseThrow());
    }

    /** The recorded outcome of a file and its row counts (0 where none were recorded). */
    public record Outcome(IntakeStatus status, long rowsAccepted, long rowsRejected) {
    }

    public Outcome outcome(String id) {
        return jdbc.queryForObject("select status, rows_accepted, rows_rejected from intake_file where id = ?",
                (rs, n) -> new Outcome(IntakeStatus.valueOf(rs.getString(1)), rs.getLong(2), rs.getLong(3)), id);
    }

    public Optional<IntakeFile> find(String id) {
        return jdbc.query("select * from intake_file where id = ?", this::map, id).stream().findFirst();
    }

    /** Records the outcome; called inside the transaction that commits (or not) the research records. */
    public void complete(String id, IntakeStatus status, long rowsTotal, long rowsAccepted, long rowsRejected,
                         String signerFingerprint, String schemaId, String dataKeyId, String reportJson) {
        jdbc.update("update intake_file set status = ?, rows_total = ?, rows_accepted = ?, rows_rejected = ?,"
                        + " signer_fingerprint = ?, schema_id = ?, data_key_id = ?, report_json = ?, completed_at = ?"
                        + " where id = ?",
                status.name(), rowsTotal, rowsAccepted, rowsRejected, signerFingerprint, schemaId, dataKeyId,
                reportJson, now(), id);
        String council = jdbc.queryForObject("select council_code from intake_file where id = ?", String.class, id);
        if (signerFingerprint != null) {
            // Decrypted with the gateway key, integrity (MDC) and the council's signature checked.
            audit.record(AuditEventType.FILE_VERIFIED, council, id, ACTOR, "decrypted; signed by " + signerFingerprint);
        }
        AuditEventType type = switch (status) {
            case ACCEPTED -> AuditEventType.FILE_ACCEPTED;
            case PARTIAL -> AuditEventType.FILE_PARTIALLY_ACCEPTED;
            case DUPLICATE -> AuditEventType.FILE_DUPLICATE;
            default -> AuditEventType.FILE_REJECTED;
        };
        audit.record(type, council, id, ACTOR, "rows=" + rowsTotal + " accepted=" + rowsAccepted
                + " rejected=" + rowsRejected + (signerFingerprint == null ? "" : " signer=" + signerFingerprint));
    }

    @Transactional
    public void reportSent(String id, String councilCode, String reportName) {
        jdbc.update("update intake_file set report_sent_at = ? where id = ?", now(), id);
        audit.record(AuditEventType.REPORT_SENT, councilCode, id, ACTOR, "outbound/" + reportName);
    }

    @Transactional
    public void archived(String id, String councilCode, String archivePath) {
        jdbc.update("update intake_file set archived_at = ?, archive_path = ? where id = ?", now(), archivePath, id);
        audit.record(AuditEventType.FILE_ARCHIVED, councilCode, id, ACTOR, null);
    }

    @Transactional
    public void quarantined(String id, String councilCode, String path, String reason) {
        jdbc.update("update intake_file set status = 'QUARANTINED', archive_path = ?, completed_at = ?,"
                + " archived_at = ? where id = ?", path, now(), now(), id);
        audit.record(AuditEventType.FILE_QUARANTINED, councilCode, id, ACTOR, reason);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private IntakeFile map(ResultSet rs, int row) throws SQLException {
        return new IntakeFile(rs.getString("id"), rs.getString("council_code"), rs.getString("file_name"),
                rs.getString("sha256"), rs.getLong("size_bytes"), rs.getString("period"),
                IntakeStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("duplicate_of"),
                rs.getString("report_json"), instant(rs, "received_at"), instant(rs, "report_sent_at"),
                instant(rs, "archived_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
