package org.linkgate.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records dataset movements (cl. 7.2) in the caller's transaction, so an event exists exactly
 * when the change it describes does. Details are metadata only: never a value from a file.
 *
 * <p>Each event is the next link of the hash chain ({@link AuditChainHash}): the chain head row is
 * locked ({@code select ... for update}) until the caller's transaction ends, so concurrent writers
 * append one after another and a rolled-back change leaves neither its event nor a gap. Without a
 * transaction in progress the event gets one of its own. Keep transactions that record events short:
 * every other writer of events waits for the head while one is open.
 */
@Component
public class AuditLog {

    private static final Logger LOG = LoggerFactory.getLogger("linkgate.audit");
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final TransactionTemplate joinOrBegin;

    public AuditLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        // PROPAGATION_REQUIRED on the JdbcTemplate's DataSource: joins the caller's transaction (bound
        // to that DataSource by whichever DataSourceTransactionManager began it), or begins one.
        this.joinOrBegin = new TransactionTemplate(new DataSourceTransactionManager(
                Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no DataSource")));
    }

    public void record(AuditEventType type, String partnerCode, String subjectId, String actor, String detail) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        Instant occurredAt = AuditChainHash.storable(clock.instant());
        Long seq = joinOrBegin.execute(status -> append(jdbc, occurredAt, type.name(), partnerCode, subjectId,
                actor, detail));
        LOG.info("audit #{} {} partner={} subject={} {}", seq, type, partnerCode, subjectId,
                detail == null ? "" : detail);
    }

    /**
     * Appends one event at the head of the chain; must run inside a transaction, which holds the head
     * lock until it ends. Returns the event's seq.
     */
    static long append(JdbcTemplate jdbc, Instant occurredAt, String type, String partnerCode, String subjectId,
            String actor, String detail) {
        ChainHead head = lockHead(jdbc);
        long seq = head.seq() + 1;
        String hash = AuditChainHash.hash(seq, occurredAt, type, partnerCode, subjectId, actor, detail, head.hash());
        jdbc.update("insert into audit_event (occurred_at, event_type, partner_code, subject_id, actor, detail,"
                        + " seq, prev_hash, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC), type, partnerCode, subjectId, actor, detail,
                seq, head.hash(), hash);
        moveHead(jdbc, head, seq, hash);
        return seq;
    }

    /** Reads and locks the chain head until the current transaction ends. */
    static ChainHead lockHead(JdbcTemplate jdbc) {
        ChainHead head = jdbc.query("select seq, hash from audit_chain_head where id = 1 for update",
                rs -> rs.next() ? new ChainHead(rs.getLong(1), rs.getString(2)) : null);
        if (head == null) {
            throw new IllegalStateException("audit_chain_head has no row: the V3 migration has not run");
        }
        return head;
    }

    static void moveHead(JdbcTemplate jdbc, ChainHead from, long seq, String hash) {
        int moved = jdbc.update("update audit_chain_head set seq = ?, hash = ? where id = 1 and seq = ?",
                seq, hash, from.seq());
        if (moved != 1) {
            throw new IllegalStateException("audit chain head moved while locked (expected seq " + from.seq() + ")");
        }
    }

    /** The last link of the chain: its seq (0 when empty) and hash ({@link AuditChainHash#GENESIS} when empty). */
    public record ChainHead(long seq, String hash) {
    }
}
