package org.linkgate.retention;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The longitudinal study (cl. 4.11, 12.8): a department's linked data may be kept past
 * {@code retention.linkedData} only by a decision recorded here — by an ADMIN, for a department
 * party of the agreement, until a date after the agreement's, under a reference (the departments'
 * agreement to it). Decisions are never changed or deleted; the latest per department stands and
 * is shown in {@code /api/retention/due}. Every decision is audited.
 */
@Component
public class RetentionExtensions {

    /** A reference such as {@code DSA-TF-LS-2016/03}: letters, digits and a little punctuation, no free text. */
    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ./:_()-]{1,199}");

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AgreementPolicy policy;
    private final AuditLog audit;
    private final Clock clock;

    public RetentionExtensions(JdbcTemplate jdbc, TransactionTemplate transactions, AgreementPolicy policy, AuditLog audit,
                               Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Records a decision.
     *
     * @return its id
     * @throws IllegalArgumentException for a department that is not a party, a date not after the
     *                                  agreement's linked-data date, or a missing or malformed reference
     */
    public String extend(String departmentCode, LocalDate until, String reference, String admin) {
        Objects.requireNonNull(admin, "admin");
        String department = departmentCode == null ? "" : departmentCode.strip().toUpperCase(java.util.Locale.ROOT);
        boolean party = policy.agreement().party(department).map(p -> p.kind() == Agreement.Kind.DEPARTMENT).orElse(false);
        if (!party) {
            throw new IllegalArgumentException("department must be a department party of the agreement");
        }
        LocalDate agreed = policy.agreement().retention().linkedData();
        if (until == null || !until.isAfter(agreed)) {
            throw new IllegalArgumentException("until must be after the agreement's linkedData date " + agreed);
        }
        if (reference == null || !REFERENCE.matcher(reference.strip()).matches()) {
            throw new IllegalArgumentException("reference is required: 2-200 letters, digits, spaces or . / : _ ( ) -");
        }
        String id = UUID.randomUUID().toString();
        transactions.executeWithoutResult(tx -> {
            jdbc.update("insert into retention_extension (id, department_code, extended_until, reference, decided_by,"
                            + " decided_at) values (?, ?, ?, ?, ?, ?)", id, department, Date.valueOf(until),
                    reference.strip(), admin, Timestamp.from(clock.instant()));
            audit.record(AuditEventType.RETENTION_EXTENDED, department, id, admin,
                    "linkedData of " + department + " kept until " + until + " (agreement: " + agreed + ") ref="
                            + reference.strip());
        });
        return id;
    }
}
