package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.linkgate.audit.AuditLog;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Proof by attack for analysts' tables: an analyst holding the period's pack and several ad-hoc
 * tables over the same people with different filters (sex, a flag, an age band, every period),
 * each approved under the two-person rule and so recorded in the release ledger, attacked by
 * {@link AnalystAttacker} (no gateway code; more knowledge than an analyst has), recovers no
 * withheld cell to an interval narrower than the rule and finds no group all or none of whom
 * have the outcome. The same tables protected one by one, each without the others known, do
 * give things away. The judge counts the truth from the generated people.
 */
class AnalystAttackTest {

    static final String COUNCIL = CouncilBatch.COUNCIL;
    static final String PERIOD = "2015-06";
    static final int THRESHOLD = CouncilBatch.THRESHOLD;
    static final int PEOPLE = Integer.getInteger("attack.people", 300);
    static final Set<Measure> MEASURES = Set.of(Measure.ANY_OFFENCE, Measure.HOSPITAL_ADMISSION, Measure.EMERGENCY_ADMISSION);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The analyst's requests, in order: filters differ, so each is a sum over other people of the one before. */
    static List<TableSpec> requests() {
        TableSpec.Scope period = TableSpec.Scope.of(COUNCIL, PERIOD);
        return List.of(
                new TableSpec(new TableSpec.Scope(COUNCIL, PERIOD, Map.of(Breakdown.CRIME_ASB, "yes")), Measure.ANY_OFFENCE,
                        List.of(Breakdown.SEX)),
                new TableSpec(new TableSpec.Scope(COUNCIL, PERIOD, Map.of(Breakdown.SEX, "F")), Measure.ANY_OFFENCE,
                        List.of(Breakdown.PROBLEMS)),
                new TableSpec(new TableSpec.Scope(COUNCIL, PERIOD, Map.of(Breakdown.EDUCATION, "yes")), Measure.ANY_OFFENCE,
                        List.of()),
                new TableSpec(new TableSpec.Scope(COUNCIL, null, Map.of(Breakdown.CRIME_ASB, "no")), Measure.ANY_OFFENCE,
                        List.of()),
                new TableSpec(new TableSpec.Scope(COUNCIL, PERIOD, Map.of(Breakdown.SEX, "M")), Measure.ANY_OFFENCE,
                        List.of(Breakdown.AGE_BAND)),
                new TableSpec(period, Measure.ANY_OFFENCE, List.of(Breakdown.CRIME_ASB)),
                new TableSpec(new TableSpec.Scope(COUNCIL, PERIOD, Map.of(Breakdown.HEALTH, "yes")),
                        Measure.HOSPITAL_ADMISSION, List.of(Breakdown.SEX)),
                new TableSpec(new TableSpec.Scope(COUNCIL, PERIOD, Map.of(Breakdown.HEALTH, "yes")),
                        Measure.EMERGENCY_ADMISSION, List.of()));
    }

    /**
     * Generated batches to attack: by default one, with the most pointed requests (two filters
     * on the broken-down attributes, every period, the implied pair); {@code -Dattack.cases=N}
     * runs every request over N batches (seeds 31, 32, ...), the long version.
     */
    static final int CASES = Integer.getInteger("attack.cases", 1);

    /** The requests attacked: the pointed ones, or all of them in the long version. */
    static List<TableSpec> cases() {
        List<TableSpec> all = requests();
        return CASES <= 1 ? List.of(all.get(0), all.get(1), all.get(3), all.get(4), all.get(6), all.get(7)) : all;
    }

    @Test
    void anAnalystHoldingTablesWithDifferentFiltersAndThePackRecoversNothing() {
        for (int c = 0; c < Math.max(1, CASES); c++) {
            analystRecoversNothing(Analyst.holdingThePack(31 + c));
        }
    }

