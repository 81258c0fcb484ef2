package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.sql.DataSource;
import org.linkgate.store.TestDatabases;

/**
 * The council attack tests' shared set-up and judge: a generated council's batches in a fresh store (people kept in
 * memory, so the truth is counted apart from the gateway's SQL), what the council knows of them, and the rule a
 * withheld or perturbed cell must keep to.
 */
final class CouncilBatch {

    static final String COUNCIL = "E10000012";
    static final int THRESHOLD = 5;

    final LinkedDataFixture data;
    final TableBuilder builder;

    /** A fresh store whose generated people follow from {@code seed}. */
    CouncilBatch(long seed) {
        DataSource ds = TestDatabases.h2();
        this.data = new LinkedDataFixture(ds, seed);
        this.builder = new TableBuilder(ds);
    }

    /** Adds an accepted batch of {@code size} people for the period. */
    CouncilBatch with(String period, int size) {
        data.batch(COUNCIL, period, size, "ACCEPTED");
        return this;
    }

    /** The people as the council knows them. */
    List<CouncilKnowledge.Known> known() {
        return data.people.stream().map(p -> new CouncilKnowledge.Known(p.period(), CouncilKnowledge.cohort(p.cohort()),
                p.sex(), p.age(), p.problemCount())).toList();
    }

    /** {persons, with outcome} of a cell, counted from the generated people. */
    long[] truth(String period, String measure, String cohort, String breakdown, String category) {
        long persons = 0;
        long with = 0;
        for (LinkedDataFixture.Person p : data.people) {
            if (in(p, period, measure, cohort, breakdown, category)) {
                persons++;
                with += outcome(p, measure) ? 1 : 0;
            }
        }
        return new long[] {persons, with};
    }

    /**
     * Judges one cell the council attacked: its base must be the true one, its interval must hold the truth and keep
     * to the rule (a disclosure is printed).
     */
    void judge(Judge judge, Object finding, String period, String measure, String cohort, String breakdown,
               String category, long persons, long lower, long upper) {
        long[] truth = truth(period, measure, cohort, breakdown, category);
        assertThat(truth[0]).as("base of %s", finding).isEqualTo(persons);
        if (judge.cell(finding, truth[0], truth[1], lower, upper)) {
            System.out.println("recovered: " + finding + " (true " + truth[1] + " of " + truth[0] + ")");
        }
    }

    /** Whether the person is in the cell (period, the measure's department filter, cohort, breakdown category). */
    static boolean in(LinkedDataFixture.Person p, String period, String measure, String cohort, String breakdown,
                      String category) {
        int[] base = CouncilKnowledge.BASES.get(measure);
        if (!p.period().equals(period) || p.age() < base[0] || p.age() > base[1]
                || !"Total".equals(cohort) && !cohort.equals(CouncilKnowledge.cohort(p.cohort()))) {
            return false;
        }
        if ("Total".equals(category)) {
            return true;
        }
        String value = switch (breakdown) {
            case "sex" -> p.sex();
            case "age_band" -> CouncilKnowledge.band(p.age());
            default -> CouncilKnowledge.problems(p.problemCount());
        };
        return value.equals(category);
    }

    /** Whether the person has the measure's outcome, read from what the departments returned for them. */
    static boolean outcome(LinkedDataFixture.Person p, String measure) {
        for (String[] r : p.returns()) {
            boolean hit = switch (measure) {
                case "any_offence" -> r[0].equals("MOJ") && r[1].equals("PNC");
                case "custody" -> r[0].equals("MOJ") && r[1].equals("PRISONS");
                case "any_benefit_spell" -> r[0].equals("DWP") && r[1].equals("WPLS");
                case "persistent_absence" -> r[0].equals("DFE") && r[1].equals("NPD") && absentShare(r[2]) >= 10;
                case "hospital_admission" -> r[0].equals("HSCIC") && r[1].equals("HES");
                case "emergency_admission" -> r[0].equals("HSCIC") && r[1].equals("HES") && r[2].contains("\"EMERGENCY\"");
                case "drug_treatment" -> r[0].equals("PHE") && r[1].equals("NDTMS");
                default -> throw new IllegalArgumentException(measure);
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    private static double absentShare(String json) {
        long possible = Long.parseLong(json.replaceAll(".*\"sessions_possible\":(\\d+).*", "$1"));
        long absent = Long.parseLong(json.replaceAll(".*\"sessions_absent\":(\\d+).*", "$1"));
        return 100.0 * absent / possible;
    }

    /**
     * The rule, judged on the truth: a cell with few (at most the threshold) with, or without, the outcome must stay
     * open to every count from 0 (or n) to one past the threshold. Counts the sensitive cells and the disclosures.
     */
    static final class Judge {
        int sensitive;
        int disclosed;

        /**
         * Judges one attacked cell of {@code n} people, {@code y} of them with the outcome, found to lie in
         * [{@code lower}, {@code upper}] (which must hold the truth); true if the attacker narrowed it below the rule.
         */
        boolean cell(Object what, long n, long y, long lower, long upper) {
            assertThat(y).as("truth of %s", what).isBetween(lower, upper);
            boolean fewWith = y <= THRESHOLD;
            boolean fewWithout = n - y <= THRESHOLD;
            sensitive += fewWith || fewWithout ? 1 : 0;
            if (fewWith && (lower > 0 || upper < Math.min(n, THRESHOLD + 1))
                    || fewWithout && (upper < n || lower > Math.max(0, n - THRESHOLD - 1))) {
                disclosed++;
                return true;
            }
            return false;
        }

        /** The attack's disclosures: cells narrowed below the rule and groups told (printed); the batch must have had sensitive cells. */
        int disclosures(List<?> groups) {
            groups.forEach(g -> System.out.println("group told: " + g));
            assertThat(sensitive).as("the batch has sensitive cells to attack").isPositive();
            return disclosed + groups.size();
        }
    }
}
