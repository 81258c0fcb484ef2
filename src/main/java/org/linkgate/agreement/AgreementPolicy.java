package org.linkgate.agreement;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.linkgate.agreement.Agreement.DataKind;
import org.linkgate.agreement.Agreement.Kind;
import org.linkgate.agreement.Agreement.Party;
import org.linkgate.agreement.Agreement.Termination;

/**
 * What the agreement allows on a given day: intake from a council, a flow of a council's data to
 * a department, which kinds of data are due for destruction and which parties are terminated.
 * Functions of the {@link Agreement} in force and the date; callers report and record refusals. The agreement in
 * force changes only through {@link #replace} (termination at run time, reload).
 *
 * <p>A flow involves the council, the department, the sponsor(s) and the processor; a termination
 * of any of them stops it. Intake involves all of those but the department.
 */
public final class AgreementPolicy {

    /** The agreement is made under the law of England and Wales: its dates are UK calendar dates. */
    public static final ZoneId AGREEMENT_ZONE = ZoneId.of("Europe/London");

    private volatile Agreement agreement;

    public AgreementPolicy(Agreement agreement) {
        this.agreement = Objects.requireNonNull(agreement, "agreement");
    }

    public Agreement agreement() {
        return agreement;
    }

    /**
     * Puts another agreement in force at once, for every decision taken from now on: a termination recorded while
     * the gateway runs (cl. 13.2), or a reloaded {@code agreement.yaml}. The caller has validated it.
     */
    public void replace(Agreement replacement) {
        this.agreement = Objects.requireNonNull(replacement, "replacement");
    }

    /** Today in the agreement's zone, the day to pass to the decisions. */
    public static LocalDate today(Clock clock) {
        return LocalDate.now(clock.withZone(AGREEMENT_ZONE));
    }

    /** May this council's batches be taken in on this day? */
    public Decision intake(String councilCode, LocalDate on) {
        Objects.requireNonNull(on, "on");
        String council = normalise(councilCode);
        String what = "intake from " + council;
        if (!isParty(council, Kind.COUNCIL)) {
            return Decision.refused(Reason.UNKNOWN_PARTY, what, "it is not a council party to the agreement");
        }
        return temporal(what, on, List.of(council)).orElseGet(() -> Decision.allowed(what, agreement.reference()));
    }

    /**
     * May this department's returns be taken in on this day? Outside the term, or once the
     * department (or the whole agreement) is terminated, a return is refused unopened (cl. 3, 15).
     */
    public Decision returns(String departmentCode, LocalDate on) {
        Objects.requireNonNull(on, "on");
        String department = normalise(departmentCode);
        String what = "returns from " + department;
        if (!isParty(department, Kind.DEPARTMENT)) {
            return Decision.refused(Reason.UNKNOWN_PARTY, what, "it is not a department party to the agreement");
        }
        return temporal(what, on, List.of(department)).orElseGet(() -> Decision.allowed(what, agreement.reference()));
    }

    /** May this council's data be sent to this department on this day? */
    public Decision flow(String councilCode, String departmentCode, LocalDate on) {
        Objects.requireNonNull(on, "on");
        String council = normalise(councilCode);
        String department = normalise(departmentCode);
        String what = "fan-out of " + council + " data to " + department;
        if (!isParty(council, Kind.COUNCIL)) {
            return Decision.refused(Reason.UNKNOWN_PARTY, what, council + " is not a council party to the agreement");
        }
        if (!isParty(department, Kind.DEPARTMENT)) {
            return Decision.refused(Reason.UNKNOWN_PARTY, what, department + " is not a department party to the agreement");
        }
        Optional<Decision> refusal = temporal(what, on, List.of(council, department));
        if (refusal.isPresent()) {
            return refusal.get();
        }
        if (!agreement.listsFlow(council, department)) {
            return Decision.refused(Reason.FLOW_NOT_PERMITTED, what, "the agreement lists no such flow");
        }
        return Decision.allowed(what, agreement.reference());
    }

    /**
     * The kinds of data (keys of {@code retention}: {@code councilData}, {@code linkedData},
     * {@code auditTrail}) whose retain-until date is before this day. Council data is also due
     * once the whole agreement is terminated (cl. 12.9: "or upon termination ... if earlier").
     * Data of a single terminated party: see {@link #terminatedParties}.
     */
    public List<String> destructionDue(LocalDate on) {
        Objects.requireNonNull(on, "on");
        boolean wholeTerminated = wholeTermination(on).isPresent();
        List<String> due = new ArrayList<>();
        for (DataKind kind : DataKind.values()) {
            boolean passed = on.isAfter(agreement.retention().until(kind));
            if (passed || (kind == DataKind.COUNCIL_DATA && wholeTerminated)) {
                due.add(kind.key());
            }
        }
        return List.copyOf(due);
    }

