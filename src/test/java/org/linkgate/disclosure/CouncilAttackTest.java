package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Proof by attack: the council that sent the data, knowing its batch and every pack it was
 * sent ({@link CouncilAttacker}, which shares no code with the protection), over generated
 * batches with small groups and rare outcomes and several periods, recovers no withheld cell to
 * an interval narrower than the agreement's rule and finds no group all or none of whom have an
 * outcome. The judge counts the truth from the generated people, apart from the gateway too.
 * A few small batches here; {@code -Dlinkgate.attack.sweep=true} runs 50 to 5,000 people.
 */
class CouncilAttackTest {

    static final String COUNCIL = CouncilBatch.COUNCIL;

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
        String period = "2015-06";
        CouncilBatch data = new CouncilBatch(21).with(period, 80);
        TableBuilder builder = data.builder;
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
        List<String> periods = List.of("2015-06", "2016-01");
        CouncilBatch data = new CouncilBatch(seed).with(periods.get(0), size);
        if (withComplements) {
            data.with(periods.get(1), Math.max(50, size / 3));
        } else {
            periods = periods.subList(0, 1);
        }
        TableBuilder builder = data.builder;
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
    private static int judge(CouncilBatch data, List<Map<String, List<List<String>>>> releases, int size, String what) {
        CouncilAttacker attacker = new CouncilAttacker();
        attacker.attack(data.known(), releases);
        CouncilBatch.Judge judge = new CouncilBatch.Judge();
        for (CouncilAttacker.Finding f : attacker.cells) {
            data.judge(judge, f, f.period(), f.measure(), f.cohort(), f.breakdown(), f.category(), f.persons(), f.lower(),
                    f.upper());
        }
        int disclosed = judge.disclosures(attacker.groups);
        System.out.println("attack on " + size + " people (" + what + "): " + attacker.cells.size() + " withheld cells, "
                + judge.sensitive + " sensitive, " + attacker.cp.solves() + " solves, " + disclosed + " disclosures");
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
}
