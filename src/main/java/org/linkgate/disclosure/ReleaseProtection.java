package org.linkgate.disclosure;

import com.google.ortools.sat.BoolVar;
import com.google.ortools.sat.CpModel;
import com.google.ortools.util.Domain;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearArgument;
import com.google.ortools.sat.LinearExpr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.linkgate.pseudonymisation.AgeBand;

/**
 * Protects every table of one release to a council as one integer model, against what that
 * council knows.
 *
 * <p><b>The recipient's knowledge</b> (tau-ARGUS's a-priori file): the council sent every person
 * and knows each one's cohort, sex, age and problems, so it knows how many of its people fall in
 * every group those attributes define and which of them each department was sent
 * ({@link MeasureBases}). Every "persons" cell is known to it; what a release tells it is how many
 * in each group have an outcome. So the model's unknowns are, per measure, the outcome count
 * {@code y_g} of each group {@code g} the council can tell apart ({@link TableBuilder.Group}),
 * an integer in {@code [0, n_g]} with {@code n_g} known. Every with-outcome cell of every table
 * is the sum of its groups' {@code y_g}; a cell appearing in several tables (a cohort total) is
 * one cell of the model, published everywhere or nowhere. Cells published in earlier releases
 * over the same people are further known equations. Measures tied by definition (an emergency
 * admission is a hospital admission) share one model with {@code y_emergency,g <= y_hospital,g}.
 *
 * <p><b>What must hold</b> ({@link DisclosureRules#groupRequirement}): for every sensitive cell
 * (few or none with the outcome, or few or none without), the integer interval of values it can
 * take given everything the council knows and is sent must still reach 0 and above the threshold
 * (few with), or the base and the threshold + 1 below it (few without); and no group the
 * council can tell apart may be left with everybody, or nobody, having the outcome unless a
 * value in between is also possible (zeros disclosive).
 *
 * <p><b>How secondary cells are chosen</b>: each requirement in turn is one small integer
 * programme, in the manner of Fischetti and Salazar's optimal suppression that tau-ARGUS's
 * Optimal and Modular methods build on: find another table {@code y'} the council cannot tell
 * from the true one (equal on every cell still published, free on the suppressed ones) that
 * reaches the required value, choosing which published cells to suppress so that one exists at
 * least cost (cost: the cell's count plus ten, times the tables it appears in). Suppressing more
 * only widens every interval, so a requirement once met stays met and one pass suffices. Then
 * the pattern is audited: every suppressed cell's exact interval by CP-SAT, minimum and maximum,
 * and every requirement re-checked; a measure that does not pass is withheld whole.
 *
 * <p><b>With the cell key method</b> ({@link CellKeyPerturbation}, the agreement's
 * {@code disclosure.method: cell-key}): sensitive cells are still withheld (no perturbed figure of
 * a small count over a known base is as wide as the rule), every other shown with-outcome count
 * is its p-table figure under its cell key, and a shown cell enters the model not as an equation
 * but as "the true count is one the p-table could publish as this figure, and not sensitive
 * (else it would be withheld)". Complements are then chosen, and audited, on that weaker
 * knowledge, so they are needed only where the perturbed figures still narrow a withheld cell.
 */
public final class ReleaseProtection {

    /** A table more than this share of whose with-outcome cells would be withheld is refused, not sent blank. */
    public static final double MOSTLY_SUPPRESSED = 0.8;

    private final DisclosureRules rules;
    /** The cell key method for shown with-outcome counts, or null (exact figures). */
    private final CellKeyPerturbation perturbation;

    public ReleaseProtection(DisclosureRules rules) {
        this(rules, null);
    }

