package org.linkgate.disclosure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.linkgate.pseudonymisation.AgeBand;

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
            16, Integer.MAX_VALUE, row -> true),
    PERSISTENT_ABSENCE("persistent_absence", "School absence of 10% or more (aged 4-19)", "DFE", "NPD",
            4, 19, Measure::persistentlyAbsent),
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

    /** Ages (at identification) of the base, inclusive; 0..MAX_VALUE for everyone. */
    private final int baseFromAge;
    private final int baseToAge;

    Measure(String key, String title, String department, String dataset, Breakdown.SqlCondition base,
            Predicate<JsonNode> rowCondition) {
        this.key = key;
        this.title = title;
        this.department = department;
        this.dataset = dataset;
        this.base = base;
        this.rowCondition = rowCondition;
        this.baseFromAge = 0;
        this.baseToAge = Integer.MAX_VALUE;
    }

    /** A measure whose base is the people aged {@code fromAge..toAge} at identification. */
    Measure(String key, String title, String department, String dataset, int fromAge, int toAge,
            Predicate<JsonNode> rowCondition) {
        this.key = key;
        this.title = title;
        this.department = department;
        this.dataset = dataset;
        this.base = toAge == Integer.MAX_VALUE
                ? new Breakdown.SqlCondition("age_at_identification >= ?", List.of(fromAge))
                : new Breakdown.SqlCondition("age_at_identification between ? and ?", List.of(fromAge, toAge));
        this.rowCondition = rowCondition;
        this.baseFromAge = fromAge;
        this.baseToAge = toAge;
    }

    /**
     * Which set of people this measure's base is, within an age range already fixed by a cell's
     * or filter's age band ({@code null}: none): {@code "all"} when the base restriction removes
     * nobody there (the base is the whole cohort, as for every unrestricted measure), {@code "none"}
     * when it removes everybody, else the restriction itself. Base ("persons") cells of different
     * measures with the same answer, scope, cohort and categories count the same people.
     */
    String baseIdentity(AgeBand band) {
        int from = band == null ? 0 : band.from();
        int to = band == null ? Integer.MAX_VALUE : band.to();
        if (baseFromAge <= from && to <= baseToAge) {
            return "all";
        }
        if (to < baseFromAge || from > baseToAge) {
            return "none";
        }
        return "ages " + baseFromAge + ".." + baseToAge;
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
