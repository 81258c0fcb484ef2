package org.linkgate.disclosure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.linkgate.agreement.Department.AgeFilter;

/**
 * The catalogue of outcome measures: each counts the people in its base who have at least one
 * accepted return row of one department's dataset meeting a condition on that row's declared
 * columns (see {@code schemas/returns/}). The base is the people the department was sent: its
 * configured filter ({@link MeasureBases}); the filter declared here (the demo departments') only
 * stands in where the department is not configured.
 *
 * <p>Row conditions read the returned JSON in Java because H2 and PostgreSQL share no JSON
 * syntax; the department and dataset are matched in SQL as bound parameters.
 */
public enum Measure {
    ANY_OFFENCE("any_offence", "Any proven offence (aged 10+)", "MOJ", "PNC", new AgeFilter(10, null), row -> true),
    CUSTODY("custody", "Any custodial episode (aged 10+)", "MOJ", "PRISONS", new AgeFilter(10, null), row -> true),
    ANY_BENEFIT_SPELL("any_benefit_spell", "Any benefit spell (aged 16+)", "DWP", "WPLS", new AgeFilter(16, null),
            row -> true),
    PERSISTENT_ABSENCE("persistent_absence", "School absence of 10% or more (aged 4-19)", "DFE", "NPD",
            new AgeFilter(4, 19), Measure::persistentlyAbsent),
    HOSPITAL_ADMISSION("hospital_admission", "Any hospital admission", "HSCIC", "HES", AgeFilter.EVERYONE, row -> true),
    EMERGENCY_ADMISSION("emergency_admission", "Any emergency hospital admission", "HSCIC", "HES", AgeFilter.EVERYONE,
            row -> "EMERGENCY".equals(row.path("admission_method").asText())),
    DRUG_TREATMENT("drug_treatment", "Any drug or alcohol treatment (aged 18+)", "PHE", "NDTMS", new AgeFilter(18, null),
            row -> true);

    /** Share of possible sessions missed at or above which absence is persistent (DfE's 10%). */
    public static final int PERSISTENT_ABSENCE_PERCENT = 10;

    private final String key;
    private final String title;
    private final String department;
    private final String dataset;
    private final AgeFilter declaredFilter;
    private final Predicate<JsonNode> rowCondition;

    Measure(String key, String title, String department, String dataset, AgeFilter declaredFilter,
            Predicate<JsonNode> rowCondition) {
        this.key = key;
        this.title = title;
        this.department = department;
        this.dataset = dataset;
        this.declaredFilter = declaredFilter;
        this.rowCondition = rowCondition;
    }

    /** The demo department's filter: the base where the department is not configured. */
    AgeFilter declaredFilter() {
        return declaredFilter;
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
