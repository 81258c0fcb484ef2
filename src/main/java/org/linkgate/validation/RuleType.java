package org.linkgate.validation;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The closed set of rule names a dataset schema may use. A schema naming any other rule
 * fails to load, so a typo can never silently switch a check off.
 */
public enum RuleType {
    /** Unicode letters, combining marks, spaces, {@code '} and {@code -}; at least one letter. */
    LETTERS_SPACES_APOSTROPHE_HYPHEN("letters_spaces_apostrophe_hyphen", Arguments.NONE),
    /** A calendar date written {@code YYYY-MM-DD}. */
    ISO_DATE("iso_date", Arguments.NONE),
    /** A date no later than today in the validator's clock; needs {@code iso_date}. */
    NOT_IN_FUTURE("not_in_future", Arguments.NONE),
    /** A date on or after the one argument ({@code YYYY-MM-DD}); needs {@code iso_date}. */
    NOT_BEFORE("not_before", Arguments.ONE_DATE),
    /** One of the listed values, compared case-insensitively. */
    ONE_OF("one_of", Arguments.VALUES),
    /** A UK postcode in any case or spacing, see {@link UkPostcode}. */
    UK_POSTCODE("uk_postcode", Arguments.NONE),
    /** A National Insurance number, see {@link NationalInsuranceNumber}. */
    NINO("nino", Arguments.NONE),
    /** An NHS number, see {@link NhsNumber}. */
    NHS_NUMBER("nhs_number", Arguments.NONE),
    /** A Unique Pupil Number, see {@link UniquePupilNumber}. */
    UPN("upn", Arguments.NONE),
    /** {@code 0} or {@code 1}. */
    FLAG("flag", Arguments.NONE),
    /**
     * A whole number in plain decimal ({@code -12}, {@code 0}, {@code 365}; no sign on zero
     * needed, no {@code +}, no separators, no leading zeros). Optional arguments
     * {@code [min, max]} bound it inclusively; {@code *} leaves a bound open.
     */
    INTEGER("integer", Arguments.OPTIONAL_RANGE),
    /**
     * The whole value matches the one argument, a Java regular expression (e.g.
     * {@code pattern: '[0-9a-f]{64}'}). Case-sensitive; the expression is checked when the
     * schema loads. Schemas are trusted configuration, so the expression is not sandboxed.
     */
    PATTERN("pattern", Arguments.ONE_REGEX),
    /**
     * Unique within the file. Not checked by {@link RowValidator}: doing so would need
     * every value in memory; the caller enforces it (see {@link DatasetSchema#uniqueColumns()}).
     */
    UNIQUE("unique", Arguments.NONE);

    /** What arguments a rule takes. */
    enum Arguments { NONE, ONE_DATE, VALUES, OPTIONAL_RANGE, ONE_REGEX }

    private final String schemaName;
    private final Arguments arguments;

    RuleType(String schemaName, Arguments arguments) {
        this.schemaName = schemaName;
        this.arguments = arguments;
    }

    /** The name used in schema files and reported in {@link RowProblem#rule()}. */
    public String schemaName() {
        return schemaName;
    }

    /** The rule type with this schema name, if any. */
    public static Optional<RuleType> fromSchemaName(String name) {
        return Arrays.stream(values()).filter(t -> t.schemaName.equals(name)).findFirst();
    }

    /**
     * An inclusive bound of {@code integer}: a whole number, or {@code *} (open) as null.
     *
     * @throws IllegalArgumentException if the bound is neither
     */
    static Long bound(String arg) {
        if (arg.equals("*")) {
            return null;
        }
        try {
            return Long.parseLong(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rule 'integer' bounds must be whole numbers or '*'", e);
        }
    }

    /**
     * Checks the arguments given to this rule in a schema.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    void checkArguments(List<String> args) {
        switch (arguments) {
            case NONE -> {
                if (!args.isEmpty()) {
                    throw new IllegalArgumentException("rule '" + schemaName + "' takes no arguments");
                }
            }
            case ONE_DATE -> {
                if (args.size() != 1) {
                    throw new IllegalArgumentException("rule '" + schemaName + "' takes one date argument");
                }
                try {
                    LocalDate.parse(args.get(0));
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException(
                            "rule '" + schemaName + "' needs a YYYY-MM-DD date argument", e);
                }
            }
            case OPTIONAL_RANGE -> {
                if (!args.isEmpty() && args.size() != 2) {
                    throw new IllegalArgumentException("rule '" + schemaName + "' takes no arguments or [min, max]");
                }
                if (args.size() == 2) {
                    Long min = bound(args.get(0));
                    Long max = bound(args.get(1));
                    if (min != null && max != null && min > max) {
                        throw new IllegalArgumentException("rule '" + schemaName + "' has min greater than max");
                    }
                }
            }
            case ONE_REGEX -> {
                if (args.size() != 1) {
                    throw new IllegalArgumentException("rule '" + schemaName + "' takes one regular expression");
                }
                try {
                    Pattern.compile(args.get(0));
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("rule '" + schemaName + "' has an invalid regular expression", e);
                }
            }
            case VALUES -> {
                if (args.isEmpty() || args.stream().anyMatch(String::isBlank)) {
                    throw new IllegalArgumentException(
                            "rule '" + schemaName + "' needs a non-empty list of non-blank values");
                }
            }
        }
    }
}
