package org.linkgate.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walks the audit chain by seq, streaming (constant memory), recomputing each event's hash and
 * checking its link to its predecessor, seq continuity and the stored head; returns the first
 * broken link. {@link #verifyAgainst} also checks a signed head exported earlier, which catches a
 * chain rewritten wholesale (an unkeyed chain can be recomputed by anyone who can write the table).
 * Appends running meanwhile are not mistaken for tampering.
 */
@Component
public class AuditChainVerifier {

    private static final int FETCH_SIZE = 1000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate snapshot;
    /** A read of its own, committed data only: what the head is now, outside the snapshot. */
    private final TransactionTemplate now;
    private final AuditHeadSigner signer;

    public AuditChainVerifier(JdbcTemplate jdbc, AuditHeadSigner signer) {
        this.jdbc = new JdbcTemplate(Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no DataSource"));
        // Without a fetch size (and a transaction) the PostgreSQL driver reads the whole result first.
        this.jdbc.setFetchSize(FETCH_SIZE);
        this.snapshot = new TransactionTemplate(new DataSourceTransactionManager(this.jdbc.getDataSource()));
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.now = new TransactionTemplate(new DataSourceTransactionManager(this.jdbc.getDataSource()));
        this.now.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.now.setReadOnly(true);
        this.now.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        this.signer = signer;
    }

    /** Verifies the whole chain against the stored head. */
    public ChainVerification verify() {
        return snapshot.execute(status -> walk());
    }

    /**
     * Verifies the chain, then that the signed head is a valid signature by the gateway key and a
     * prefix of the chain: the event at its seq has its hash (seq 0: the genesis hash).
     */
    public ChainVerification verifyAgainst(SignedHead exported) {
        Objects.requireNonNull(exported, "exported");
        AuditHeadSigner.ExportedHead anchor;
        try {
            anchor = signer.verified(exported);
        } catch (SignedHead.InvalidSignedHeadException e) {
            AuditLog.ChainHead head = snapshot.execute(status -> readHead());
            return ChainVerification.broken(0, head, null, ChainVerification.Break.SIGNATURE_INVALID, e.getMessage());
        }
        return snapshot.execute(status -> {
            ChainVerification chain = walk();
            if (!chain.intact()) {
                return chain;
            }
            AuditLog.ChainHead head = new AuditLog.ChainHead(chain.headSeq(), chain.headHash());
            if (anchor.seq() > head.seq()) {
                return ChainVerification.broken(chain.eventsChecked(), head, head.seq() + 1,
                        ChainVerification.Break.MISSING, "the exported head is at seq " + anchor.seq()
                                + " but the chain ends at " + head.seq() + ": events were removed from its end");
            }
            String hashThere = anchor.seq() == 0 ? AuditChainHash.GENESIS : jdbc.queryForObject(
                    "select hash from audit_event where seq = ?", String.class, anchor.seq());
            if (!anchor.hash().equals(hashThere)) {
                return ChainVerification.broken(chain.eventsChecked(), head, anchor.seq(),
                        ChainVerification.Break.HEAD_MISMATCH, "the exported head at seq " + anchor.seq()
                                + " has another hash than the chain: the chain up to it was rewritten");
            }
            return chain;
        });
    }

    private AuditLog.ChainHead readHead() {
        return jdbc.queryForObject("select seq, hash from audit_chain_head where id = 1",
                (rs, n) -> new AuditLog.ChainHead(rs.getLong(1), rs.getString(2)));
    }

    private ChainVerification walk() {
        AuditLog.ChainHead head = readHead();
        Walk walk = jdbc.query("select " + AuditEventRecord.COLUMNS + " from audit_event"
                + " where seq is not null and seq <= ? order by seq", (ResultSetExtractor<Walk>) rs -> walkRows(rs, head), head.seq());
        if (walk.broken != null) {
            return walk.broken;
        }
        long checked = walk.checked;
        if (walk.lastSeq < head.seq()) {
            return ChainVerification.broken(checked, head, walk.lastSeq + 1, ChainVerification.Break.MISSING,
                    "the head is at seq " + head.seq() + " but the chain ends at seq " + walk.lastSeq);
        }
        if (!walk.lastHash.equals(head.hash())) {
            return ChainVerification.broken(checked, head, head.seq(), ChainVerification.Break.HEAD_MISMATCH,
                    "the head's hash is not the hash of event " + head.seq());
        }
        // Beyond the head: read the events first, then the head again, so an append committed in
        // between is seen with its head. H2's REPEATABLE READ shows rows committed since the snapshot
        // began (phantoms) but repeats the head row as first read, so the head is read again outside
        // the snapshot; under PostgreSQL the snapshot shows neither.
        List<Long> beyond = jdbc.queryForList("select seq from audit_event where seq > ? order by seq limit 1",
                Long.class, head.seq());
        if (!beyond.isEmpty() && beyond.get(0) > now.execute(status -> readHead()).seq()) {
            return ChainVerification.broken(checked, head, beyond.get(0), ChainVerification.Break.INSERTED,
                    "event " + beyond.get(0) + " lies beyond the head of the chain");
        }
        List<Long> unchained = jdbc.queryForList("select id from audit_event where seq is null order by id limit 1",
                Long.class);
        if (!unchained.isEmpty()) {
            return ChainVerification.broken(checked, head, null, ChainVerification.Break.INSERTED,
                    "event id " + unchained.get(0) + " has no place in the chain");
        }
        return ChainVerification.intact(checked, head.seq(), head.hash());
    }

    private Walk walkRows(ResultSet rs, AuditLog.ChainHead head) throws SQLException {
        Walk walk = new Walk();
        while (rs.next()) {
            AuditEventRecord event = AuditEventRecord.fromRow(rs);
            long expected = walk.lastSeq + 1;
            long seq = event.seq();
            if (seq > expected) {
                return walk.broken(head, expected, ChainVerification.Break.MISSING,
                        "no event at seq " + expected + " (the next is " + seq + ")");
            }
            if (seq < expected) {
                return walk.broken(head, seq, ChainVerification.Break.INSERTED, "a second event at seq " + seq);
            }
            boolean selfConsistent = AuditChainHash.hashOf(event).equals(event.hash());
            if (!walk.lastHash.equals(event.prevHash())) {
                return walk.broken(head, linkBreak(walk, event, selfConsistent));
            }
            if (!selfConsistent) {
                return walk.broken(head, seq, ChainVerification.Break.EDITED,
                        "event " + seq + " does not hash to its stored hash: changed after it was written");
            }
            walk.advance(seq, event.hash());
        }
        return walk;
    }

    /** Why {@code event} does not link to the event before it. Runs once, on the failure path only. */
    private Located linkBreak(Walk walk, AuditEventRecord event, boolean selfConsistent) {
        long seq = event.seq();
        if (walk.hashBeforeLast != null && walk.hashBeforeLast.equals(event.prevHash())) {
            return new Located(seq - 1, ChainVerification.Break.INSERTED, "event " + seq + " links to event "
                    + (seq - 2) + ": event " + (seq - 1) + " was put between them");
        }
        List<Long> target = jdbc.queryForList("select seq from audit_event where hash = ? order by seq",
                Long.class, event.prevHash());
        if (!target.isEmpty() && target.get(0) != null && target.get(0) >= seq) {
            return new Located(seq, ChainVerification.Break.REORDERED, "event " + seq
                    + " links to event " + target.get(0) + ", which comes after it");
        }
        if (selfConsistent) {
            // The event itself is as written, so what precedes it was replaced (edited and rehashed).
            return new Located(seq - 1, ChainVerification.Break.EDITED, "event " + seq + " does not link to event "
                    + (seq - 1) + ": event " + (seq - 1) + " was replaced");
        }
        return new Located(seq, ChainVerification.Break.MISSING, "the predecessor of event " + seq
                + " is not in the chain: events were removed and the rest renumbered");
    }

    private record Located(long seq, ChainVerification.Break kind, String reason) {
    }

    /** Walk state: the last two links seen. */
    private static final class Walk {
        long checked;
        long lastSeq;
        String lastHash = AuditChainHash.GENESIS;
        String hashBeforeLast;
        ChainVerification broken;

        void advance(long seq, String hash) {
            checked++;
            lastSeq = seq;
            hashBeforeLast = lastHash;
            lastHash = hash;
        }

        Walk broken(AuditLog.ChainHead head, long seq, ChainVerification.Break kind, String reason) {
            broken = ChainVerification.broken(checked, head, seq, kind, reason);
            return this;
        }

        Walk broken(AuditLog.ChainHead head, Located at) {
            return broken(head, at.seq(), at.kind(), at.reason());
        }
    }
}
