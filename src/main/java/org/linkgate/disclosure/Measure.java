package org.linkgate.disclosure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The catalogue of outcome measures: each counts the people in its base who have at least one
 * accepted return row of one department's dataset meeting a condition on that row's declared
 * columns (see {@code schemas/returns/}). The base is everyone in the cohort, or, where a
 * department only receives part of it (DfE: ages 4–19; DWP: 16 and over), a parameterised SQL
 * predicate on the derived variables so people never sent are not counted as "no outcome".
 *
 * <p>Row conditions read the returned JSON in Java because H2 and PostgreSQL share no JSON
 * syntax; the department and dataset are matched in SQL as bound parameters.
 */
public enum Measure {
    ANY_OFFENCE("any_offence", "Any proven offence", "MOJ", "PNC", null, row -> true),
    CUSTODY("custody", "Any custodial episode", "MOJ", "PRISONS", null, row -> true),
    ANY_BENEFIT_SPELL("any_benefit_spell", "Any benefit spell (aged 16+)", "DWP", "WPLS",
            new Breakdown.SqlCondition("age_at_identification >= ?", List.of(16)), row -> true),
    PERSISTENT_ABSENCE("persistent_absence", "School absence of 10% or more (aged 4-19)", "DFE", "NPD",
            new Breakdown.SqlCondition("age_at_identification between ? and ?", List.of(4, 19)),
            Measure::persistentlyAbsent),
    HOSPITAL_ADMISSION("hospital_admission", "Any hospital admission", "HSCIC", "HES", null, row -> true),
    EMERGENCY_ADMISSION("emergency_admission", "Any emergency hospital admission", "HSCIC", "HES", null,
            row -> "EMERGENCY".equals(row.path("admission_method").asText())),
    DRUG_TREATMENT("drug_treatment", "Any drug or alcohol treatment", "PHE", "NDTMS", null, row -> true);

    /** Share of possible sessions missed at or above which absence is persistent (DfE's 10%). */
    public static final int PERSISTENT_ABSENCE_PERCENT = 10;

    private final String key;
    private final String title;
    private final String department;
    private final String dataset;
    private final Breakdown.SqlCondition base;
    private final Predicate<JsonNode> rowCondition;

    Measure(String key, String title, String department, String dataset, Breakdown.SqlCondition base,
            Predicate<JsonNode> rowCondition) {
        this.key = key;
        this.title = title;
        this.department = department;
        this.dataset = dataset;
        this.base = base;
        this.rowCondition = rowCondition;
    }

    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    public String department() {
        return department;
    }

    public String dataset() {
        return dataset;
    }

    /** The base restriction, if the department receives only part of the cohort. */
    public Optional<Breakdown.SqlCondition> base() {
        return Optional.ofNullable(base);
    }

    /** Whether one returned row of this measure's dataset counts as the outcome. */
    boolean counts(JsonNode row) {
        return rowCondition.test(row);
    }

    public static Optional<Measure> byKey(String key) {
        if (key == null) {
            return Optional.empty();
        }
        String wanted = key.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(m -> m.key.equals(wanted)).findFirst();
    }

    private static boolean persistentlyAbsent(JsonNode row) {
        long possible = row.path("sessions_possible").asLong(0);
        long absent = row.path("sessions_absent").asLong(0);
        return possible > 0 && absent * 100 >= PERSISTENT_ABSENCE_PERCENT * possible;
    }
}
