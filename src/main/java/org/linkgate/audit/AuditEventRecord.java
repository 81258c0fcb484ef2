package org.linkgate.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.Instant;

/**
 * One stored audit event with its chain position and hashes. {@code seq}, {@code prevHash} and
 * {@code hash} are null only for an event that was never chained (which verification reports).
 */
public record AuditEventRecord(Long seq, Instant occurredAt, String eventType, String partnerCode,
        String subjectId, String actor, String detail, String prevHash, String hash) {

    /** The select list that {@link #fromRow} reads. */
    static final String COLUMNS = "seq, occurred_at, event_type, partner_code, subject_id, actor, detail, prev_hash, hash";

    static AuditEventRecord fromRow(ResultSet rs) throws SQLException {
        long seq = rs.getLong("seq");
        Long chainSeq = rs.wasNull() ? null : seq;
        OffsetDateTime at = rs.getObject("occurred_at", OffsetDateTime.class);
        return new AuditEventRecord(chainSeq, at == null ? null : at.toInstant(), rs.getString("event_type"),
                rs.getString("partner_code"), rs.getString("subject_id"), rs.getString("actor"),
                rs.getString("detail"), rs.getString("prev_hash"), rs.getString("hash"));
    }
}
