package org.linkgate.agreement;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The data sharing agreement as configuration ({@code <home>/config/agreement.yaml}, read by
 * {@link AgreementLoader}): who the parties are, the term, any termination, which council's data
 * may go to which departments, the purpose, how long each kind of data is kept, the disclosure
 * threshold and the contact points. Immutable; consistency is checked by the loader, decisions
 * are made by {@link AgreementPolicy}.
 *
 * <p>All dates are calendar dates in the agreement's own zone ({@link AgreementPolicy#AGREEMENT_ZONE})
 * and every range is inclusive: the term covers its start and its end day.
 */
public record Agreement(
        String reference,
        String purpose,
        List<Party> parties,
        Term term,
        List<Termination> terminations,
        List<Flow> flows,
        Retention retention,
        Disclosure disclosure,
        List<Contact> contacts,
        List<String> purposes,
        Ico ico,
        String icoWaiver,
        Release release) {

    public Agreement {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(purpose, "purpose");
        purposes = purposes == null || purposes.isEmpty() ? List.of(purpose) : List.copyOf(purposes);
        icoWaiver = icoWaiver == null || icoWaiver.isBlank() ? null : icoWaiver.strip();
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(disclosure, "disclosure");
        parties = List.copyOf(parties);
        terminations = List.copyOf(terminations);
        flows = List.copyOf(flows);
        contacts = List.copyOf(contacts);
        release = release == null ? Release.DEFAULT : release;
    }

    /**
     * The purposes a release of linked data to the sponsor may be made for (cl. 6.1): the
     * agreement's {@code purpose}, its {@code purposes} and any listed under {@code release.purposes}.
     */
    public List<String> releasePurposes() {
        List<String> all = new java.util.ArrayList<>();
        all.add(purpose);
        purposes.stream().filter(p -> !all.contains(p)).forEach(all::add);
        release.purposes().stream().filter(p -> !all.contains(p)).forEach(all::add);
        return List.copyOf(all);
    }

    /**
     * An agreement whose only purpose is {@code purpose}, with neither an ICO contact nor a waiver, and releases
     * under the default k (built in code,
     * e.g. by tests; {@link AgreementLoader} requires one of the two).
     */
    public Agreement(String reference, String purpose, List<Party> parties, Term term, List<Termination> terminations,
            List<Flow> flows, Retention retention, Disclosure disclosure, List<Contact> contacts) {
        this(reference, purpose, parties, term, terminations, flows, retention, disclosure, contacts, List.of(purpose),
                null, null, Release.DEFAULT);
    }

    /**
     * The purpose of this agreement that {@code named} names (cl. 6.1: research and statistics for the agreed
     * purposes only), compared without case and surrounding spaces; empty when it names none.
     */
    public Optional<String> purposeNamed(String named) {
        if (named == null || named.isBlank()) {
            return Optional.empty();
        }
        String wanted = named.strip();
        return purposes.stream().filter(p -> p.equalsIgnoreCase(wanted)).findFirst();
    }

    /** This agreement with one more termination (recorded while the gateway runs, cl. 13.2). */
    public Agreement withTermination(Termination termination) {
        List<Termination> all = new java.util.ArrayList<>(terminations);
        all.add(Objects.requireNonNull(termination, "termination"));
        return new Agreement(reference, purpose, parties, term, all, flows, retention, disclosure, contacts, purposes, ico,
                icoWaiver, release);
    }

    /** The party with this code (case-insensitive), if declared. */
    public Optional<Party> party(String code) {
        if (code == null) {
            return Optional.empty();
        }
        String wanted = code.toUpperCase(Locale.ROOT);
        return parties.stream().filter(p -> p.code().equals(wanted)).findFirst();
    }

    /** Codes of the parties of one kind. */
    public Set<String> codesOf(Kind kind) {
        return parties.stream().filter(p -> p.kind() == kind).map(Party::code).collect(Collectors.toUnmodifiableSet());
    }

    /** The departments this council's data may go to (empty when the agreement lists no flow for it). */
    public List<String> departmentsFor(String councilCode) {
        if (councilCode == null) {
            return List.of();
        }
        String wanted = councilCode.toUpperCase(Locale.ROOT);
        return flows.stream().filter(f -> f.from().equals(wanted)).findFirst().map(Flow::to).orElse(List.of());
    }

    /** Whether the agreement lists a flow of this council's data to this department (ignores dates). */
    public boolean listsFlow(String councilCode, String departmentCode) {
        return departmentCode != null && departmentsFor(councilCode).contains(departmentCode.toUpperCase(Locale.ROOT));
    }

    /**
     * The termination of the whole agreement, if one is recorded: the earliest, when there are several (one from
     * {@code agreement.yaml}, one recorded while running) — a later-dated one never postpones one in force.
     */
    public Optional<Termination> agreementTermination() {
        return terminations.stream().filter(Termination::wholeAgreement).min(BY_DATE);
    }

    /** The termination of the agreement for one party, if one is recorded: the earliest, when there are several. */
    public Optional<Termination> terminationOf(String partyCode) {
        if (partyCode == null) {
            return Optional.empty();
        }
        String wanted = partyCode.toUpperCase(Locale.ROOT);
        return terminations.stream().filter(t -> wanted.equals(t.party())).min(BY_DATE);
    }

    /**
     * This agreement with {@code termination} added unless one of the same scope (same party, or the whole agreement)
     * takes effect on the same day or earlier; {@code this} when nothing changes. So a termination recorded while the
     * gateway runs, or one in force before a reload, is never hidden by a later-dated one in {@code agreement.yaml}.
     */
    public Agreement withTerminationUnlessEarlier(Termination termination) {
        Objects.requireNonNull(termination, "termination");
        Optional<Termination> existing = termination.wholeAgreement() ? agreementTermination()
                : terminationOf(termination.party());
        if (existing.isPresent() && !existing.get().date().isAfter(termination.date())) {
            return this;
        }
        return withTermination(termination);
    }

    private static final java.util.Comparator<Termination> BY_DATE = java.util.Comparator.comparing(Termination::date);

    /** The contact points of one party. */
    public List<Contact> contactsOf(String partyCode) {
        return contacts.stream().filter(c -> c.party().equalsIgnoreCase(partyCode)).toList();
    }

    /** What a party is to the agreement (cl. 2.1, "Data Controller", "Data Processor"). */
    public enum Role {
        DATA_CONTROLLER,
        PROCESSOR,
        DATA_PROVIDER
    }

    /** Which part a party plays in the data flow; decides which checks and flows apply to it. */
    public enum Kind {
        /** A local authority sending batches (cl. 4.5, 6.2); its code is a GSS code. */
        COUNCIL,
        /** The department commissioning the research and controlling the linked data (cl. 2.1). */
        SPONSOR,
        /** The party running the gateway on the sponsor's behalf (cl. 2.1). */
        PROCESSOR,
        /** A department matching people to its administrative data (cl. 4.6, 6.2c). */
        DEPARTMENT
    }

    /** One party: its code (GSS code for a council, short capitals otherwise), role and kind. */
    public record Party(String code, Role role, Kind kind) {
        public Party {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** The term of the agreement (cl. 3.1), both days inclusive. */
    public record Term(LocalDate start, LocalDate end) {
        public Term {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("term start must be before term end");
            }
        }

        public boolean covers(LocalDate day) {
            return !day.isBefore(start) && !day.isAfter(end);
        }
    }

    /**
     * A termination (cl. 15): of the whole agreement when {@code party} is {@code null}, otherwise
     * of the agreement for that party. It takes effect on {@code date}: from that day on nothing
     * of the party's flows, and it is the earliest day its data may be destroyed (cl. 12.9).
     */
    public record Termination(String party, LocalDate date, String reason) {
        public Termination {
            Objects.requireNonNull(date, "date");
            reason = reason == null ? "" : reason;
        }

        public boolean wholeAgreement() {
            return party == null;
        }

        /** Whether the termination has taken effect on this day. */
        public boolean effectiveOn(LocalDate day) {
            return !day.isBefore(date);
        }
    }

    /** The departments one council's data may be sent to (cl. 4.6, 6.2c; nothing else, cl. 6.1, 8.1). */
    public record Flow(String from, List<String> to) {
        public Flow {
            Objects.requireNonNull(from, "from");
            to = List.copyOf(to);
        }
    }

    /** The kinds of data with a retention date, named as in the agreement file. */
    public enum DataKind {
        /** Raw and identifying data received from councils (cl. 12.8, 12.9). */
        COUNCIL_DATA("councilData"),
        /** The pseudonymised linked dataset (cl. 4.8). */
        LINKED_DATA("linkedData"),
        /** The record of movements, access and destruction (cl. 7.2, 12.5, 12.7). */
        AUDIT_TRAIL("auditTrail");

        private final String key;

        DataKind(String key) {
            this.key = key;
        }

        /** The key under {@code retention} in the agreement file, also the name reported as due. */
        public String key() {
            return key;
        }
    }

    /** Retain-until dates per kind of data (inclusive: the data may be held on that day, not after). */
    public record Retention(LocalDate councilData, LocalDate linkedData, LocalDate auditTrail) {
        public Retention {
            Objects.requireNonNull(councilData, "councilData");
            Objects.requireNonNull(linkedData, "linkedData");
            Objects.requireNonNull(auditTrail, "auditTrail");
        }

        public LocalDate until(DataKind kind) {
            return switch (kind) {
                case COUNCIL_DATA -> councilData;
                case LINKED_DATA -> linkedData;
                case AUDIT_TRAIL -> auditTrail;
            };
        }
    }

    /**
     * Disclosure control of outputs (cl. 11.1a): a cell based on {@code threshold} cases or fewer
     * is disclosive; a zero cell is disclosive only when {@code zerosDisclosive}; {@code method}
     * says how the cells that may be shown are shown (default: suppression).
     */
    public record Disclosure(int threshold, boolean zerosDisclosive, DisclosureMethod method) {
        public Disclosure {
            if (threshold < 1) {
                throw new IllegalArgumentException("disclosure threshold must be at least 1");
            }
            java.util.Objects.requireNonNull(method, "method");
        }

        /** Suppression only, the default. */
        public Disclosure(int threshold, boolean zerosDisclosive) {
            this(threshold, zerosDisclosive, DisclosureMethod.SUPPRESSION);
        }

        public boolean isDisclosive(long cases) {
            return cases == 0 ? zerosDisclosive : cases <= threshold;
        }
    }

    /**
     * How a pack's outcome cells are shown (the agreement's {@code disclosure.method}). Either
     * way sensitive cells are withheld and the whole release is audited against the council's
     * knowledge (docs/disclosure.md).
     */
    public enum DisclosureMethod {
        /** Exact figures; complements withheld (secondary suppression) where needed. The default. */
        SUPPRESSION("suppression"),
        /**
         * ONS's cell key method: every shown with-outcome count perturbed by the p-table under a
         * key derived from the master key; complements withheld only where the perturbed figures
         * still narrow a withheld cell.
         */
        CELL_KEY("cell-key");

        private final String key;

        DisclosureMethod(String key) {
            this.key = key;
        }

        /** As written in the agreement. */
        public String key() {
            return key;
        }

        /** The method an agreement names, if it is one. */
        public static java.util.Optional<DisclosureMethod> byKey(String key) {
            return java.util.Arrays.stream(values()).filter(m -> m.key.equals(key)).findFirst();
        }
    }

    /** Why a contact is listed. */
    public enum ContactRole {
        /** Day-to-day point of contact (cl. 14.1). */
        AUTHORISED_REPRESENTATIVE,
        /** Where disputes are escalated (cl. 14.2 on disputes). */
        ESCALATION,
        /** Who is told of a loss or unauthorised release within 24 hours (cl. 13.1). */
        INCIDENT,
        DATA_PROTECTION_OFFICER
    }

    /**
     * The Information Commissioner's Office, told of a personal-data breach (cl. 13.1; UK GDPR art. 33). Not a party:
     * the regulator. {@link #toString()} leaves out name and e-mail.
     */
    public record Ico(String name, String email) {
        public Ico {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
        }

        @Override
        public String toString() {
            return "Ico[contact configured]";
        }
    }

    /** A contact point of a party. {@link #toString()} leaves out name and e-mail, so logs never carry them. */
    public record Contact(String party, ContactRole role, String name, String email) {
        public Contact {
            Objects.requireNonNull(party, "party");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(email, "email");
        }

        @Override
        public String toString() {
            return "Contact[party=" + party + ", role=" + role + "]";
        }
    }

    /**
     * Releases of record-level pseudonymised linked data to the sponsor (cl. 2.1, 4.8): every
     * combination of quasi-identifiers released must be shared by at least {@code k} people
     * (k-anonymity), and a release is made only for one of the agreement's purposes.
     */
    public record Release(int k, List<String> purposes) {
        /** k when the agreement does not say: the disclosure threshold of cl. 11.1a (cells of 5 or fewer). */
        public static final int DEFAULT_K = 5;
        public static final Release DEFAULT = new Release(DEFAULT_K, List.of());

        public Release {
            if (k < 2) {
                throw new IllegalArgumentException("release k must be at least 2");
            }
            purposes = List.copyOf(purposes);
        }
    }
}
