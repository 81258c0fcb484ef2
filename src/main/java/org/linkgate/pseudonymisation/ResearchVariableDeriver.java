package org.linkgate.pseudonymisation;

import java.time.LocalDate;
import java.time.Period;
import java.util.Locale;
import java.util.function.Function;
import org.linkgate.validation.UkPostcode;

/**
 * Derives research variables from a validated row and only then hashes identity (cl. 12.1:
 * derive first, e.g. age, then destroy identifiers by a one-way hash). Input is a row that
 * passed schema validation; output never contains a direct identifier.
 */
public final class ResearchVariableDeriver {

    private final Pseudonymiser pseudonymiser;
    private final String councilCode;
    private final String period;

    public ResearchVariableDeriver(Pseudonymiser pseudonymiser, String councilCode, String period) {
        this.pseudonymiser = pseudonymiser;
        this.councilCode = councilCode;
        this.period = period;
    }

    /** The result for one row: either derived values, or the one rule a valid row can still break. */
    public sealed interface Derivation permits Derived, Underivable {
    }

    public record Derived(ResearchRecord research, IdentityRecord identity) implements Derivation {
    }

    public record Underivable(String column, String rule) implements Derivation {
    }

    public Derivation derive(long rowNumber, Function<String, String> field) {
        LocalDate dateOfBirth = LocalDate.parse(field.apply("date_of_birth"));
        LocalDate identified = LocalDate.parse(field.apply("date_identified"));
        if (identified.isBefore(dateOfBirth)) {
            return new Underivable("date_identified", "not_before_date_of_birth");
        }
        for (String column : new String[] {"forename", "middle_names", "surname"}) {
            // A digit in a name is a keying error to correct, never silently stripped (normalisation v2).
            if (IdentityNormaliserV2.nameProblem(field.apply(column)).isPresent()) {
                return new Underivable(column, IdentityNormaliserV2.NO_DIGITS);
            }
        }
        int age = Period.between(dateOfBirth, identified).getYears();
        String sex = field.apply("sex").toUpperCase(Locale.ROOT);
        String forename = field.apply("forename");
        String surname = field.apply("surname");
        ResearchRecord research = new ResearchRecord(
                rowNumber,
                pseudonymiser.personId(forename, surname, dateOfBirth),
                pseudonymiser.familyId(councilCode, field.apply("family_ref")),
                pseudonymiser.personRefKey(councilCode, field.apply("person_ref")),
                councilCode,
                period,
                field.apply("cohort").toUpperCase(Locale.ROOT),
                sex,
                age,
                AgeBand.of(age),
                identified.toString().substring(0, 7),
                new ResearchRecord.ProblemFlags(
                        flag(field, "crime_asb"), flag(field, "education"), flag(field, "children_in_need"),
                        flag(field, "worklessness"), flag(field, "domestic_abuse"), flag(field, "health")),
                IdentityNormaliser.VERSION);
        IdentityRecord identity = new IdentityRecord(
                forename, field.apply("middle_names"), surname, dateOfBirth.toString(), sex,
                field.apply("address_line_1"), field.apply("address_line_2"), field.apply("town"),
                UkPostcode.normalise(field.apply("postcode")),
                upperOrNull(field.apply("nino")), digitsOrNull(field.apply("nhs_number")),
                upperOrNull(field.apply("upn")));
        return new Derived(research, identity);
    }

    private static int flag(Function<String, String> field, String column) {
        return "1".equals(field.apply(column)) ? 1 : 0;
    }

    private static String upperOrNull(String value) {
        return value == null || value.isBlank() ? null : value.replace(" ", "").toUpperCase(Locale.ROOT);
    }

    private static String digitsOrNull(String value) {
        return value == null || value.isBlank() ? null : value.replaceAll("[^0-9]", "");
    }
}
