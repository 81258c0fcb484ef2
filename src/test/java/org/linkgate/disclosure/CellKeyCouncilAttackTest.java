package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.linkgate.kernel.MasterKey;

/**
 * Proof by attack of packs shown by the cell key method: the council, knowing its batch and the public p-table
 * ({@link CellKeyCouncilAttacker}, apart from the gateway), recovers no cell, shown or withheld, to an interval
 * narrower than the rule and finds no all-or-none group. Teeth: the same pack with every with-outcome cell shown
 * perturbed (no withholding of sensitive cells) gives things away. The judge counts the truth from the people.
 */
class CellKeyCouncilAttackTest {

    static final String COUNCIL = CouncilBatch.COUNCIL;
    static final String PERIOD = "2015-06";

    private static MasterKey masterKey(long seed) {
        byte[] material = new byte[MasterKey.BYTES];
        new java.util.Random(seed).nextBytes(material);
        return new MasterKey(material);
    }

    @Test
    void theCouncilRecoversNothingFromACellKeyPack() {
        for (int[] batch : List.of(new int[] {50, 11}, new int[] {120, 2})) {
            CouncilBatch data = data(batch[0], batch[1]);
            CellKeyPerturbation perturbation = new CellKeyPerturbation(masterKey(batch[1]).derive(CellKeyPerturbation.KEY_PURPOSE));
            ReleaseProtection.Result result = protect(data, perturbation);
            assertThat(result.summary().perturbed().changed()).as("some shown figures are perturbed").isPositive();
            assertThat(judge(data, release(result.tables()), true, "cell key, as released")).isZero();
        }
    }

    @Test
    void withoutItsSafeguardsThePerturbedPackGivesTheCouncilSomethingAway() {
        CouncilBatch data = data(120, 2);
        CellKeyPerturbation perturbation = new CellKeyPerturbation(masterKey(2).derive(CellKeyPerturbation.KEY_PURPOSE));
        ReleaseProtection.Result result = protect(data, perturbation);
        Map<String, List<List<String>>> unguarded = new LinkedHashMap<>();
        for (OutcomeTable t : result.tables()) {
            if (!t.refused()) {
                unguarded.put(t.spec().name(), everyCellPerturbed(data, t, perturbation));
            }
        }
        assertThat(judge(data, unguarded, false, "every cell shown perturbed")).isPositive();
    }

    @Test
    void theSameDataGivesTheSameFiguresAndTheManifestSaysTheMethod() throws IOException {
        CouncilBatch data = data(120, 2);
        CellKeyPerturbation perturbation = new CellKeyPerturbation(masterKey(2).derive(CellKeyPerturbation.KEY_PURPOSE));
        ReleaseProtection.Result first = protect(data, perturbation);
        ReleaseProtection.Result again = protect(data, perturbation);
        assertThat(release(again.tables())).isEqualTo(release(first.tables()));
        byte[] zip = FeedbackPacks.zip(COUNCIL, PERIOD, "2026-12-04", DisclosureRules.agreementDefaults(), first.tables(),
                first.summary());
        String manifest = entry(zip, FeedbackPacks.MANIFEST);
        assertThat(manifest).contains("\"method\":\"cell-key\"", "\"maxPerturbation\":3", "\"additive\":false",
                "\"meanAbsolutePerturbation\"", "\"informationLoss\"");
        assertThat(entry(zip, FeedbackPacks.REPORT)).contains("id=\"cell-key-note\"", "changedbyatmost3");
    }

    private static String entry(byte[] zip, String name) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals(name)) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(" ", "");
                }
            }
        }
        throw new AssertionError("no " + name);
    }

    private static CouncilBatch data(int size, long seed) {
        return new CouncilBatch(seed).with(PERIOD, size);
    }

    private static ReleaseProtection.Result protect(CouncilBatch data, CellKeyPerturbation perturbation) {
        return FeedbackPacks.protect(data.builder, COUNCIL, PERIOD, DisclosureRules.agreementDefaults(), List.of(), perturbation);
    }

    private static Map<String, List<List<String>>> release(List<OutcomeTable> tables) {
        Map<String, List<List<String>>> release = new LinkedHashMap<>();
        tables.stream().filter(t -> !t.refused()).forEach(t -> release.put(t.spec().name(), t.csvRecords()));
        return release;
    }

    /** The table's CSV with every withheld with-outcome cell shown as its p-table figure (computed here, from the people). */
    private static List<List<String>> everyCellPerturbed(CouncilBatch data, OutcomeTable t, CellKeyPerturbation method) {
        List<List<String>> records = new ArrayList<>(t.csvRecords());
        boolean breakdown = !t.spec().breakdowns().isEmpty();
        String name = breakdown ? t.spec().breakdowns().get(0).key() : "";
        for (int r = 1; r < records.size(); r++) {
            List<String> row = new ArrayList<>(records.get(r));
            if ("[c]".equals(row.get(row.size() - 2))) {
                List<String> members = members(data, t.spec().measure().key(), row.get(3), name, breakdown ? row.get(4) : "Total");
                row.set(row.size() - 2, Long.toString(method.publish(members)));
                records.set(r, row);
            }
        }
        return records;
    }

    /** Pseudo ids of the cell's people with the outcome, from the generated people. */
    private static List<String> members(CouncilBatch data, String measure, String cohort, String breakdown,
                                        String category) {
        List<String> ids = new ArrayList<>();
        for (LinkedDataFixture.Person p : data.data.people) {
            if (CouncilBatch.in(p, PERIOD, measure, cohort, breakdown, category) && CouncilBatch.outcome(p, measure)) {
                ids.add(p.pseudoId());
            }
        }
        return ids;
    }

    /** Attacks one release; returns how many cells (shown or withheld) or groups it told. */
    private static int judge(CouncilBatch data, Map<String, List<List<String>>> release, boolean shownAreSafe,
                             String what) {
        CellKeyCouncilAttacker attacker = new CellKeyCouncilAttacker(CouncilBatch.THRESHOLD, shownAreSafe);
        attacker.attack(data.known(), release);
        CouncilBatch.Judge judge = new CouncilBatch.Judge();
        for (CellKeyCouncilAttacker.Finding f : attacker.cells) {
            data.judge(judge, f, f.period(), f.measure(), f.cohort(), f.breakdown(), f.category(), f.persons(), f.lower(),
                    f.upper());
        }
        int disclosed = judge.disclosures(attacker.groups);
        System.out.println("cell key attack (" + what + "): " + attacker.cells.size() + " cells, " + judge.sensitive
                + " sensitive, " + attacker.cp.solves() + " solves, " + disclosed + " disclosures");
        return disclosed;
    }
}