    /** With {@code perturbation} (null: suppression alone) for the shown with-outcome counts. */
    public ReleaseProtection(DisclosureRules rules, CellKeyPerturbation perturbation) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.perturbation = perturbation;
    }

    /**
     * A with-outcome count published in an earlier release over the same people: the cell of
     * {@code measure} for {@code cohort} ({@link Dimension#TOTAL} for both) and breakdown
     * categories (an absent breakdown is its total), within {@code council} and {@code period}
     * (null: every one the model covers). An earlier table's filter is among its categories: a
     * filtered table's cell is a sum over fewer of the same groups. {@code perturbed}: the figure
     * was shown by the cell key method, so it says only that the true count is one the p-table
     * could publish as it (and not sensitive).
     */
    public record KnownCell(String council, String period, Measure measure, String cohort,
                            Map<Breakdown, String> categories, long withOutcome, boolean perturbed) {

        /** An exact figure. */
        public KnownCell(String council, String period, Measure measure, String cohort, Map<Breakdown, String> categories,
                         long withOutcome) {
            this(council, period, measure, cohort, categories, withOutcome, false);
        }

        /**
         * {@code withOutcome} of a cell the earlier release withheld: no equation, but a cell
         * this release must not narrow (its requirement is one of this model's).
         */
        public static final long WITHHELD = -1;

        /** A cell of the model's own council and period (a pack of the same period). */
        public KnownCell(Measure measure, String cohort, Map<Breakdown, String> categories, long withOutcome) {
            this(null, null, measure, cohort, categories, withOutcome);
        }
    }

    /** The protected tables, in the order of the specs, and what protection cost. */
    public record Result(List<OutcomeTable> tables, Summary summary) {
    }

    /**
     * Over the release's distinct with-outcome cells (a cell shared by tables counted once):
     * how many there are, how many were withheld as sensitive and as complements, and the share
     * of the non-sensitive cells' total count withheld as complements (information loss).
     */
    public record Summary(int cells, int primary, int secondary, int notApplicable, int groups,
                          double informationLoss, int solves, Perturbed perturbed) {
    }

    /**
     * What the cell key method changed (null under suppression alone): how many distinct shown
     * cells were perturbed (changed from their true count), over how many shown, the p-table's
     * largest perturbation, and the mean absolute perturbation over the shown cells.
     */
    public record Perturbed(int shown, int changed, int maxPerturbation, double meanAbsolutePerturbation) {
    }

    /** Protects the specs' tables of one scope, given the earlier published cells of that scope. */
    public Result protect(TableBuilder.ReleaseData data, List<TableSpec> specs, List<KnownCell> earlier) {
        Map<TableSpec, OutcomeTable> out = new LinkedHashMap<>();
        int cells = 0;
        int primary = 0;
        int secondary = 0;
        int notApplicable = 0;
        int groups = 0;
        long eligible = 0;
        long lost = 0;
        int solves = 0;
        int shown = 0;
        int changed = 0;
        long moved = 0;
        for (List<Measure> together : modelled(specs.stream().map(TableSpec::measure).distinct().toList())) {
            List<TableSpec> ofMeasure = specs.stream().filter(s -> together.contains(s.measure())).toList();
            MeasureModel model = new MeasureModel(together, data, ofMeasure,
                    earlier.stream().filter(k -> together.contains(k.measure())).toList());
            String refused = model.protect();
            for (TableSpec spec : ofMeasure) {
                out.put(spec, refused != null ? OutcomeTable.withheld(spec, refused) : model.table(spec));
            }
            cells += model.cells.size();
            groups += model.groups.size();
            solves += model.solves;
            for (Cell c : model.cells.values()) {
                notApplicable += c.notApplicable ? 1 : 0;
                primary += c.suppression == Suppression.PRIMARY ? 1 : 0;
                secondary += c.suppression == Suppression.SECONDARY ? 1 : 0;
                if (!c.notApplicable && c.persons > 0 && !rules.isSensitiveOutcome(c.withOutcome, c.persons)) {
                    eligible += c.withOutcome;
                    lost += c.suppression == Suppression.SECONDARY ? c.withOutcome : 0;
                }
                if (refused == null && c.inModel() && c.suppression == null) {
                    shown++;
                    changed += c.published != c.withOutcome ? 1 : 0;
                    moved += Math.abs(c.published - c.withOutcome);
                }
            }
        }
        List<OutcomeTable> tables = specs.stream().map(out::get).map(ReleaseProtection::refuseIfMostlySuppressed).toList();
        Perturbed perturbed = perturbation == null ? null : new Perturbed(shown, changed, perturbation.maxPerturbation(),
                shown == 0 ? 0 : (double) moved / shown);
        return new Result(tables, new Summary(cells, primary, secondary, notApplicable, groups,
                eligible == 0 ? 0 : (double) lost / eligible, solves, perturbed));
    }

    /** A table almost all of whose cells are withheld tells the reader nothing but is a risk: refused with the reason. */
    static OutcomeTable refuseIfMostlySuppressed(OutcomeTable table) {
        if (table.refused() || table.spec().breakdowns().isEmpty()) {
            return table;
        }
        SafeTable safe = table.safeTable();
        int counted = 0;
        int withheld = 0;
        for (SafeCell cell : safe.cells()) {
            if (!TableSpec.WITH_OUTCOME.equals(cell.labels().get(cell.labels().size() - 1)) || cell.isNotApplicable()) {
                continue;
            }
            counted++;
            withheld += cell.isSuppressed() ? 1 : 0;
        }
        String reason = mostlySuppressed(table.spec(), withheld, counted);
        if (reason != null) {
            return OutcomeTable.withheld(table.spec(), reason);
        }
        return table;
    }

    /**
     * Measures whose definitions tie them person by person: an emergency admission is a hospital
     * admission, and the council knows it, so the two are one model with {@code y_emergency,g <=
     * y_hospital,g} for every group.
     */
    static final Map<Measure, Measure> IMPLIES = Map.of(Measure.EMERGENCY_ADMISSION, Measure.HOSPITAL_ADMISSION);

    /** The release's measures in models: a measure alone, or with the measures its outcome implies or is implied by. */
    private static List<List<Measure>> modelled(List<Measure> measures) {
        List<List<Measure>> models = new ArrayList<>();
        for (Measure m : measures) {
            Measure implied = IMPLIES.get(m);
            if (implied != null && measures.contains(implied)) {
                continue; // modelled with the measure it implies
            }
            List<Measure> together = new ArrayList<>(List.of(m));
            IMPLIES.forEach((from, to) -> {
                if (to == m && measures.contains(from)) {
                    together.add(from);
                }
            });
            models.add(together);
        }
        return models;
    }

    /** Why a table with {@code withheld} of its {@code counted} with-outcome cells withheld is refused, or null. */
    static String mostlySuppressed(TableSpec spec, int withheld, int counted) {
        if (spec.breakdowns().isEmpty() || counted == 0 || withheld <= MOSTLY_SUPPRESSED * counted) {
            return null;
        }
        return withheld + " of " + counted + " cells would be withheld (more than " + Math.round(MOSTLY_SUPPRESSED * 100)
                + "%): too few people per " + spec.breakdownName() + " category; ask for fewer or coarser breakdowns";
    }

    /** One with-outcome cell of the model: the groups it sums and where it is shown. */
    private static final class Cell {
        final BitSet members;
        final long persons;
        final long withOutcome;
        final boolean notApplicable;
        /** What the cell shows if it is shown: its count, or under the cell key method its p-table figure. */
        final long published;
        final List<Placement> placements = new ArrayList<>();
        Suppression suppression;
        FeasibleInterval interval;
        boolean protectedOk = true;

        Cell(BitSet members, long persons, long withOutcome, boolean notApplicable, long published) {
            this.members = members;
            this.persons = persons;
            this.withOutcome = withOutcome;
            this.notApplicable = notApplicable;
            this.published = published;
        }

        boolean inModel() {
            return !notApplicable && persons > 0;
        }

        long cost() {
            return placements.size() * (Math.min(withOutcome, 1_000_000) + 10);
        }
    }

    private record Placement(TableSpec spec, CellKey key) {
    }

    /** A requirement: some table the council cannot rule out has {@code expression >= bound} (or {@code <=}). */
    private record Requirement(BitSet members, boolean atLeast, long bound) {
    }

    private final class MeasureModel {
        final List<TableBuilder.Group> groups = new ArrayList<>();
        /** The measure of each group. */
        final List<Measure> groupMeasure = new ArrayList<>();
        /** Pairs {i, j}: group i's outcome implies group j's (same people, implied measure). */
        final List<int[]> implications = new ArrayList<>();
        final List<TableSpec> specs;
        final TableBuilder.ReleaseData data;
        final Map<Object, Cell> cells = new LinkedHashMap<>();
        final Map<TableSpec, Map<CellKey, Cell>> byTable = new LinkedHashMap<>();
        /** Per earlier known cell: the true counts it allows (one value for an exact figure). */
        final List<long[]> known = new ArrayList<>();
        final List<BitSet> knownMembers = new ArrayList<>();
        /** Cells earlier releases withheld: this release must keep them as wide as the rule. */
        final List<BitSet> earlierWithheld = new ArrayList<>();
        /**
         * Tables the council cannot tell from the true one: each agrees with every cell still
         * published and every earlier known cell. Suppression only removes equations, so a
         * witness stays one; the true table is the first.
         */
        final List<long[]> witnesses = new ArrayList<>();
        int solves;

        MeasureModel(List<Measure> measures, TableBuilder.ReleaseData data, List<TableSpec> specs, List<KnownCell> earlier) {
            this.data = data;
            for (Measure m : measures) {
                for (TableBuilder.Group g : data.groups().getOrDefault(m, List.of())) {
                    groups.add(g);
                    groupMeasure.add(m);
                }
            }
            for (int i = 0; i < groups.size(); i++) {
                Measure implied = IMPLIES.get(groupMeasure.get(i));
                for (int j = 0; implied != null && j < groups.size(); j++) {
                    TableBuilder.Group a = groups.get(i);
                    TableBuilder.Group b = groups.get(j);
                    if (groupMeasure.get(j) == implied && a.cohort().equals(b.cohort())
                            && java.util.Objects.equals(a.council(), b.council()) && java.util.Objects.equals(a.period(), b.period())
                            && a.categories().equals(b.categories()) && a.persons() == b.persons()) {
                        implications.add(new int[] {i, j}); // same people in both bases
                    }
                }
            }
            this.specs = specs;
            for (TableSpec spec : specs) {
                FrequencyTable table = data.counts().get(spec);
                Map<CellKey, Cell> placed = new LinkedHashMap<>();
                for (CellKey key : table.cells()) {
                    List<String> labels = table.labels(key);
                    if (!TableSpec.WITH_OUTCOME.equals(labels.get(labels.size() - 1))) {
                        continue;
                    }
                    Map<Breakdown, String> categories = categories(spec, labels);
                    categories.putAll(spec.scope().filter()); // a filtered table's cell: fewer of the same groups
                    Cell cell = cell(spec.scope().council(), spec.scope().period(), spec.measure(), labels.get(0), categories);
                    if (cell.withOutcome != table.count(key)
                            || cell.persons != table.count(key.with(key.dimensionCount() - 1, CellKey.TOTAL))) {
                        throw new IllegalStateException("the release's groups do not add up to its tables");
                    }
                    cell.placements.add(new Placement(spec, key));
                    placed.put(key, cell);
                }
                byTable.put(spec, placed);
            }
            for (KnownCell k : earlier) {
                BitSet members = members(k.council(), k.period(), k.measure(), k.cohort(), k.categories());
                long truth = members.stream().mapToLong(i -> groups.get(i).withOutcome()).sum();
                if (k.withOutcome() == KnownCell.WITHHELD) {
                    if (!members.isEmpty()) {
                        earlierWithheld.add(members);
                    }
                } else if (!members.isEmpty() && (k.perturbed() ? CellKeyPerturbation.mayPublishAs(truth, k.withOutcome())
                        : truth == k.withOutcome())) {
                    // an earlier figure the data since contradicts (late returns) is no equation
                    // about today's data; re-sends replay the recorded figures instead
                    knownMembers.add(members);
                    long persons = members.stream().mapToLong(i -> groups.get(i).persons()).sum();
                    known.add(k.perturbed() ? shownDomain(k.withOutcome(), persons) : new long[] {k.withOutcome()});
                }
            }
        }

        private Cell cell(String council, String period, Measure measure, String cohort, Map<Breakdown, String> categories) {
            BitSet members = members(council, period, measure, cohort, categories);
            String band = categories.get(Breakdown.AGE_BAND);
            boolean notApplicable = band != null && data.bases().excludes(measure, AgeBand.byLabel(band).orElseThrow());
            Object identity = members.isEmpty() ? java.util.Arrays.asList(council, period, measure, cohort, categories) : members;
            return cells.computeIfAbsent(identity, k -> {
                long withOutcome = members.stream().mapToLong(i -> groups.get(i).withOutcome()).sum();
                // the cell key: the sum of its with-outcome members' record keys, so of its groups' sums
                int cellKey = (int) (members.stream().mapToLong(i -> groups.get(i).outcomeKey()).sum()
                        % CellKeyPerturbation.KEYS);
                return new Cell(members, members.stream().mapToLong(i -> groups.get(i).persons()).sum(), withOutcome,
                        notApplicable, perturbation == null ? withOutcome : perturbation.publish(withOutcome, cellKey));
            });
        }

        /**
         * The true counts a shown cell allows, as its recipient reads it: its count; under the
         * cell key method every count in {@code [0, persons]} that the public p-table could publish
         * as the figure and that is not sensitive (a sensitive cell is withheld, never shown).
         */
        private long[] shown(Cell c) {
            return perturbation == null ? new long[] {c.withOutcome} : shownDomain(c.published, c.persons);
        }

        private long[] shownDomain(long published, long persons) {
            return java.util.Arrays.stream(CellKeyPerturbation.preimage(published, persons))
                    .filter(t -> !rules.isSensitiveOutcome(t, persons)).toArray();
        }

        private boolean allows(long[] domain, long value) {
            for (long d : domain) {
                if (d == value) {
                    return true;
                }
            }
            return false;
        }

        private BitSet members(String council, String period, Measure measure, String cohort,
                               Map<Breakdown, String> categories) {
            BitSet members = new BitSet();
            for (int i = 0; i < groups.size(); i++) {
                TableBuilder.Group g = groups.get(i);
                boolean in = groupMeasure.get(i) == measure && (Dimension.TOTAL.equals(cohort) || g.cohort().equals(cohort))
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

        /** Chooses the suppression and audits it; returns why the measure is withheld, or null. */
        String protect() {
            List<Cell> modelled = cells.values().stream().filter(Cell::inModel).toList();
            List<Requirement> requirements = new ArrayList<>();
            for (Cell c : cells.values()) {
                if (c.notApplicable) {
                    c.suppression = Suppression.NOT_APPLICABLE;
                } else if (c.persons == 0) {
                    // nobody there: known to all, nothing to protect; shown as the rules show an empty cell
                    c.suppression = rules.isSensitive(0) ? Suppression.PRIMARY : null;
                } else if (rules.isSensitiveOutcome(c.withOutcome, c.persons)) {
                    c.suppression = Suppression.PRIMARY;
                    DisclosureRules.GroupRequirement need = rules.groupRequirement(c.withOutcome, c.persons);
                    if (c.withOutcome > need.lowerAtMost()) {
                        requirements.add(new Requirement(c.members, false, need.lowerAtMost()));
                    }
                    if (c.withOutcome < need.upperAtLeast()) {
                        requirements.add(new Requirement(c.members, true, need.upperAtLeast()));
                    }
                }
            }
            for (BitSet members : earlierWithheld) {
                long persons = members.stream().mapToLong(i -> groups.get(i).persons()).sum();
                long truth = members.stream().mapToLong(i -> groups.get(i).withOutcome()).sum();
                DisclosureRules.GroupRequirement need = rules.groupRequirement(truth, persons);
                if (need != null && truth > need.lowerAtMost()) {
                    requirements.add(new Requirement(members, false, need.lowerAtMost()));
                }
                if (need != null && truth < need.upperAtLeast()) {
                    requirements.add(new Requirement(members, true, need.upperAtLeast()));
                }
            }
            if (rules.zerosDisclosive()) {
                for (int i = 0; i < groups.size(); i++) {
                    TableBuilder.Group g = groups.get(i);
                    BitSet one = new BitSet();
                    one.set(i);
                    if (g.persons() > 0 && g.withOutcome() == 0) {
                        requirements.add(new Requirement(one, true, 1));
                    } else if (g.persons() > 0 && g.withOutcome() == g.persons()) {
                        requirements.add(new Requirement(one, false, g.persons() - 1));
                    }
                }
            }
            witnesses.add(groups.stream().mapToLong(TableBuilder.Group::withOutcome).toArray());
            for (Requirement r : requirements) {
                if (witnessed(r) == null && !complement(modelled, r)) {
                    return "no suppression pattern protects every cell of this measure";
                }
            }
            return audit(modelled, requirements);
        }

        /** A witness meeting the requirement, or null. */
        private long[] witnessed(Requirement r) {
            for (long[] w : witnesses) {
                long v = r.members().stream().mapToLong(i -> w[i]).sum();
                if (r.atLeast() ? v >= r.bound() : v <= r.bound()) {
                    return w;
                }
            }
            return null;
        }

        /** Adds the cheapest complement making the requirement hold; false if none can. */
        private boolean complement(List<Cell> modelled, Requirement r) {
            CpModel model = CpSat.model();
            IntVar[] y = variables(model);
            List<LinearArgument> objective = new ArrayList<>();
            List<Long> weights = new ArrayList<>();
            Map<BoolVar, Cell> choices = new LinkedHashMap<>();
            for (Cell c : modelled) {
                LinearExpr e = sum(y, c.members);
                if (c.suppression != null) {
                    suppressedBounds(model, e, c);
                    continue;
                }
                boolean eligible = rules.zerosDisclosive() || c.withOutcome > 0 && c.withOutcome < c.persons;
                if (!eligible) {
                    model.addLinearExpressionInDomain(e, Domain.fromValues(shown(c)));
                    continue;
                }
                BoolVar s = model.newBoolVar("s");
                model.addLinearExpressionInDomain(e, Domain.fromValues(shown(c))).onlyEnforceIf(s.not());
                if (knownInner(c)) {
                    model.addLinearConstraint(e, 1, c.persons - 1).onlyEnforceIf(s);
                }
                choices.put(s, c);
                objective.add(s);
                weights.add(c.cost());
            }
            knownEquations(model, y);
            LinearExpr target = sum(y, r.members());
            if (r.atLeast()) {
                model.addGreaterOrEqual(target, r.bound());
            } else {
                model.addLessOrEqual(target, r.bound());
            }
            if (!objective.isEmpty()) {
                model.minimize(LinearExpr.weightedSum(objective.toArray(new LinearArgument[0]),
                        weights.stream().mapToLong(Long::longValue).toArray()));
            }
            CpSat.Solved solved = CpSat.solve(model);
            solves++;
            if (!solved.feasible()) {
                return false;
            }
            choices.forEach((s, c) -> {
                if (solved.solver().booleanValue(s)) {
                    c.suppression = Suppression.SECONDARY;
                }
            });
            long[] witness = new long[y.length];
            for (int i = 0; i < y.length; i++) {
                witness[i] = solved.solver().value(y[i]);
            }
            witnesses.add(witness);
            return true;
        }

        /** What the council knows of a suppressed cell beyond its groups' ranges: with zeros published, neither 0 nor all. */
        private void suppressedBounds(CpModel model, LinearExpr e, Cell c) {
            if (knownInner(c)) {
                model.addLinearConstraint(e, 1, c.persons - 1);
            }
        }

        /**
         * With zeros published, "0 of n" and "n of n" are published whenever n is above the
         * threshold, so the council knows such a withheld cell is neither (a cell of n at or below
         * the threshold is withheld whatever its value).
         */
        private boolean knownInner(Cell c) {
            return !rules.zerosDisclosive() && c.persons > rules.threshold();
        }

        private void knownEquations(CpModel model, IntVar[] y) {
            for (int k = 0; k < known.size(); k++) {
                model.addLinearExpressionInDomain(sum(y, knownMembers.get(k)), Domain.fromValues(known.get(k)));
            }
        }

        /**
         * Checks the pattern without the solver: every witness is verified in plain arithmetic
         * against everything the council knows (group sizes, every published cell, earlier
         * cells, and with zeros published that no withheld cell is 0 or all); a suppressed
         * cell's interval is then at least the range of its values over the witnesses, and every
         * requirement must be met by one of them.
         */
        private String audit(List<Cell> modelled, List<Requirement> requirements) {
            for (long[] w : witnesses) {
                for (int i = 0; i < w.length; i++) {
                    if (w[i] < 0 || w[i] > groups.get(i).persons()) {
                        return "the protection audit found an impossible witness";
                    }
                }
                for (Cell c : modelled) {
                    long v = c.members.stream().mapToLong(i -> w[i]).sum();
                    boolean ok = c.suppression == null ? allows(shown(c), v)
                            : !knownInner(c) || v >= 1 && v <= c.persons - 1;
                    if (!ok) {
                        return "the protection audit found an inconsistent witness";
                    }
                }
                for (int k = 0; k < known.size(); k++) {
                    if (!allows(known.get(k), knownMembers.get(k).stream().mapToLong(i -> w[i]).sum())) {
                        return "the protection audit found an inconsistent witness";
                    }
                }
                for (int[] p : implications) {
                    if (w[p[0]] > w[p[1]]) {
                        return "the protection audit found an inconsistent witness";
                    }
                }
            }
            for (Cell c : modelled) {
                if (c.suppression == null) {
                    continue;
                }
                long lower = Long.MAX_VALUE;
                long upper = Long.MIN_VALUE;
                for (long[] w : witnesses) {
                    long v = c.members.stream().mapToLong(i -> w[i]).sum();
                    lower = Math.min(lower, v);
                    upper = Math.max(upper, v);
                }
                c.interval = new FeasibleInterval(lower, upper);
                if (c.suppression == Suppression.PRIMARY) {
                    c.protectedOk = rules.groupRequirement(c.withOutcome, c.persons).isMetBy(lower, upper);
                    if (!c.protectedOk) {
                        return "the protection audit found a withheld cell the council could narrow";
                    }
                }
            }
            for (Requirement r : requirements) {
                if (witnessed(r) == null) {
                    return "the protection audit found a group whose outcome the council could tell";
                }
            }
            return null;
        }

        private IntVar[] variables(CpModel model) {
            IntVar[] y = new IntVar[groups.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = model.newIntVar(0, groups.get(i).persons(), "y" + i);
            }
            for (int[] p : implications) {
                model.addLessOrEqual(y[p[0]], y[p[1]]);
            }
            return y;
        }

        private LinearExpr sum(IntVar[] y, BitSet members) {
            return LinearExpr.sum(members.stream().mapToObj(i -> y[i]).toArray(LinearArgument[]::new));
        }

        /** The protected table: persons cells withheld by the rules alone (known to the council), outcome cells as chosen. */
        OutcomeTable table(TableSpec spec) {
            FrequencyTable source = data.counts().get(spec);
            Map<CellKey, Cell> placed = byTable.get(spec);
            Map<CellKey, Suppression> pattern = new LinkedHashMap<>();
            Map<CellKey, Long> published = new LinkedHashMap<>();
            List<CellProtection> findings = new ArrayList<>();
            int outcome = source.dimensionCount() - 1;
            for (CellKey key : source.cells()) {
                CellKey yesKey = key.with(outcome, source.dimensions().get(outcome).categories().indexOf(TableSpec.WITH_OUTCOME));
                Cell cell = placed.get(yesKey);
                long persons = cell.persons;
                Suppression reason;
                FeasibleInterval interval;
                if (key.equals(yesKey)) {
                    reason = cell.suppression;
                    interval = cell.interval != null ? cell.interval
                            : new FeasibleInterval(cell.withOutcome, cell.withOutcome);
                } else if (key.coordinate(outcome) == CellKey.TOTAL) {
                    reason = cell.notApplicable ? Suppression.NOT_APPLICABLE
                            : rules.isSensitive(persons) ? Suppression.PRIMARY : null;
                    interval = new FeasibleInterval(persons, persons); // the council knows it
                } else {
                    boolean personsWithheld = !cell.notApplicable && rules.isSensitive(persons);
                    reason = cell.suppression != null ? cell.suppression : personsWithheld ? Suppression.PRIMARY : null;
                    interval = cell.interval != null
                            ? new FeasibleInterval(persons - cell.interval.upper(), persons - cell.interval.lower())
                            : new FeasibleInterval(persons - cell.withOutcome, persons - cell.withOutcome);
                }
                if (reason != null) {
                    pattern.put(key, reason);
                    findings.add(new CellProtection(key, reason, interval, !key.equals(yesKey) || cell.protectedOk));
                } else if (perturbation != null && key.coordinate(outcome) != CellKey.TOTAL) {
                    // shown perturbed: the with-outcome figure, and its complement over the exact base
                    published.put(key, key.equals(yesKey) ? cell.published : persons - cell.published);
                }
            }
            AuditReport report = new AuditReport(rules, findings);
            return OutcomeTable.released(spec, SafeTable.of(source, rules, java.util.Collections.unmodifiableMap(pattern),
                    report, published), perturbation != null);
        }
    }

    /** The breakdown categories of a table cell's labels (cohort, [category], outcome); totals left out. */
    static Map<Breakdown, String> categories(TableSpec spec, List<String> labels) {
        Map<Breakdown, String> categories = new java.util.EnumMap<>(Breakdown.class);
        if (spec.breakdowns().isEmpty() || Dimension.TOTAL.equals(labels.get(1))) {
            return categories;
        }
        String[] parts = spec.breakdowns().size() == 1 ? new String[] {labels.get(1)} : labels.get(1).split(" / ", 2);
        for (int b = 0; b < parts.length; b++) {
            categories.put(spec.breakdowns().get(b), parts[b]);
        }
        return categories;
    }
}
