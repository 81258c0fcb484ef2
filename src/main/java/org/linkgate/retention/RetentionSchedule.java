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

    /** The preview: the day, which kinds' dates have passed, who is terminated, and what is due. */
    public record Due(LocalDate asOf, List<String> kindsPastRetention, Set<String> terminatedParties,
                      boolean auditTrailPastRetention, List<DueItem> items) {
    }

    public Due due(LocalDate on) {
        Objects.requireNonNull(on, "on");
        Agreement agreement = policy.agreement();
        List<String> kinds = policy.destructionDue(on);
        Set<String> terminated = terminated(on);
        boolean councilDataPassed = on.isAfter(agreement.retention().councilData());
        boolean linkedDataPassed = on.isAfter(agreement.retention().linkedData());
        List<DueItem> items = new ArrayList<>();

        for (IntakeFiles.Held batch : held.batches().archivedWithCouncilData()) {
            if (!planned(Unit.COUNCIL_DATA, batch.id())) {
                clause(DataKind.COUNCIL_DATA, "cl. 12.8, 12.9", councilDataPassed, batch.councilCode(), terminated, on)
                        .ifPresent(c -> items.add(new DueItem(Unit.COUNCIL_DATA, batch.id(), batch.councilCode(), c)));
            }
        }
        if (linkedDataPassed) {
            for (IntakeFiles.Held batch : held.batches().archivedWithLinkedData()) {
                if (!planned(Unit.LINKED_DATA, batch.id())) {
                    items.add(new DueItem(Unit.LINKED_DATA, batch.id(), batch.councilCode(),
                            retentionClause(DataKind.LINKED_DATA, "cl. 4.8")));
                }
            }
        }
        for (ReturnFiles.Held file : held.returns().archivedNotDestroyed()) {
            if (!planned(Unit.RETURN_DATA, file.id())) {
                clause(DataKind.LINKED_DATA, "cl. 4.8", linkedDataPassed, file.departmentCode(), terminated, on)
                        .ifPresent(c -> items.add(new DueItem(Unit.RETURN_DATA, file.id(), file.departmentCode(), c)));
            }
        }
        return new Due(on, kinds, terminated, kinds.contains(DataKind.AUDIT_TRAIL.key()), List.copyOf(items));
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
