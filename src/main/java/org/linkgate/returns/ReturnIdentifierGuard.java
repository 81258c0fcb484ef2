package org.linkgate.returns;

import java.text.Normalizer;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.linkgate.pseudonymisation.IdentityNormaliser;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.validation.NationalInsuranceNumber;
import org.linkgate.validation.NhsNumber;
import org.linkgate.validation.UkPostcode;
import org.linkgate.validation.UniquePupilNumber;

/**
 * Refuses direct identifiers in a department's return (CONTRACT "Return from a department"):
 * a header naming one ({@link GuardFinding#IDENTIFIER_COLUMN}), or a value in any column shaped
 * like a NINO, a valid NHS number, a UPN with a valid check letter or a full UK postcode, or
 * equal to the person's own forename, surname, date of birth, postcode or address line as the
 * gateway sent them ({@link GuardFinding#IDENTIFIER_VALUE}). Findings name the row, a safe column
 * label and the rule, never the value. Thread-safe if its {@link IdentityLookup} is.
 *
 * <p>Name and address comparisons ignore values whose normalised form is shorter than 2
 * (names) or 4 (address lines) characters, so a one-letter code never matches an initial.
 */
public final class ReturnIdentifierGuard {

    /** Headers that name a direct identifier, after {@link #normaliseHeader}. */
    private static final Set<String> IDENTIFIER_HEADERS = Set.of(
            "forename", "forenames", "first_name", "firstname", "given_name", "given_names", "christian_name",
            "surname", "last_name", "lastname", "family_name", "maiden_name", "previous_surname",
            "name", "full_name", "fullname", "person_name", "middle_name", "middle_names", "initials", "initial",
            "date_of_birth", "dateofbirth", "dob", "birth_date", "birthdate", "d_o_b",
            "address", "street", "street_name", "house_number", "house_name", "town", "city", "locality",
            "postcode", "post_code", "postal_code", "zip", "zip_code", "zipcode",
            "nino", "ni_number", "ni_no", "nino_number", "national_insurance_number", "national_insurance_no",
            "nhs_number", "nhs_no", "nhsno", "nhsnumber", "nhs_num",
            "upn", "unique_pupil_number", "pupil_number",
            "email", "email_address", "phone", "phone_number", "telephone", "mobile");

    /** Identifiers also recognised as the end of a longer header ({@code child_surname}, {@code mother_dob}). */
    private static final Set<String> IDENTIFIER_SUFFIXES = Set.of(
            "forename", "first_name", "given_name", "surname", "last_name", "family_name", "full_name",
            "middle_names", "date_of_birth", "dob", "birth_date", "postcode", "post_code", "nino", "ni_number",
            "national_insurance_number", "nhs_number", "nhs_no", "upn", "unique_pupil_number", "email");

    private static final Pattern CAMEL_BOUNDARY = Pattern.compile("(?<=[a-z0-9])(?=[A-Z])");
    private static final Pattern NOT_ALNUM = Pattern.compile("[^a-z0-9]+");
    private static final Pattern NOT_ALNUM_UPPER = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final List<DateTimeFormatter> DATE_FORMS = List.of(
            DateTimeFormatter.ofPattern("uuuu-MM-dd"), DateTimeFormatter.ofPattern("dd/MM/uuuu"),
            DateTimeFormatter.ofPattern("d/M/uuuu"), DateTimeFormatter.ofPattern("dd-MM-uuuu"),
            DateTimeFormatter.ofPattern("dd.MM.uuuu"), DateTimeFormatter.ofPattern("uuuuMMdd"),
            DateTimeFormatter.ofPattern("uuuu/MM/dd"))
            .stream().map(f -> f.withResolverStyle(ResolverStyle.STRICT)).toList();
    private static final int MIN_NAME = 2;
    private static final int MIN_ADDRESS = 4;
    /** Longest value worth comparing; longer text is checked for shapes only. */
    private static final int MAX_COMPARED = 512;

    private final IdentityLookup lookup;

