package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.linkgate.store.TestDatabases;

/**
 * Proof by attack: the council that sent the data, knowing its batch and every pack it was
 * sent ({@link CouncilAttacker}, which shares no code with the protection), over generated
 * batches with small groups and rare outcomes and several periods, recovers no withheld cell to
 * an interval narrower than the agreement's rule and finds no group all or none of whom have an
 * outcome. The judge counts the truth from the generated people, apart from the gateway too.
 * A few small batches here; {@code -Dlinkgate.attack.sweep=true} runs 50 to 5,000 people.
 */
class CouncilAttackTest {

    static final String COUNCIL = "E10000012";
    static final int THRESHOLD = 5;

    @Test
    void theCouncilRecoversNothingFromItsPacks() {
        List<int[]> batches = Boolean.getBoolean("linkgate.attack.sweep")
                ? List.of(new int[] {50, 1}, new int[] {120, 2}, new int[] {400, 3}, new int[] {1000, 4},
                        new int[] {5000, 5})
                // 120 people, seed 2: the pack whose emergency cells leaked when protected apart from hospital's
                : List.of(new int[] {50, 11}, new int[] {120, 2});
        for (int[] batch : batches) {
            assertThat(attack(batch[0], batch[1], true)).as("disclosures in packs of %d people", batch[0]).isZero();
        }
    }

    /** The attacker has teeth: the same packs with their complementary (secondary) cells published give things away. */
    @Test
    void withoutItsComplementaryCellsThePackGivesTheCouncilSomethingAway() {
        assertThat(attack(80, 12, false)).isPositive();
    }

    /**
     * A second release over the same people (other breakdowns of the same period) is protected
     * with the first one's figures known: the council holding both still learns nothing.
     */
    @Test
    void aLaterReleaseIsProtectedWithTheEarlierOneKnown() {
        DataSource ds = TestDatabases.h2();
        LinkedDataFixture data = new LinkedDataFixture(ds, 21);
        String period = "2015-06";
        data.batch(COUNCIL, period, 80, "ACCEPTED");
        TableBuilder builder = new TableBuilder(ds);
        DisclosureRules rules = DisclosureRules.agreementDefaults();
        List<TableSpec> first = FeedbackPacks.standardTables(COUNCIL, period).stream()
                .filter(t -> t.breakdowns().equals(List.of(Breakdown.SEX))).toList();
        List<TableSpec> second = FeedbackPacks.standardTables(COUNCIL, period).stream()
                .filter(t -> !t.breakdowns().isEmpty() && !t.breakdowns().equals(List.of(Breakdown.SEX))).toList();
        List<OutcomeTable> firstTables = new ReleaseProtection(rules).protect(builder.release(first), first, List.of()).tables();
        List<ReleaseProtection.KnownCell> known = new ArrayList<>();
        for (OutcomeTable t : firstTables) {
            for (OutcomeTable.Row row : t.rows()) {
                if (row.withOutcome().chars().allMatch(Character::isDigit)) {
                    Map<Breakdown, String> categories = "Total".equals(row.category()) ? Map.of()
                            : Map.of(Breakdown.SEX, row.category());
                    known.add(new ReleaseProtection.KnownCell(t.spec().measure(), row.cohort(), categories,
                            Long.parseLong(row.withOutcome())));
                }
            }
        }
        assertThat(known).isNotEmpty();
        List<OutcomeTable> secondTables = new ReleaseProtection(rules).protect(builder.release(second), second, known).tables();
        List<Map<String, List<List<String>>>> releases = new ArrayList<>();
        for (List<OutcomeTable> tables : List.of(firstTables, secondTables)) {
            Map<String, List<List<String>>> release = new LinkedHashMap<>();
            tables.stream().filter(t -> !t.refused()).forEach(t -> release.put(t.spec().name(), t.csvRecords()));
            releases.add(release);
        }
        assertThat(judge(data, releases, 80, "two releases")).isZero();
    }

