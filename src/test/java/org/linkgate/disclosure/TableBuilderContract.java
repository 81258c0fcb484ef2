package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The table builder against a real migrated database: counts per cell equal an independent
 * count over the generated people, and every table released passes the protection audit with
 * every small cell (and every rate on a small or suppressed base) withheld.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TableBuilderContract {

    static final String COUNCIL = "E10000012";
    static final String OTHER = "E10000013";
    static final String PERIOD = "2015-06";
    static final DisclosureRules RULES = DisclosureRules.agreementDefaults();
    static final Pattern ABSENCE = Pattern.compile("\"sessions_possible\":(\\d+),\"sessions_absent\":(\\d+)");

    LinkedDataFixture data;
    TableBuilder builder;

    abstract DataSource database();

    @BeforeAll
    void generate() {
        DataSource ds = database();
        data = new LinkedDataFixture(ds, 11);
        data.batch(COUNCIL, PERIOD, 420, "ACCEPTED");
        data.batch(COUNCIL, "2016-01", 60, "ACCEPTED");
        data.batch(OTHER, PERIOD, 40, "ACCEPTED");
        data.batch(COUNCIL, PERIOD, 50, "REJECTED");
        // a rejected return claiming an offence for the first ten people of the council
        data.rejectedReturn("MOJ", "PNC", "{\"offence_date\":\"2015-01-02\",\"offence_group\":\"THEFT\",\"disposal\":\"FINE\"}", 10);
        builder = new TableBuilder(ds);
    }

    @Test
    void countsPeopleOncePerCellByCohortAndAgeBand() {
        TableSpec spec = new TableSpec(TableSpec.Scope.of(COUNCIL, PERIOD), Measure.ANY_OFFENCE, List.of(Breakdown.AGE_BAND));
        FrequencyTable table = builder.count(List.of(spec)).get(spec);
        // MOJ is sent ages 10 and over only: younger people are in no offending base
        Map<List<String>, Long> expected = expected(p -> p.council().equals(COUNCIL) && p.period().equals(PERIOD),
                p -> p.age() >= 10, this::anyOffence, p -> List.of(p.ageBand()));
        assertInterior(table, expected);
        assertThat(table.count("Total", "Total", "Total")).isLessThan(420).isPositive();
        assertThat(table.count("Total", "0-4", "Total")).isZero();
        // people with several offence rows are counted once: the "yes" total is people, not rows
        long rows = data.people.stream().filter(p -> p.council().equals(COUNCIL) && p.period().equals(PERIOD))
                .mapToLong(p -> p.returns().stream().filter(r -> r[1].equals("PNC")).count()).sum();
        assertThat(table.count("Total", "Total", "yes")).isLessThan(rows);
    }

    @Test
    void baseAndRowConditionsOfTheCatalogue() {
        TableSpec absence = new TableSpec(TableSpec.Scope.of(COUNCIL, PERIOD), Measure.PERSISTENT_ABSENCE, List.of(Breakdown.SEX));
        TableSpec emergency = new TableSpec(TableSpec.Scope.of(COUNCIL, PERIOD), Measure.EMERGENCY_ADMISSION, List.of());
        Map<TableSpec, FrequencyTable> tables = builder.count(List.of(absence, emergency));
        Predicate<LinkedDataFixture.Person> scope = p -> p.council().equals(COUNCIL) && p.period().equals(PERIOD);
        assertInterior(tables.get(absence), expected(scope, p -> p.age() >= 4 && p.age() <= 19,
                this::persistentlyAbsent, p -> List.of(p.sex())));
        assertInterior(tables.get(emergency), expected(scope, p -> true,
                p -> p.returns().stream().anyMatch(r -> r[1].equals("HES") && r[2].contains("EMERGENCY")), p -> List.of()));
        // the base really is restricted: fewer people than the council's batch
        assertThat(tables.get(absence).count("Total", "Total", "Total")).isLessThan(420).isPositive();
    }

    @Test
    void filtersAndTwoBreakdowns() {
        TableSpec spec = new TableSpec(new TableSpec.Scope(COUNCIL, null, Map.of(Breakdown.SEX, "F")),
                Measure.ANY_BENEFIT_SPELL, List.of(Breakdown.PROBLEMS, Breakdown.CRIME_ASB));
        FrequencyTable table = builder.count(List.of(spec)).get(spec);
        assertInterior(table, expected(p -> p.council().equals(COUNCIL) && p.sex().equals("F"), p -> p.age() >= 16,
                p -> p.returns().stream().anyMatch(r -> r[1].equals("WPLS")),
                p -> List.of(band(p.problemCount()) + " / " + (p.flags()[0] == 1 ? "yes" : "no"))));
    }

    @Test
    void everyReleasedTableIsProtectedAndPassesTheAudit() {
        List<TableSpec> specs = new ArrayList<>();
        for (Measure m : List.of(Measure.ANY_OFFENCE, Measure.EMERGENCY_ADMISSION)) {
            for (List<Breakdown> b : List.of(List.<Breakdown>of(), List.of(Breakdown.AGE_BAND), List.of(Breakdown.SEX),
                    List.of(Breakdown.PROBLEMS))) {
                specs.add(new TableSpec(TableSpec.Scope.of(OTHER, PERIOD), m, b));
                specs.add(new TableSpec(TableSpec.Scope.of(COUNCIL, PERIOD), m, b));
            }
        }
        Map<TableSpec, FrequencyTable> counts = new HashMap<>(builder.count(specs.stream()
                .filter(s -> s.scope().council().equals(COUNCIL)).toList()));
        counts.putAll(builder.count(specs.stream().filter(s -> s.scope().council().equals(OTHER)).toList()));
        int suppressed = 0;
        for (TableSpec spec : specs) {
            OutcomeTable table = OutcomeTable.protect(spec, counts.get(spec), RULES);
            if (table.refused()) {
                assertThat(table.refusedBecause()).as(spec.name()).contains("would be withheld");
                continue;
            }
            SafeTable safe = table.safeTable();
            assertThat(new ProtectionAudit(RULES).audit(safe).passed()).as(spec.name()).isTrue();
            FrequencyTable raw = counts.get(spec);
            for (CellKey cell : raw.cells()) {
                if (RULES.isSensitive(raw.count(cell))) {
                    assertThat(safe.cell(cell).isSuppressed()).as(spec.name() + " " + cell).isTrue();
                }
            }
            for (OutcomeTable.Row row : table.rows()) {
                boolean smallBase = row.persons().equals(SafeCell.SUPPRESSED_SYMBOL)
                        || Long.parseLong(row.persons()) <= RULES.threshold();
                if (smallBase || row.withOutcome().equals(SafeCell.SUPPRESSED_SYMBOL)) {
                    assertThat(row.percent()).as(spec.name() + " " + row).isEqualTo(SafeCell.SUPPRESSED_SYMBOL);
                } else {
                    assertThat(row.percentValue().getAsDouble()).isCloseTo(
                            100.0 * Long.parseLong(row.withOutcome()) / Long.parseLong(row.persons()),
                            org.assertj.core.data.Offset.offset(1e-9));
                }
            }
            suppressed += table.suppressedCount();
        }
        assertThat(suppressed).as("the data has small cells to suppress").isPositive();
    }

    @Test
    void tablesReleasedTogetherShowEachSharedCellAlike() {
        // a pack is one model: a cohort's with-outcome total appears in all four tables of a
        // measure and is published in all (the same figure) or withheld in all
        for (String council : List.of(COUNCIL, OTHER)) {
            List<OutcomeTable> tables = builder.buildAll(FeedbackPacks.standardTables(council, PERIOD), RULES);
            for (Measure measure : Measure.values()) {
                Map<List<String>, java.util.Set<String>> shown = new HashMap<>();
                for (OutcomeTable t : tables) {
                    if (t.spec().measure() != measure || t.refused()) {
                        continue;
                    }
                    assertThat(t.safeTable().audit().passed()).as(council + " " + t.spec().name()).isTrue();
                    for (OutcomeTable.Row row : t.rows()) {
                        if (row.category() == null || "Total".equals(row.category())) {
                            shown.computeIfAbsent(List.of(row.cohort()), k -> new java.util.HashSet<>()).add(row.withOutcome());
                        }
                    }
                }
                shown.forEach((cohort, values) -> assertThat(values).as(council + " " + measure + " " + cohort).hasSize(1));
            }
        }
    }

    @Test
    void aPersonsCellWithheldInOneMeasuresTableIsWithheldInEveryTableCountingTheSamePeople() {
        // The small council: custody and drug treatment have (almost) no outcomes there, so their
        // tables withhold persons cells as complements that any_offence's tables would publish;
        // the persons cells count the same people in every measure with the whole cohort as base.
        int sharedAndWithheld = 0;
        List<OutcomeTable> tables = new ArrayList<>(builder.buildAll(FeedbackPacks.standardTables(OTHER, PERIOD), RULES));
        tables.addAll(builder.buildAll(FeedbackPacks.standardTables(COUNCIL, PERIOD), RULES));
        Map<List<Object>, java.util.Set<Boolean>> shownByCell = new HashMap<>();
        Map<List<Object>, Integer> tablesByCell = new HashMap<>();
        for (OutcomeTable t : tables) {
            if (t.refused()) {
                continue;
            }
            t.baseCells(MeasureBases.declared()).forEach((identity, cell) -> {
                shownByCell.computeIfAbsent(identity, k -> new java.util.HashSet<>())
                        .add(!t.safeTable().suppressions().containsKey(cell));
                tablesByCell.merge(identity, 1, Integer::sum);
            });
        }
        for (Map.Entry<List<Object>, java.util.Set<Boolean>> e : shownByCell.entrySet()) {
            assertThat(e.getValue()).as("persons cell %s published in one table, withheld in another", e.getKey())
                    .hasSize(1);
            if (e.getValue().contains(false) && tablesByCell.get(e.getKey()) > 1) {
                sharedAndWithheld++;
            }
        }
        assertThat(sharedAndWithheld).as("the data has persons cells withheld in several tables").isPositive();
        // and every table still passes its own audit
        tables.stream().filter(t -> !t.refused()).forEach(t -> assertThat(t.safeTable().audit().passed()).isTrue());
        // the same people, whichever measure's base: the cohort total of any_offence is the
        // cohort total of hospital admission; DfE's 11-15 band is everyone aged 11-15
        MeasureBases bases = MeasureBases.declared();
        assertThat(bases.identity(Measure.PERSISTENT_ABSENCE, org.linkgate.pseudonymisation.AgeBand.B11_15))
                .isEqualTo(bases.identity(Measure.HOSPITAL_ADMISSION, null)).isEqualTo("all");
        assertThat(bases.identity(Measure.PERSISTENT_ABSENCE, null)).isNotEqualTo("all");
        assertThat(bases.identity(Measure.ANY_BENEFIT_SPELL, org.linkgate.pseudonymisation.AgeBand.B18_24)).isEqualTo("all");
        assertThat(bases.identity(Measure.ANY_BENEFIT_SPELL, org.linkgate.pseudonymisation.AgeBand.B11_15)).isEqualTo("none");
        assertThat(bases.excludes(Measure.ANY_OFFENCE, org.linkgate.pseudonymisation.AgeBand.B0_4)).isTrue();
        assertThat(bases.excludes(Measure.ANY_OFFENCE, org.linkgate.pseudonymisation.AgeBand.B5_10)).isFalse();
    }

    @Test
    void theSmallCouncilTableIsMostlyWithheldButNotRecoverable() {
        OutcomeTable table = builder.build(new TableSpec(TableSpec.Scope.of(OTHER, PERIOD), Measure.CUSTODY,
                List.of(Breakdown.AGE_BAND)), RULES);
        // nobody has a custody return: every "with outcome" cell is zero, and zeros are disclosive
        assertThat(table.rows()).allSatisfy(r -> assertThat(r.withOutcome()).isEqualTo(SafeCell.SUPPRESSED_SYMBOL));
        assertThat(table.csvRecords().get(0)).containsExactly("council", "period", "measure", "cohort", "age_band",
                "persons", "with_outcome", "percent_with_outcome");
        assertThat(table.toJson().toString()).doesNotContain(data.people.get(0).pseudoId());
    }

    @Test
    void requestValuesOutsideTheWhitelistAreRefused() {
        assertThatThrownBy(() -> new TableSpec.Scope(COUNCIL, PERIOD, Map.of(Breakdown.SEX, "F' or '1'='1")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableSpec.Scope.of("E1; drop table x", PERIOD)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TableSpec.Scope.of(COUNCIL, "2015-6")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Measure.byKey("any_offence or 1=1")).isEmpty();
        assertThat(Breakdown.byKey("pseudo_id")).isEmpty();
        assertThatThrownBy(() -> new TableSpec(TableSpec.Scope.of(COUNCIL, PERIOD), Measure.CUSTODY,
                List.of(Breakdown.SEX, Breakdown.AGE_BAND, Breakdown.HEALTH))).isInstanceOf(IllegalArgumentException.class);
    }

    private boolean anyOffence(LinkedDataFixture.Person p) {
        return p.returns().stream().anyMatch(r -> r[0].equals("MOJ") && r[1].equals("PNC"));
    }

    private boolean persistentlyAbsent(LinkedDataFixture.Person p) {
        for (String[] r : p.returns()) {
            Matcher m = ABSENCE.matcher(r[2]);
            if (r[1].equals("NPD") && m.find()) {
                double share = Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(1));
                if (share >= 0.10) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String band(int problems) {
        return problems <= 1 ? "0-1" : problems == 2 ? "2" : problems == 3 ? "3" : "4-6";
    }

    /** Cohort × breakdown × outcome counted over the generated people. */
    private Map<List<String>, Long> expected(Predicate<LinkedDataFixture.Person> scope,
                                             Predicate<LinkedDataFixture.Person> base,
                                             Predicate<LinkedDataFixture.Person> outcome,
                                             Function<LinkedDataFixture.Person, List<String>> breakdown) {
        Map<List<String>, Long> counts = new HashMap<>();
        for (LinkedDataFixture.Person p : data.people) {
            if (!scope.test(p) || !base.test(p)) {
                continue;
            }
            List<String> key = new ArrayList<>();
            key.add(p.cohort().equals("TREATMENT") ? "Treatment" : "Comparison");
            key.addAll(breakdown.apply(p));
            key.add(outcome.test(p) ? "yes" : "no");
            counts.merge(key, 1L, Long::sum);
        }
        return counts;
    }

    private static void assertInterior(FrequencyTable table, Map<List<String>, Long> expected) {
        long total = 0;
        for (CellKey cell : table.interiorCells()) {
            List<String> labels = table.labels(cell);
            assertThat(table.count(cell)).as(labels.toString()).isEqualTo(expected.getOrDefault(labels, 0L));
            total += table.count(cell);
        }
        assertThat(total).isEqualTo(expected.values().stream().mapToLong(Long::longValue).sum()).isPositive();
    }
}