    private static void analystRecoversNothing(Analyst analyst) {
        LinkedDataFixture data = analyst.data();
        JdbcTemplate jdbc = analyst.jdbc();
        TableBuilder builder = analyst.builder();
        DisclosureRules rules = analyst.rules();
        List<Map<String, Object>> seen = analyst.seen();
        TableRequests requests = new TableRequests(jdbc, builder, DisclosureSettings.fixed(rules),
                new AuditLog(jdbc, Clock.systemUTC()), Clock.systemUTC());
        List<Map<String, Object>> analysts = new ArrayList<>();
        int filtered = 0;
        int earlierKnown = 0;
        for (TableSpec spec : cases()) {
            String id = requests.request(spec, DisclosureSettings.FIXED_PURPOSE, "ann");
            TableRequests.Stored stored = requests.find(id).orElseThrow();
            earlierKnown = Math.max(earlierKnown, ((Number) stored.check().get("earlierReleasesKnown")).intValue());
            if (!TableRequests.PENDING.equals(stored.status())) {
                System.out.println("refused: " + spec.name() + " " + spec.scope().filter() + ": " + stored.check());
                continue;
            }
            requests.approve(id, "bob");
            Map<String, Object> released = parse(requests.find(id).orElseThrow().tableJson());
            seen.add(released);
            analysts.add(released);
            filtered += spec.scope().filter().isEmpty() ? 0 : 1;
        }
        assertThat(filtered).as("released tables with different filters").isGreaterThanOrEqualTo(3);
        assertThat(earlierKnown).as("the last table was protected with the pack and the earlier tables known")
                .isGreaterThanOrEqualTo(3);
        assertThat(judge(data, seen, "as released")).isZero();
        assertThat(judgePersons(data, analysts, "as released")).isZero();
    }

    /**
     * The persons attacker has teeth: the same analysts' tables with their outcome cells
     * protected but their small persons cells only shown {@code [c]} give persons counts away.
     */
    @Test
    void smallPersonsCellsLeftToTheRulesAloneAreWorkedOutFromTheMargins() {
        Analyst analyst = Analyst.shared();
        List<Map<String, Object>> tables = new ArrayList<>();
        for (TableSpec spec : cases()) {
            TableBuilder.ReleaseData release = analyst.builder().release(List.of(spec),
                    new TableSpec.Scope(spec.scope().council(), spec.scope().period(), Map.of()), Set.of());
            OutcomeTable outcomesOnly = new ReleaseProtection(analyst.rules()).protect(release, List.of(spec), List.of())
                    .tables().get(0);
            if (!outcomesOnly.refused()) {
                tables.add(parse(TableRequests.json(outcomesOnly.toJson())));
            }
        }
        assertThat(judgePersons(analyst.data(), tables, "persons to the rules alone")).isPositive();
    }

    /**
     * Attacks the analysts' tables' withheld persons cells as an analyst who does not know the
     * group sizes; returns how many persons cells of 1 to the threshold it narrowed below the rule.
     */
    private static int judgePersons(LinkedDataFixture data, List<Map<String, Object>> tables, String what) {
        PersonsAttacker attacker = new PersonsAttacker();
        attacker.attack(data.people, tables, false);
        int disclosed = 0;
        int small = 0;
        for (PersonsAttacker.Finding f : attacker.cells) {
            long n = data.people.stream().filter(f.people()).count();
            assertThat(f.lower()).as("%s %s", f.table(), f.cell()).isLessThanOrEqualTo(n);
            assertThat(f.upper()).as("%s %s", f.table(), f.cell()).isGreaterThanOrEqualTo(n);
            if (n >= 1 && n <= THRESHOLD) {
                small++;
                if (f.lower() > 0 || f.upper() <= THRESHOLD) {
                    System.out.println("persons recovered (" + what + "): " + f.table() + " " + f.cell() + " in ["
                            + f.lower() + ", " + f.upper() + "] (true " + n + ")");
                    disclosed++;
                }
            }
        }
        assertThat(small).as("the tables have small persons cells to attack").isPositive();
        System.out.println("persons attack (" + what + "): " + tables.size() + " tables, " + attacker.cells.size()
                + " withheld persons cells, " + small + " small, " + attacker.cp.solves() + " solves, " + disclosed
                + " disclosures");
        return disclosed;
    }