    /** Runs the attack on one generated council; returns how many cells or groups it could tell. */
    private int attack(int size, long seed, boolean withComplements) {
        DataSource ds = TestDatabases.h2();
        LinkedDataFixture data = new LinkedDataFixture(ds, seed);
        List<String> periods = List.of("2015-06", "2016-01");
        data.batch(COUNCIL, periods.get(0), size, "ACCEPTED");
        if (withComplements) {
            data.batch(COUNCIL, periods.get(1), Math.max(50, size / 3), "ACCEPTED");
        } else {
            periods = periods.subList(0, 1);
        }
        TableBuilder builder = new TableBuilder(ds);
        List<Map<String, List<List<String>>>> releases = new ArrayList<>();
        for (String period : periods) {
            Map<String, List<List<String>>> release = new LinkedHashMap<>();
            List<OutcomeTable> tables = FeedbackPacks.protect(builder, COUNCIL, period, DisclosureRules.agreementDefaults(),
                    List.of()).tables();
            for (OutcomeTable t : tables) {
                if (!t.refused()) {
                    release.put(t.spec().name(), withComplements ? t.csvRecords() : withSecondariesShown(t));
                }
            }
            releases.add(release);
        }
        return judge(data, releases, size, withComplements ? "as released" : "complements shown");
    }

    /** Attacks the releases with the council's knowledge of the generated people; returns how many cells or groups it told. */
    private static int judge(LinkedDataFixture data, List<Map<String, List<List<String>>>> releases, int size, String what) {
        List<CouncilAttacker.Known> known = data.people.stream().map(p -> new CouncilAttacker.Known(p.period(),
                CouncilAttacker.cohort(p.cohort()), p.sex(), p.age(), p.problemCount())).toList();
        CouncilAttacker attacker = new CouncilAttacker();
        attacker.attack(known, releases);

        int disclosed = attacker.groups.size();
        int sensitive = 0;
        for (CouncilAttacker.Finding f : attacker.cells) {
            long[] truth = truth(data, f);
            assertThat(truth[0]).as("base of %s", f).isEqualTo(f.persons());
            long n = truth[0];
            long y = truth[1];
            assertThat(f.lower()).isLessThanOrEqualTo(y);
            assertThat(f.upper()).isGreaterThanOrEqualTo(y);
            boolean fewWith = y <= THRESHOLD;
            boolean fewWithout = n - y <= THRESHOLD;
            sensitive += fewWith || fewWithout ? 1 : 0;
            if (fewWith && (f.lower() > 0 || f.upper() < Math.min(n, THRESHOLD + 1))
                    || fewWithout && (f.upper() < n || f.lower() > Math.max(0, n - THRESHOLD - 1))) {
                System.out.println("recovered: " + f + " (true " + y + " of " + n + ")");
                disclosed++;
            }
        }
        attacker.groups.forEach(g -> System.out.println("group told: " + g));
        assertThat(sensitive).as("the batch has sensitive cells to attack").isPositive();
        System.out.println("attack on " + size + " people (" + what + "): " + attacker.cells.size() + " withheld cells, "
                + sensitive + " sensitive, " + attacker.cp.solves() + " solves, " + disclosed + " disclosures");
        return disclosed;
    }

    /** The table's CSV with every secondary with-outcome cell showing its count. */
    private static List<List<String>> withSecondariesShown(OutcomeTable t) {
        List<List<String>> records = new ArrayList<>(t.csvRecords());
        boolean breakdown = !t.spec().breakdowns().isEmpty();
        for (int r = 1; r < records.size(); r++) {
            List<String> row = new ArrayList<>(records.get(r));
            SafeCell cell = breakdown ? t.safeTable().cell(row.get(3), row.get(4), TableSpec.WITH_OUTCOME)
                    : t.safeTable().cell(row.get(3), TableSpec.WITH_OUTCOME);
            if (cell.suppression() == Suppression.SECONDARY) {
                row.set(row.size() - 2, Long.toString(t.safeTable().source().count(cell.key())));
                records.set(r, row);
            }
        }
        return records;
    }

    /** {persons, with outcome} of the cell, counted from the generated people. */
    private static long[] truth(LinkedDataFixture data, CouncilAttacker.Finding f) {
        int[] base = CouncilAttacker.BASES.get(f.measure());
        long persons = 0;
        long with = 0;
        for (LinkedDataFixture.Person p : data.people) {
            if (!p.period().equals(f.period()) || p.age() < base[0] || p.age() > base[1]) {
                continue;
            }
            if (!"Total".equals(f.cohort()) && !f.cohort().equals(CouncilAttacker.cohort(p.cohort()))) {
                continue;
            }
            if (!"Total".equals(f.category())) {
                String value = switch (f.breakdown()) {
                    case "sex" -> p.sex();
                    case "age_band" -> CouncilAttacker.band(p.age());
                    default -> CouncilAttacker.problems(p.problemCount());
                };
                if (!value.equals(f.category())) {
                    continue;
                }
            }
            persons++;
            with += outcome(p, f.measure()) ? 1 : 0;
        }
        return new long[] {persons, with};
    }

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
}