    public ReturnIdentifierGuard(IdentityLookup lookup) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
    }

    /**
     * The identifier a header names, from this guard's own list (so safe to report), e.g.
     * {@code "dob"} for {@code "DOB"} or {@code "surname"} for {@code "Child Surname"}.
     */
    public static Optional<String> identifierNamed(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String normalised = normaliseHeader(header);
        if (normalised.isEmpty()) {
            return Optional.empty();
        }
        if (IDENTIFIER_HEADERS.contains(normalised)) {
            return Optional.of(normalised);
        }
        String compact = normalised.replace("_", "");
        for (String alias : IDENTIFIER_HEADERS) {
            if (alias.replace("_", "").equals(compact) && compact.length() >= 3) {
                return Optional.of(alias);
            }
        }
        if (normalised.startsWith("address") || normalised.startsWith("addr_")) {
            return Optional.of("address");
        }
        for (int i = normalised.indexOf('_'); i >= 0; i = normalised.indexOf('_', i + 1)) {
            String suffix = normalised.substring(i + 1);
            if (IDENTIFIER_SUFFIXES.contains(suffix)) {
                return Optional.of(suffix);
            }
            if (suffix.startsWith("address")) {
                return Optional.of("address");
            }
        }
        return Optional.empty();
    }

    /**
     * Checks the header row (row 1): a cell naming an identifier is {@code identifier_column}
     * (labelled with the identifier's name), a cell shaped like an identifier is
     * {@code identifier_value} (a file sent without its header row).
     */
    public List<GuardFinding> checkHeader(List<String> header) {
        List<GuardFinding> findings = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            String cell = header.get(i);
            Optional<String> named = identifierNamed(cell);
            if (named.isPresent()) {
                findings.add(new GuardFinding(1, named.get(), GuardFinding.IDENTIFIER_COLUMN));
            } else if (cell != null && shapedLikeIdentifier(cell.strip())) {
                findings.add(new GuardFinding(1, "#" + (i + 1), GuardFinding.IDENTIFIER_VALUE));
            }
        }
        return findings;
    }

    /**
     * Checks one data row: every value, whatever its column, against identifier shapes and, when
     * {@code departmentToken} is known to the lookup, against that person's identity.
     *
     * @param labels safe column labels, one per position (see {@link GuardFinding})
     * @param values the row's values by position; null or blank for none
     */
    public List<GuardFinding> checkRow(long row, List<String> labels, List<String> values, String departmentToken) {
        if (labels.size() < values.size()) {
            throw new IllegalArgumentException("a label is needed for every value");
        }
        Optional<Person> person = departmentToken == null ? Optional.empty()
                : lookup.identityOf(departmentToken).map(Person::of);
        List<GuardFinding> findings = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i) == null ? "" : values.get(i).strip();
            if (value.isEmpty()) {
                continue;
            }
            if (shapedLikeIdentifier(value) || person.map(p -> p.matches(value)).orElse(false)) {
                findings.add(new GuardFinding(row, labels.get(i), GuardFinding.IDENTIFIER_VALUE));
            }
        }
        return findings;
    }

    /** A NINO, a valid NHS number, a UPN with a valid check letter or a full UK postcode. */
    static boolean shapedLikeIdentifier(String value) {
        if (value.isEmpty() || value.length() > 32) {
            return false;
        }
        return NationalInsuranceNumber.isValid(value) || NhsNumber.isValid(value)
                || UniquePupilNumber.isValid(value) || UkPostcode.isValid(value);
    }

    /** Lower case, camelCase split, every run of other characters one {@code _}, trimmed of {@code _}. */
    static String normaliseHeader(String header) {
        String folded = COMBINING_MARKS.matcher(Normalizer.normalize(header.strip(), Normalizer.Form.NFKD))
                .replaceAll("");
        String split = CAMEL_BOUNDARY.matcher(folded).replaceAll("_").toLowerCase(Locale.ROOT);
        String underscored = NOT_ALNUM.matcher(split).replaceAll("_");
        int start = 0;
        int end = underscored.length();
        while (start < end && underscored.charAt(start) == '_') {
            start++;
        }
        while (end > start && underscored.charAt(end - 1) == '_') {
            end--;
        }
        return underscored.substring(start, end);
    }

    /** The normalised identity of one person, computed once per row. */
    private record Person(Set<String> names, LocalDate dateOfBirth, String postcode, Set<String> addressLines) {

        static Person of(IdentityRecord identity) {
            Set<String> names = new java.util.HashSet<>();
            String forename = identity.forename() == null ? "" : IdentityNormaliser.forename(identity.forename());
            String plainForename = identity.forename() == null ? "" : IdentityNormaliser.name(identity.forename());
            String surname = identity.surname() == null ? "" : IdentityNormaliser.name(identity.surname());
            for (String n : List.of(forename, plainForename, surname, forename + surname, surname + forename)) {
                if (n.length() >= MIN_NAME) {
                    names.add(n);
                }
            }
            LocalDate dob = parseDate(identity.dateOfBirth()).orElse(null);
            String postcode = identity.postcode() != null && UkPostcode.isValid(identity.postcode())
                    ? UkPostcode.normalise(identity.postcode()) : null;
            Set<String> lines = new java.util.HashSet<>();
            for (String line : new String[] {identity.addressLine1(), identity.addressLine2()}) {
                if (line != null) {
                    String a = address(line);
                    if (a.length() >= MIN_ADDRESS) {
                        lines.add(a);
                    }
                }
            }
            return new Person(Set.copyOf(names), dob, postcode, Set.copyOf(lines));
        }

        boolean matches(String value) {
            if (value.length() > MAX_COMPARED) {
                return false;
            }
            if (!names.isEmpty() && (names.contains(IdentityNormaliser.name(value))
                    || names.contains(IdentityNormaliser.forename(value)))) {
                return true;
            }
            if (dateOfBirth != null && parseDate(value).filter(dateOfBirth::equals).isPresent()) {
                return true;
            }
            if (postcode != null && UkPostcode.isValid(value) && postcode.equals(UkPostcode.normalise(value))) {
                return true;
            }
            return !addressLines.isEmpty() && addressLines.contains(address(value));
        }

        private static String address(String raw) {
            String folded = COMBINING_MARKS.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKD)).replaceAll("");
            return NOT_ALNUM_UPPER.matcher(folded.toUpperCase(Locale.ROOT)).replaceAll("");
        }
    }

    /** A date in ISO or a common day-first form; a date-time's date part counts too. */
    static Optional<LocalDate> parseDate(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String value = raw.strip();
        if (value.length() > 10 && (value.charAt(10) == 'T' || value.charAt(10) == ' ')) {
            value = value.substring(0, 10);
        }
        if (value.length() < 8 || value.length() > 10) {
            return Optional.empty();
        }
        for (DateTimeFormatter form : DATE_FORMS) {
            try {
                return Optional.of(LocalDate.parse(value, form));
            } catch (DateTimeParseException e) {
                // Not this form; try the next.
            }
        }
        return Optional.empty();
    }
}
