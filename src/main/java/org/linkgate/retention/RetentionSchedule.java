package org.linkgate.retention;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.linkgate.agreement.Agreement.DataKind;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.returns.ReturnFiles;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What is due for destruction on a day, from the agreement's retention dates and terminations:
 *
 * <ul>
 *   <li>{@link Unit#COUNCIL_DATA} of a council batch — the received file (archive or quarantine), the
 *       identifying fields sealed for extracts, the department-token map of its extracts, any staged
 *       rows — once {@code retention.councilData} has passed (cl. 12.8), or from the day the agreement
 *       is terminated for that council (cl. 12.9, 15);</li>
 *   <li>{@link Unit#LINKED_DATA} of an accepted batch — its pseudonymised research records, families
 *       and linkage quality — once {@code retention.linkedData} has passed (cl. 4.8);</li>
 *   <li>{@link Unit#RETURN_DATA} of a department return — its rows and its kept file — once
 *       {@code retention.linkedData} has passed, or from the day the agreement is terminated for that
 *       department (cl. 12.9, 15).</li>
 * </ul>
 *
 * Termination of the sponsor or the processor, or of the whole agreement, terminates it for every
 * party: no one may hold the data on their behalf any more. The audit trail ({@code auditTrail}) is
 * never due here: it is reported, not destroyed (see docs/governance.md). Only finished files count
 * (archived or quarantined); a unit already taken by a destruction run is not due again.
 */
@Component
public class RetentionSchedule {

    private final JdbcTemplate jdbc;
    private final HeldData held;
    private final AgreementPolicy policy;

    public RetentionSchedule(JdbcTemplate jdbc, AgreementPolicy policy, HeldData held) {
        this.jdbc = jdbc;
        this.held = held;
        this.policy = policy;
    }

    /** What one destruction of one dataset covers; the name is stored. */
    public enum Unit {
        COUNCIL_DATA(DataKind.COUNCIL_DATA),
        LINKED_DATA(DataKind.LINKED_DATA),
        RETURN_DATA(DataKind.LINKED_DATA);

        private final DataKind kind;

        Unit(DataKind kind) {
            this.kind = kind;
        }

        public DataKind kind() {
            return kind;
        }
    }

    /** One dataset due for destruction and the clause that makes it due. */
    public record DueItem(Unit unit, String subjectId, String partnerCode, String clause) {
        public DueItem {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(subjectId, "subjectId");
            Objects.requireNonNull(partnerCode, "partnerCode");
            Objects.requireNonNull(clause, "clause");
        }

        public String dataKind() {
            return unit.kind().key();
        }
    }

    /**
     * The preview: the day, which kinds' dates have passed, who is terminated, what is due, and the
     * longitudinal-study extensions in force (the latest decision per department).
     */
    public record Due(LocalDate asOf, List<String> kindsPastRetention, Set<String> terminatedParties,
                      boolean auditTrailPastRetention, List<DueItem> items, List<Extension> extensions) {
    }

    /**
     * A recorded ADMIN decision (cl. 4.11, 12.8) keeping a department's linked data (its returns) past
     * {@code retention.linkedData} until {@code until}, under {@code reference} (e.g. the departments'
     * agreement to the longitudinal study). The research records of a batch stay while any extension holds.
     */
    public record Extension(String department, LocalDate until, String reference, String decidedBy,
                            java.time.Instant decidedAt) {
    }

    /** The latest extension decision of each department (a later decision replaces an earlier one). */
    public List<Extension> extensions() {
        List<Extension> all = jdbc.query("select department_code, extended_until, reference, decided_by, decided_at"
                        + " from retention_extension order by department_code, decided_at desc, id",
                (rs, n) -> new Extension(rs.getString(1), rs.getDate(2).toLocalDate(), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()));
        java.util.Map<String, Extension> latest = new java.util.LinkedHashMap<>();
        for (Extension extension : all) {
            latest.putIfAbsent(extension.department(), extension);
        }
        return List.copyOf(latest.values());
    }

    public Due due(LocalDate on) {
        Objects.requireNonNull(on, "on");
        Agreement agreement = policy.agreement();
        List<String> kinds = policy.destructionDue(on);
        Set<String> terminated = terminated(on);
        boolean councilDataPassed = on.isAfter(agreement.retention().councilData());
        List<Extension> extensions = extensions();
        java.util.Map<String, LocalDate> extendedUntil = new java.util.HashMap<>();
        LocalDate linkedUntil = agreement.retention().linkedData();
        for (Extension extension : extensions) {
            if (extension.until().isAfter(agreement.retention().linkedData())) {
                extendedUntil.put(extension.department(), extension.until());
                if (extension.until().isAfter(linkedUntil)) {
                    linkedUntil = extension.until();
                }
            }
        }
        // The research records are the spine every department's returns link to: kept while any extension holds.
        boolean linkedDataPassed = on.isAfter(linkedUntil);
        List<DueItem> items = new ArrayList<>();

        for (IntakeFiles.Held batch : held.batches().archivedWithCouncilData()) {
            if (!planned(Unit.COUNCIL_DATA, batch.id())) {
                clause(DataKind.COUNCIL_DATA, "cl. 12.8, 12.9", councilDataPassed, batch.councilCode(), terminated, on)
                        .ifPresent(c -> items.add(new DueItem(Unit.COUNCIL_DATA, batch.id(), batch.councilCode(), c)));
            }
        }
        String linkedClause = linkedUntil.equals(agreement.retention().linkedData())
                ? retentionClause(DataKind.LINKED_DATA, "cl. 4.8")
                : "cl. 4.8, 4.11: retention of linkedData extended to " + linkedUntil + " for the longitudinal study, ended";
        if (linkedDataPassed) {
            for (IntakeFiles.Held batch : held.batches().archivedWithLinkedData()) {
                if (!planned(Unit.LINKED_DATA, batch.id())) {
                    items.add(new DueItem(Unit.LINKED_DATA, batch.id(), batch.councilCode(), linkedClause));
                }
            }
        }
        for (ReturnFiles.Held file : held.returns().archivedNotDestroyed()) {
            if (planned(Unit.RETURN_DATA, file.id())) {
                continue;
            }
            String department = file.departmentCode();
            LocalDate until = extendedUntil.get(department);
            boolean passed = on.isAfter(until == null ? agreement.retention().linkedData() : until);
            Optional<String> clause = until != null && passed
                    ? Optional.of("cl. 4.8, 4.11: retention of linkedData of " + department + " extended to " + until
                            + " for the longitudinal study, ended")
                    : clause(DataKind.LINKED_DATA, "cl. 4.8", passed, department, terminated, on);
            clause.ifPresent(c -> items.add(new DueItem(Unit.RETURN_DATA, file.id(), department, c)));
        }
        return new Due(on, kinds, terminated, kinds.contains(DataKind.AUDIT_TRAIL.key()), List.copyOf(items),
                extensions);
    }

    /** Whether a destruction run has already taken this dataset on (it finishes it, or the next run does). */
    private boolean planned(Unit unit, String subjectId) {
        Long n = jdbc.queryForObject("select count(*) from destruction_item where unit_type = ? and subject_id = ?",
                Long.class, unit.name(), subjectId);
        return n != null && n > 0;
    }

    /**
     * Parties whose data is due because the agreement is terminated for them: those the policy names,
     * or everyone once the sponsor or the processor is terminated (they hold the data for all).
     */
    Set<String> terminated(LocalDate on) {
        Agreement agreement = policy.agreement();
        Set<String> named = policy.terminatedParties(on);
        boolean holderGone = named.stream().map(agreement::party).flatMap(Optional::stream)
                .anyMatch(p -> p.kind() == Agreement.Kind.SPONSOR || p.kind() == Agreement.Kind.PROCESSOR);
        Set<String> all = new TreeSet<>(named);
        if (holderGone) {
            agreement.parties().forEach(p -> all.add(p.code()));
        }
        return all;
    }

    private Optional<String> clause(DataKind kind, String retentionClause, boolean retentionPassed, String party,
                                    Set<String> terminated, LocalDate on) {
        if (retentionPassed) {
            return Optional.of(retentionClause(kind, retentionClause));
        }
        if (terminated.contains(party)) {
            return Optional.of("cl. 12.9, 15: agreement " + policy.agreement().reference() + " terminated for " + party
                    + terminationDate(party).map(d -> " with effect from " + d).orElse(""));
        }
        return Optional.empty();
    }

    private Optional<LocalDate> terminationDate(String party) {
        Agreement agreement = policy.agreement();
        return agreement.terminationOf(party).map(Agreement.Termination::date)
                .or(() -> agreement.agreementTermination().map(Agreement.Termination::date))
                .or(() -> agreement.terminations().stream().map(Agreement.Termination::date).min(LocalDate::compareTo));
    }

    private String retentionClause(DataKind kind, String clause) {
        return clause + ": retention of " + kind.key() + " under agreement " + policy.agreement().reference()
                + " ended " + policy.agreement().retention().until(kind);
    }
}
