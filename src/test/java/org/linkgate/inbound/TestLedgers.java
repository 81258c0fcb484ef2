package org.linkgate.inbound;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Ledgers for fixtures that record files as the lifecycle would, without running it. */
public final class TestLedgers {

    private TestLedgers() {
    }

    public static InboundLedger councils(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        return new InboundLedger(org.linkgate.intake.CouncilBatches.LEDGER_TABLES, jdbc, transactions, clock, new AuditLog(jdbc, clock));
    }

    public static InboundLedger councils(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, AuditLog audit) {
        return new InboundLedger(org.linkgate.intake.CouncilBatches.LEDGER_TABLES, jdbc, transactions, clock, audit);
    }

    public static InboundLedger departments(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock) {
        return new InboundLedger(org.linkgate.returns.DepartmentReturns.LEDGER_TABLES, jdbc, transactions, clock, new AuditLog(jdbc, clock));
    }

    /** Claims a council file under a take-in of its own; returns its id. */
    public static String claimBatch(InboundLedger ledger, String council, String name, String sha256, long size,
                                    String period) {
        return ledger.claim(council, name, sha256, size, randomSourceKey(), Map.of("period", period)).file().id();
    }

    /** Records an outcome as the lifecycle's commit does. */
    public static void complete(InboundLedger ledger, TransactionTemplate transactions, String id, String partner,
                                InboundStatus status, long rows, long accepted) {
        transactions.executeWithoutResult(tx -> ledger.complete(id, partner, status,
                new InboundLedger.Counts(rows, accepted, rows - accepted), "council-batch-v1", "{}"));
    }

    public static String randomSourceKey() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