    /**
     * The attacker has teeth: the same tables protected one by one, nothing earlier known, give
     * things away. In the long version only: by default the pack test's unaware pack (tables and
     * pack each protected alone) shows it.
     */
    @Test
    @EnabledIfSystemProperty(named = "attack.cases", matches = "[2-9]|[1-9][0-9]+")
    void theSameTablesProtectedOneByOneGiveTheAnalystSomethingAway() {
        Analyst analyst = Analyst.shared();
        LinkedDataFixture data = analyst.data();
        JdbcTemplate jdbc = analyst.jdbc();
        TableBuilder builder = analyst.builder();
        DisclosureRules rules = analyst.rules();
        List<Map<String, Object>> seen = new ArrayList<>(analyst.seen());
        for (TableSpec spec : cases()) {
            AnalystLedger.Earlier none = new AnalystLedger.Earlier(List.of(), List.of(), List.of(), Set.of(),
                    new TableSpec.Scope(spec.scope().council(), spec.scope().period(), Map.of()));
            OutcomeTable alone = TableRequests.protect(builder, spec, rules, none);
            if (!alone.refused()) {
                seen.add(parse(TableRequests.json(alone.toJson())));
            }
        }
        assertThat(judge(data, seen, "protected one by one")).isPositive();
    }

    /**
     * A pack sent after filtered analysts' tables of its council and period is protected with
     * them known: an attacker holding the pack and those tables recovers nothing, while the same
     * pack protected without them gives something away.
     */
    @Test
    void aPackSentAfterFilteredAnalystsTablesIsProtectedWithThemKnown() {
        DataSource ds = TestDatabases.h2();
        LinkedDataFixture data = new LinkedDataFixture(ds, 31);
        data.batch(COUNCIL, PERIOD, PEOPLE, "ACCEPTED");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TableBuilder builder = new TableBuilder(ds);
        DisclosureRules rules = DisclosureRules.agreementDefaults();
        TableRequests requests = new TableRequests(jdbc, builder, DisclosureSettings.fixed(rules),
                new AuditLog(jdbc, Clock.systemUTC()), Clock.systemUTC());
        List<Map<String, Object>> analysts = new ArrayList<>();
        for (TableSpec spec : List.of(requests().get(0), requests().get(1), requests().get(4))) {
            String id = requests.request(spec, DisclosureSettings.FIXED_PURPOSE, "ann");
            requests.approve(id, "bob");
            analysts.add(parse(requests.find(id).orElseThrow().tableJson()));
        }
        AnalystLedger.Earlier earlier = new AnalystLedger(jdbc).earlierOver(TableSpec.Scope.of(COUNCIL, PERIOD),
                FeedbackPacks.standardTables(COUNCIL, PERIOD).stream().map(TableSpec::measure).distinct().toList());
        assertThat(earlier.releaseIds()).as("the filtered tables are known to the pack's model").hasSize(3);
        List<Map<String, Object>> withKnown = new ArrayList<>(analysts);
        withKnown.addAll(packTables(FeedbackPacks.protect(builder, COUNCIL, PERIOD, rules, earlier)));
        assertThat(judge(data, withKnown, "pack with the filtered tables known")).isZero();
        List<Map<String, Object>> unaware = new ArrayList<>(analysts);
        unaware.addAll(packTables(FeedbackPacks.protect(builder, COUNCIL, PERIOD, rules, List.of())));
        assertThat(judge(data, unaware, "pack without the filtered tables")).isPositive();
    }

