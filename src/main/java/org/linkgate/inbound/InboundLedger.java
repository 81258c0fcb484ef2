package org.linkgate.inbound;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The persistent record of every file one side receives, and its idempotent repository of
 * contents already received (partner + SHA-256 of the ciphertext, a primary key, so a second
 * claim of the same content fails even across replicas). It decides whether a file in custody is
 * new, a resumption after a crash, a leftover of a take-in already done, or a duplicate. Each
 * change of state is audited in the transaction that makes it. One class for both sides: the
 * tables and events come from {@link LedgerTables}.
 */
public final class InboundLedger {

    private final LedgerTables tables;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final AuditLog audit;

    public InboundLedger(LedgerTables tables, JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock,
                         AuditLog audit) {
        this.tables = Objects.requireNonNull(tables, "tables");
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.audit = audit;
    }

    public LedgerTables tables() {
        return tables;
    }

    /** How a file in custody relates to what the ledger already knows. */
    public enum Arrival {
        /** A content never received from this partner: to be processed. */
        NEW,
        /** This custody copy was claimed before and not finished (a crash or a failure): carry on. */
        RESUMED,
        /** This custody copy was claimed and finished before; it is a leftover of a crash after take-in. */
        ALREADY_FINISHED,
        /** The same content was received before under another take-in: reported, not processed. */
        DUPLICATE
    }

    public record Claim(Arrival arrival, InboundFile file) {
    }

    /**
     * Claims a file in custody. {@code sourceKey} names the take-in (see {@link DropZoneTakeIn}); a
     * resumed claim has its attempt count raised. {@code details} are the side's own columns
     * ({@link LedgerTables#detailColumns()}), written with the row.
     */
    public Claim claim(String partner, String fileName, String sha256, long size, String sourceKey,
                       Map<String, Object> details) {
        for (String column : details.keySet()) {
            if (!tables.detailColumns().contains(column)) {
                throw new IllegalArgumentException("not a detail column of " + tables.fileTable() + ": " + column);
            }
        }
        return transactions.execute(tx -> {
            Optional<InboundFile> taken = jdbc.query("select * from " + tables.fileTable() + " where "
                    + tables.partnerColumn() + " = ? and source_key = ?", this::map, partner, sourceKey).stream().findFirst();
            if (taken.isPresent()) {
                if (taken.get().finished()) {
                    return new Claim(Arrival.ALREADY_FINISHED, taken.get());
                }
                jdbc.update("update " + tables.fileTable() + " set attempts = attempts + 1 where id = ?", taken.get().id());
                return new Claim(Arrival.RESUMED, find(taken.get().id()).orElseThrow());
            }
            List<String> original = jdbc.queryForList("select " + tables.firstIdColumn() + " from "
                    + tables.contentTable() + " where " + tables.partnerColumn() + " = ? and sha256 = ?",
                    String.class, partner, sha256);
            String id = UUID.randomUUID().toString();
            InboundStatus status = original.isEmpty() ? InboundStatus.RECEIVED : InboundStatus.DUPLICATE;
            List<String> columns = new ArrayList<>(List.of("id", tables.partnerColumn(), "file_name", "sha256",
                    "size_bytes", "status", "attempts", "duplicate_of", "source_key", "received_at"));
            List<Object> values = new ArrayList<>(List.of(id, partner, fileName, sha256, size, status.name(), 1));
            values.add(original.isEmpty() ? null : original.get(0));
            values.add(sourceKey);
            values.add(now());
            details.forEach((column, value) -> {
                columns.add(column);
                values.add(value);
            });
            jdbc.update("insert into " + tables.fileTable() + " (" + String.join(", ", columns) + ") values ("
                    + String.join(", ", java.util.Collections.nCopies(columns.size(), "?")) + ")", values.toArray());
            if (original.isEmpty()) {
                jdbc.update("insert into " + tables.contentTable() + " (" + tables.partnerColumn() + ", sha256, "
                        + tables.firstIdColumn() + ") values (?, ?, ?)", partner, sha256, id);
            }
            audit.record(original.isEmpty() ? tables.events().received() : tables.events().duplicate(), partner, id,
                    tables.actor(), "sha256=" + sha256 + " bytes=" + size
                            + (original.isEmpty() ? "" : " duplicate_of=" + original.get(0)));
            return new Claim(original.isEmpty() ? Arrival.NEW : Arrival.DUPLICATE, find(id).orElseThrow());
        });
    }

