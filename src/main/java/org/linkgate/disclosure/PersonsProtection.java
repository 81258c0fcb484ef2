package org.linkgate.disclosure;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secondary suppression of an analyst's table's persons cells. Unlike a council, an analyst does
 * not know how many people are in each group, so a persons cell of the threshold or fewer shown
 * {@code [c]} must not be recoverable from the table's margins and the earlier analysts' tables.
 *
 * <p>The analyst's model: per person-level group {@code g} of the table's measure, its size
 * {@code n_g >= 0} and outcome count {@code 0 <= y_g <= n_g}, both unknown; every published
 * persons cell is a sum of {@code n_g}, every published with-outcome cell (this table's and
 * every earlier release's) a sum of {@code y_g}, every earlier analyst's table's persons cell a
 * sum of {@code n_g}; with zeros published, a withheld persons cell is at least 1. Each small
 * persons cell must have a table the analyst cannot rule out where it is at most the rules'
 * floor and one where it is above the threshold; complements are chosen among the table's
 * published persons cells, one small integer programme per requirement as in
 * {@link ReleaseProtection}, and the pattern is audited on the witnesses in plain arithmetic.
 */
final class PersonsProtection {

    /** A persons figure of an earlier analyst's table, cell as in {@link ReleaseProtection.KnownCell}. */
    record KnownPersons(String council, String period, Measure measure, String cohort, Map<Breakdown, String> categories,
                        long persons) {
    }

    private final DisclosureRules rules;
    private final List<TableBuilder.Group> groups;
    private final List<Cell> cells = new ArrayList<>();
    private final List<BitSet> knownPersons = new ArrayList<>();
    private final List<Long> knownPersonsValues = new ArrayList<>();
    private final List<BitSet> knownOutcomes = new ArrayList<>();
    private final List<Long> knownOutcomesValues = new ArrayList<>();
    /** Per known outcome: the true counts it allows (its figure; a perturbed figure's p-table preimage). */
    private final List<long[]> knownOutcomesAllowed = new ArrayList<>();
    /** Pairs (sizes, outcomes) the analyst cannot tell from the truth; the truth first. */
    private final List<long[][]> witnesses = new ArrayList<>();
    private final long total;

    /** One persons cell of the table with its with-outcome cell. */
    private static final class Cell {
        final CellKey personsKey;
        final BitSet members;
        final long persons;
        final long withOutcome;
        Suppression suppression;
        final boolean outcomePublished;

        Cell(CellKey personsKey, BitSet members, long persons, long withOutcome, Suppression suppression,
             boolean outcomePublished) {
            this.personsKey = personsKey;
            this.members = members;
            this.persons = persons;
            this.withOutcome = withOutcome;
            this.suppression = suppression;
            this.outcomePublished = outcomePublished;
        }
    }

    private PersonsProtection(DisclosureRules rules, List<TableBuilder.Group> groups) {
        this.rules = rules;
        this.groups = groups;
        this.total = groups.stream().mapToLong(TableBuilder.Group::persons).sum();
    }

    /**
     * The table with its persons cells protected against an analyst, or withheld with the reason
     * when no pattern of persons cells protects them.
     */
    static OutcomeTable protect(TableBuilder.ReleaseData data, TableSpec spec, OutcomeTable table, DisclosureRules rules,
                                List<KnownPersons> earlierPersons, List<ReleaseProtection.KnownCell> earlierOutcomes) {
        if (table.refused()) {
            return table;
        }
        PersonsProtection p = new PersonsProtection(rules, data.groups().getOrDefault(spec.measure(), List.of()));
        return p.run(data.counts().get(spec), spec, table, earlierPersons, earlierOutcomes);
    }

    private OutcomeTable run(FrequencyTable source, TableSpec spec, OutcomeTable table, List<KnownPersons> earlierPersons,
                             List<ReleaseProtection.KnownCell> earlierOutcomes) {
        SafeTable safe = table.safeTable();
        Map<CellKey, Suppression> pattern = new LinkedHashMap<>(safe.suppressions());
        int outcome = source.dimensionCount() - 1;
        int yes = source.dimensions().get(outcome).categories().indexOf(TableSpec.WITH_OUTCOME);
        for (CellKey key : source.cells()) {
            if (key.coordinate(outcome) != CellKey.TOTAL || pattern.get(key) == Suppression.NOT_APPLICABLE) {
                continue;
            }
            CellKey yesKey = key.with(outcome, yes);
            List<String> labels = source.labels(yesKey);
            Map<Breakdown, String> categories = ReleaseProtection.categories(spec, labels);
            categories.putAll(spec.scope().filter());
            BitSet members = members(spec.scope().council(), spec.scope().period(), labels.get(0), categories);
            cells.add(new Cell(key, members, source.count(key), source.count(yesKey), pattern.get(key),
                    !pattern.containsKey(yesKey)));
        }
        for (KnownPersons k : earlierPersons) {
            if (k.measure() == spec.measure()) {
                BitSet m = members(k.council(), k.period(), k.cohort(), k.categories());
                if (!m.isEmpty() && size(m) == k.persons()) { // figures the data since contradict are dropped
                    knownPersons.add(m);
                    knownPersonsValues.add(k.persons());
                }
            }
        }
        for (ReleaseProtection.KnownCell k : earlierOutcomes) {
            if (k.measure() == spec.measure()) {
                BitSet m = members(k.council(), k.period(), k.cohort(), k.categories());
                long truth = m.stream().mapToLong(i -> groups.get(i).withOutcome()).sum();
                if (!m.isEmpty() && (k.perturbed() ? CellKeyPerturbation.mayPublishAs(truth, k.withOutcome())
                        : truth == k.withOutcome())) {
                    knownOutcomes.add(m);
                    knownOutcomesValues.add(k.withOutcome());
                    // a perturbed figure (cell key method) allows every count the public p-table could publish as it
                    knownOutcomesAllowed.add(k.perturbed() ? CellKeyPerturbation.preimage(k.withOutcome(), Long.MAX_VALUE / 4)
                            : new long[] {k.withOutcome()});
                }
            }
        }
        witnesses.add(new long[][] {groups.stream().mapToLong(TableBuilder.Group::persons).toArray(),
                groups.stream().mapToLong(TableBuilder.Group::withOutcome).toArray()});
        List<Cell> small = cells.stream().filter(c -> c.persons > 0 && c.suppression == Suppression.PRIMARY
                && rules.isSensitive(c.persons)).toList();
        for (Cell c : small) {
            for (boolean atLeast : new boolean[] {false, true}) {
                long bound = atLeast ? rules.requiredUpperBound() : rules.floor();
                if (witnessed(c.members, atLeast, bound) == null && !complement(c.members, atLeast, bound)) {
                    return OutcomeTable.withheld(spec, "no suppression pattern keeps its small persons cells from being"
                            + " worked out from its margins; ask for fewer or coarser breakdowns");
                }
            }
        }
        String failed = audit(small);
        if (failed != null) {
            return OutcomeTable.withheld(spec, failed);
        }
        List<CellProtection> findings = new ArrayList<>();
        for (CellProtection f : safe.audit().findings()) {
            Cell c = cells.stream().filter(x -> x.personsKey.equals(f.cell())).findFirst().orElse(null);
            findings.add(c == null ? f : new CellProtection(f.cell(), f.suppression(), interval(c), true));
        }
        for (Cell c : cells) {
            if (c.suppression == Suppression.SECONDARY && !pattern.containsKey(c.personsKey)) {
                pattern.put(c.personsKey, Suppression.SECONDARY);
                findings.add(new CellProtection(c.personsKey, Suppression.SECONDARY, interval(c), true));
            }
        }
        return ReleaseProtection.refuseIfMostlySuppressed(OutcomeTable.released(spec,
                SafeTable.of(source, rules, java.util.Collections.unmodifiableMap(pattern), new AuditReport(rules, findings))));
    }

    private BitSet members(String council, String period, String cohort, Map<Breakdown, String> categories) {
        BitSet members = new BitSet();
        for (int i = 0; i < groups.size(); i++) {
            TableBuilder.Group g = groups.get(i);
            boolean in = (Dimension.TOTAL.equals(cohort) || g.cohort().equals(cohort))
                    && (council == null || council.equals(g.council())) && (period == null || period.equals(g.period()));
            for (Map.Entry<Breakdown, String> e : categories.entrySet()) {
                in &= e.getValue().equals(g.categories().get(e.getKey()));
            }
            if (in) {
                members.set(i);
            }
        }
        return members;
    }

    private long size(BitSet members) {
        return members.stream().mapToLong(i -> groups.get(i).persons()).sum();
    }

    private static long sum(long[] values, BitSet members) {
        return members.stream().mapToLong(i -> values[i]).sum();
    }

    private long[][] witnessed(BitSet members, boolean atLeast, long bound) {
        for (long[][] w : witnesses) {
            long v = sum(w[0], members);
            if (atLeast ? v >= bound : v <= bound) {
                return w;
            }
        }
        return null;
    }

    /** Suppresses the cheapest published persons cells that let the cell reach the bound; false if none can. */
    private boolean complement(BitSet target, boolean atLeast, long bound) {
        CpModel model = CpSat.model();
        IntVar[] n = new IntVar[groups.size()];
        IntVar[] y = new IntVar[groups.size()];
        for (int i = 0; i < n.length; i++) {
            n[i] = model.newIntVar(0, total, "n" + i);
            y[i] = model.newIntVar(0, total, "y" + i);
            model.addLessOrEqual(y[i], n[i]);
        }
        List<LinearArgument> objective = new ArrayList<>();
        List<Long> weights = new ArrayList<>();
        Map<BoolVar, Cell> choices = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.members.isEmpty()) {
                continue; // nobody there, in every table the analyst could imagine too
            }
            LinearExpr persons = sum(n, c.members);
            if (c.outcomePublished) {
                model.addEquality(sum(y, c.members), c.withOutcome);
            }
            if (c.suppression != null) {
                if (!rules.zerosDisclosive()) {
                    model.addGreaterOrEqual(persons, 1);
                }
                continue;
            }
            if (c.persons == 0 && !rules.zerosDisclosive()) {
                model.addEquality(persons, 0);
                continue;
            }
            BoolVar s = model.newBoolVar("s");
            model.addEquality(persons, c.persons).onlyEnforceIf(s.not());
            if (!rules.zerosDisclosive()) {
                model.addGreaterOrEqual(persons, 1).onlyEnforceIf(s);
            }
            choices.put(s, c);
            objective.add(s);
            weights.add(Math.min(c.persons, 1_000_000) + 10);
        }
        for (int k = 0; k < knownPersons.size(); k++) {
            model.addEquality(sum(n, knownPersons.get(k)), knownPersonsValues.get(k));
        }
        for (int k = 0; k < knownOutcomes.size(); k++) {
            model.addLinearExpressionInDomain(sum(y, knownOutcomes.get(k)),
                    com.google.ortools.util.Domain.fromValues(knownOutcomesAllowed.get(k)));
        }
        if (atLeast) {
            model.addGreaterOrEqual(sum(n, target), bound);
        } else {
            model.addLessOrEqual(sum(n, target), bound);
        }
        if (!objective.isEmpty()) {
            model.minimize(LinearExpr.weightedSum(objective.toArray(new LinearArgument[0]),
                    weights.stream().mapToLong(Long::longValue).toArray()));
        }
        CpSat.Solved solved = CpSat.solve(model);
        if (!solved.feasible()) {
            return false;
        }
        choices.forEach((s, c) -> {
            if (solved.solver().booleanValue(s)) {
                c.suppression = Suppression.SECONDARY;
            }
        });
        long[][] w = new long[2][groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            w[0][i] = solved.solver().value(n[i]);
            w[1][i] = solved.solver().value(y[i]);
        }
        witnesses.add(w);
        return true;
    }

    private static LinearExpr sum(IntVar[] v, BitSet members) {
        return LinearExpr.sum(members.stream().mapToObj(i -> v[i]).toArray(LinearArgument[]::new));
    }

    /** Every witness checked against everything the analyst is given, then every small cell's range over them. */
    private String audit(List<Cell> small) {
        for (long[][] w : witnesses) {
            for (int i = 0; i < groups.size(); i++) {
                if (w[1][i] < 0 || w[1][i] > w[0][i]) {
                    return "the persons audit found an impossible witness";
                }
            }
            for (Cell c : cells) {
                long v = sum(w[0], c.members);
                boolean ok = c.suppression == null ? v == c.persons : rules.zerosDisclosive() || v >= 1;
                ok &= !c.outcomePublished || sum(w[1], c.members) == c.withOutcome;
                if (!ok) {
                    return "the persons audit found an inconsistent witness";
                }
            }
            for (int k = 0; k < knownPersons.size(); k++) {
                if (sum(w[0], knownPersons.get(k)) != knownPersonsValues.get(k)) {
                    return "the persons audit found an inconsistent witness";
                }
            }
            for (int k = 0; k < knownOutcomes.size(); k++) {
                long v = sum(w[1], knownOutcomes.get(k));
                if (java.util.Arrays.stream(knownOutcomesAllowed.get(k)).noneMatch(a -> a == v)) {
                    return "the persons audit found an inconsistent witness";
                }
            }
        }
        for (Cell c : small) {
            FeasibleInterval range = interval(c);
            if (range.lower() > rules.floor() || range.upper() < rules.requiredUpperBound()) {
                return "the persons audit found a small persons cell the analyst could narrow";
            }
        }
        return null;
    }

    /** The range of a cell's persons over the witnesses: within its feasible interval. */
    private FeasibleInterval interval(Cell c) {
        long lower = Long.MAX_VALUE;
        long upper = Long.MIN_VALUE;
        for (long[][] w : witnesses) {
            long v = sum(w[0], c.members);
            lower = Math.min(lower, v);
            upper = Math.max(upper, v);
        }
        return new FeasibleInterval(lower, upper);
    }
}