    private static List<Map<String, Object>> packTables(ReleaseProtection.Result pack) {
        return pack.tables().stream().filter(t -> !t.refused() && MEASURES.contains(t.spec().measure()))
                .map(t -> parse(TableRequests.json(t.toJson()))).toList();
    }

    /** A fresh store of the generated people, and the analyst holding the period's pack of it. */
    private record Analyst(LinkedDataFixture data, JdbcTemplate jdbc, TableBuilder builder, DisclosureRules rules,
                           List<Map<String, Object>> seen) {
        private static Analyst shared;

        /** One store for the tests that record nothing (protected one by one, persons to the rules alone). */
        static synchronized Analyst shared() {
            if (shared == null) {
                shared = holdingThePack(31);
            }
            return shared;
        }

        static Analyst holdingThePack(long seed) {
            DataSource ds = TestDatabases.h2();
            LinkedDataFixture data = new LinkedDataFixture(ds, seed);
            data.batch(COUNCIL, PERIOD, PEOPLE, "ACCEPTED");
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            TableBuilder builder = new TableBuilder(ds);
            DisclosureRules rules = DisclosureRules.agreementDefaults();
            return new Analyst(data, jdbc, builder, rules, new ArrayList<>(pack(jdbc, builder, rules)));
        }
    }

    /** The period's pack as released and recorded in the ledger; its tables of the attacked measures as the analyst holds them. */
    private static List<Map<String, Object>> pack(JdbcTemplate jdbc, TableBuilder builder, DisclosureRules rules) {
        List<Map<String, Object>> tables = new ArrayList<>();
        String packId = UUID.randomUUID().toString();
        AnalystLedger ledger = new AnalystLedger(jdbc);
        for (OutcomeTable t : FeedbackPacks.protect(builder, COUNCIL, PERIOD, rules, List.of()).tables()) {
            if (t.refused()) {
                continue;
            }
            ledger.record(packId, t.spec(), t.rows());
            if (MEASURES.contains(t.spec().measure())) {
                tables.add(parse(TableRequests.json(t.toJson())));
            }
        }
        return tables;
    }

    /** Attacks the tables; returns how many withheld cells or groups it could tell, judged on the generated people. */
    private static int judge(LinkedDataFixture data, List<Map<String, Object>> tables, String what) {
        long start = System.nanoTime();
        AnalystAttacker attacker = new AnalystAttacker();
        attacker.attack(data.people, tables);
        CouncilBatch.Judge judge = new CouncilBatch.Judge();
        for (AnalystAttacker.Finding f : attacker.cells) {
            long n = 0;
            long y = 0;
            int[] base = CouncilKnowledge.BASES.get(f.measure());
            for (LinkedDataFixture.Person p : data.people) {
                if (p.age() >= base[0] && p.age() <= base[1] && f.people().test(p)) {
                    n++;
                    y += CouncilBatch.outcome(p, f.measure()) ? 1 : 0;
                }
            }
            assertThat(n).as("base of %s", f.cell()).isEqualTo(f.persons());
            if (judge.cell(f.cell(), n, y, f.lower(), f.upper())) {
                System.out.println("recovered (" + what + "): " + f.table() + " " + f.cell() + " in [" + f.lower() + ", "
                        + f.upper() + "] (true " + y + " of " + n + ")");
            }
        }
        int disclosed = judge.disclosed + attacker.groups.size();
        int sensitive = judge.sensitive;
        attacker.groups.forEach(g -> System.out.println("group told (" + what + "): " + g));
        assertThat(sensitive).as("the tables have sensitive cells to attack").isPositive();
        System.out.println("analyst attack (" + what + "): " + tables.size() + " tables, " + attacker.cells.size()
                + " withheld cells, " + sensitive + " sensitive, " + attacker.cp.solves() + " solves, " + disclosed + " disclosures"
                + String.format(java.util.Locale.ROOT, " (%.1f s)", (System.nanoTime() - start) / 1e9));
        return disclosed;
    }

    private static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, Object>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