    public Optional<InboundFile> find(String id) {
        return jdbc.query("select * from " + tables.fileTable() + " where id = ?", this::map, id).stream().findFirst();
    }

    /** Rows read, kept and refused of a completed file (0 where none were recorded). */
    public record Counts(long rows, long accepted, long rejected) {
        public static final Counts NONE = new Counts(0, 0, 0);
    }

    /** The recorded outcome and counts of a file. */
    public record Outcome(InboundStatus status, Counts counts) {
    }

    public Outcome outcome(String id) {
        return jdbc.queryForObject("select status, rows_total, rows_accepted, rows_rejected from " + tables.fileTable()
                + " where id = ?", (rs, n) -> new Outcome(InboundStatus.valueOf(rs.getString(1)),
                new Counts(rs.getLong(2), rs.getLong(3), rs.getLong(4))), id);
    }

    /** Records that the file decrypted and its integrity and signature verified, and by which key. */
    public void verified(String id, String partner, String signerFingerprint) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update " + tables.fileTable() + " set signer_fingerprint = ? where id = ?", signerFingerprint, id);
            // Decrypted with the gateway key, integrity (MDC) and the partner's signature checked.
            audit.record(AuditEventType.FILE_VERIFIED, partner, id, tables.actor(), "decrypted; signed by " + signerFingerprint);
        });
    }

    /** Records the outcome; runs in the caller's transaction, the one that makes the file's data take effect (or not). */
    public void complete(String id, String partner, InboundStatus status, Counts counts, String schemaId,
                         String reportJson) {
        jdbc.update("update " + tables.fileTable() + " set status = ?, rows_total = ?, rows_accepted = ?,"
                        + " rows_rejected = ?, schema_id = ?, report_json = ?, completed_at = ? where id = ?",
                status.name(), counts.rows(), counts.accepted(), counts.rejected(), schemaId, reportJson, now(), id);
        AuditEventType type = switch (status) {
            case ACCEPTED -> tables.events().accepted();
            case PARTIAL -> tables.events().partial();
            case DUPLICATE -> tables.events().duplicate();
            default -> tables.events().rejected();
        };
        audit.record(type, partner, id, tables.actor(), "rows=" + counts.rows() + " accepted=" + counts.accepted()
                + " rejected=" + counts.rejected());
    }

    public void reportSent(String id, String partner, String reportName) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update " + tables.fileTable() + " set report_sent_at = ?, report_name = ? where id = ?",
                    now(), reportName, id);
            audit.record(AuditEventType.REPORT_SENT, partner, id, tables.actor(), tables.reportFolder() + reportName);
        });
    }

    public void archived(String id, String partner, String archivePath) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update " + tables.fileTable() + " set archived_at = ?, archive_path = ? where id = ?",
                    now(), archivePath, id);
            audit.record(tables.events().archived(), partner, id, tables.actor(), null);
        });
    }

    public void quarantined(String id, String partner, String path, String reason) {
        transactions.executeWithoutResult(tx -> {
            jdbc.update("update " + tables.fileTable() + " set status = 'QUARANTINED', archive_path = ?,"
                    + " completed_at = ?, archived_at = ? where id = ?", path, now(), now(), id);
            audit.record(tables.events().quarantined(), partner, id, tables.actor(), reason);
        });
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private InboundFile map(ResultSet rs, int row) throws SQLException {
        return new InboundFile(rs.getString("id"), rs.getString(tables.partnerColumn()), rs.getString("file_name"),
                rs.getString("sha256"), rs.getLong("size_bytes"), InboundStatus.valueOf(rs.getString("status")),
                rs.getInt("attempts"), rs.getString("duplicate_of"), rs.getString("report_json"),
                rs.getString("report_name"), instant(rs, "received_at"), instant(rs, "report_sent_at"),
                instant(rs, "archived_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
