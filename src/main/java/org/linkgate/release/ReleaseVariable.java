package org.linkgate.release;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The person-level research variables a release may carry: a closed list, so that nothing finer
 * than the agreement allows can be asked for by configuration. Age is released only as a band and
 * dates only as a month; the council's {@code person_ref} (and its keyed hash), exact age and the
 * linkage-store pseudo ids never are ({@link #REFUSED} says why, for the start-up error).
 *
 * <p>A quasi-identifier is a variable someone who knows the person could know too (age band, sex,
 * council, cohort, problem count, family size, and the six problem flags, whose sum is the problem
 * count): k-anonymity is checked over those that a release carries.
 */
public enum ReleaseVariable {
    COHORT("cohort", "cohort", true, "TREATMENT (in the programme) or COMPARISON"),
    SEX("sex", "sex", true, "M, F or U"),
    AGE_BAND("age_band", "age_band", true, "age at identification, banded (0-4, 5-10, 11-15, 16-17, 18-24,"
            + " 25-34, 35-49, 50-64, 65+; wider when generalised)"),
    COUNCIL("council_code", "council_code", true, "ONS GSS code of the council that identified the person"),
    FAMILY_SIZE("family_size", "family_size", true, "members of the family in the council's batch (top-coded when"
            + " generalised, e.g. 6+)"),
    PROBLEM_COUNT("problem_count", "problem_count", true, "number of the six headline problems (0-6; top-coded when"
            + " generalised, e.g. 4+)"),
    CRIME_ASB("crime_asb", "crime_asb", true, "1 if crime or anti-social behaviour, else 0"),
    EDUCATION("education", "education", true, "1 if education problem, else 0"),
    CHILDREN_IN_NEED("children_in_need", "children_in_need", true, "1 if children in need, else 0"),
    WORKLESSNESS("worklessness", "worklessness", true, "1 if worklessness, else 0"),
    DOMESTIC_ABUSE("domestic_abuse", "domestic_abuse", true, "1 if domestic abuse, else 0"),
    HEALTH("health", "health", true, "1 if health problem, else 0"),
    IDENTIFIED_MONTH("identified_month", "identified_month", false, "month the person was identified (YYYY-MM)"),
    PERIOD("period", "period", false, "period of the council batch (YYYY-MM)");

    /** Names that are never released, with the reason given when a specification asks for one. */
    public static final Map<String, String> REFUSED = Map.of(
            "person_ref", "a council's person_ref is never released",
            "person_ref_key", "a council's person_ref (or its keyed hash) is never released",
            "age_at_identification", "exact age is never released; use age_band",
            "age", "exact age is never released; use age_band",
            "date_of_birth", "a date of birth is never released",
            "date_identified", "dates are released as a month only; use identified_month",
            "pseudo_id", "linkage-store pseudo ids never leave the gateway; every release has its own release_pseudo_id",
            "family_pseudo_id", "linkage-store pseudo ids never leave the gateway",
            "family_ref", "a council's family_ref is never released");

    private final String key;
    private final String column;
    private final boolean quasiIdentifier;
    private final String description;

    ReleaseVariable(String key, String column, boolean quasiIdentifier, String description) {
        this.key = key;
        this.column = column;
        this.quasiIdentifier = quasiIdentifier;
        this.description = description;
    }

    /** The name in a release specification and the column name in {@code persons.csv}. */
    public String key() {
        return key;
    }

    /** The column of {@code research_person} it comes from (a fixed name, never from configuration). */
    String column() {
        return column;
    }

    public boolean quasiIdentifier() {
        return quasiIdentifier;
    }

    public String description() {
        return description;
    }

    public static Optional<ReleaseVariable> byKey(String key) {
        return Arrays.stream(values()).filter(v -> v.key.equals(key)).findFirst();
    }
}