    /**
     * Parties for which the agreement is terminated on this day (every party once the whole
     * agreement is): their flows stop and their data is to be scheduled for destruction (cl. 12.9).
     * Expiry at the end of the term is not termination; retention dates govern it.
     */
    public Set<String> terminatedParties(LocalDate on) {
        Objects.requireNonNull(on, "on");
        Set<String> terminated = new TreeSet<>();
        if (wholeTermination(on).isPresent()) {
            agreement.parties().forEach(p -> terminated.add(p.code()));
        } else {
            agreement.terminations().stream()
                    .filter(t -> !t.wholeAgreement() && t.effectiveOn(on))
                    .forEach(t -> terminated.add(t.party()));
        }
        return Collections.unmodifiableSet(terminated);
    }

    /** Whether the whole agreement is terminated on this day. */
    public boolean terminated(LocalDate on) {
        return wholeTermination(on).isPresent();
    }

    /** Term, whole termination, then termination of any party involved: the parties named, then sponsors and processor. */
    private Optional<Decision> temporal(String what, LocalDate on, List<String> named) {
        if (on.isBefore(agreement.term().start())) {
            return Optional.of(Decision.refused(Reason.BEFORE_TERM, what,
                    "the agreement's term starts on " + agreement.term().start()));
        }
        if (on.isAfter(agreement.term().end())) {
            return Optional.of(Decision.refused(Reason.AFTER_TERM, what,
                    "the agreement's term ended on " + agreement.term().end()));
        }
        Optional<Termination> whole = wholeTermination(on);
        if (whole.isPresent()) {
            return Optional.of(Decision.refused(Reason.TERMINATED, what,
                    "the agreement is terminated with effect from " + whole.get().date()));
        }
        List<String> involved = new ArrayList<>(named);
        agreement.parties().stream()
                .filter(p -> p.kind() == Kind.SPONSOR || p.kind() == Kind.PROCESSOR)
                .map(Party::code)
                .forEach(involved::add);
        for (String party : involved) {
            Optional<Termination> termination = agreement.terminationOf(party).filter(t -> t.effectiveOn(on));
            if (termination.isPresent()) {
                return Optional.of(Decision.refused(Reason.PARTY_TERMINATED, what,
                        "the agreement is terminated for " + party + " with effect from " + termination.get().date()));
            }
        }
        return Optional.empty();
    }

    private Optional<Termination> wholeTermination(LocalDate on) {
        return agreement.agreementTermination().filter(t -> t.effectiveOn(on));
    }

    private boolean isParty(String code, Kind kind) {
        return agreement.party(code).filter(p -> p.kind() == kind).isPresent();
    }

    private static String normalise(String code) {
        return code == null ? "(none)" : code.strip().toUpperCase(Locale.ROOT);
    }

    /** Why a decision went the way it did; {@link #code()} is stable, for audit events and reports. */
    public enum Reason {
        ALLOWED("allowed", "cl. 6.1"),
        BEFORE_TERM("before_term", "cl. 3.1"),
        AFTER_TERM("after_term", "cl. 3.1"),
        TERMINATED("terminated", "cl. 15"),
        PARTY_TERMINATED("party_terminated", "cl. 15"),
        FLOW_NOT_PERMITTED("flow_not_permitted", "cl. 6.1, 8.1"),
        UNKNOWN_PARTY("unknown_party", "cl. 8.1");

        private final String code;
        private final String clause;

        Reason(String code, String clause) {
            this.code = code;
            this.clause = clause;
        }

        public String code() {
            return code;
        }

        /** The clause of the agreement the decision rests on. */
        public String clause() {
            return clause;
        }
    }

    /**
     * The outcome of one check. The message names partner codes, dates and the clause, never
     * any data, so it may be logged, audited and sent to the partner as it is.
     */
    public record Decision(Reason reason, String message) {
        public Decision {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }

        static Decision allowed(String what, String reference) {
            return new Decision(Reason.ALLOWED, what + " permitted under agreement " + reference);
        }

        static Decision refused(Reason reason, String what, String why) {
            return new Decision(reason, what + " refused: " + why + " (" + reason.clause() + ")");
        }

        public boolean allowed() {
            return reason == Reason.ALLOWED;
        }

        /** The stable reason code: {@code allowed} or one of the refusal codes. */
        public String code() {
            return reason.code();
        }
    }
}
