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
import org.linkgate.fanout.MatchFieldValues;
import org.linkgate.pseudonymisation.IdentityNormaliser;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.validation.IdentifierShapes;
import org.linkgate.validation.UkPostcode;

/**
 * Refuses direct identifiers in a department's return (CONTRACT "Return from a department"):
 * a header naming one ({@link GuardFinding#IDENTIFIER_COLUMN}), or a value in any column that
 * holds, anywhere in it, something shaped like a NINO, a valid NHS number, a UPN, a full UK
 * postcode or an e-mail address ({@link IdentifierShapes}: "Lives at SW1A 1AA" is caught), or that
 * equals one of the person's identifiers AS THIS DEPARTMENT WAS SENT THEM — only the fields of its
 * extract ({@code matchFields}), never the rest of the identity, so the guard's answers cannot tell
 * a department whether a guess at a field it was never sent (a surname, an address) is right.
 * Findings name a safe column label and the rule, never the value or the row. Thread-safe if its
 * {@link IdentityLookup} is.
 *
 * <p>Name and address comparisons ignore values whose normalised form is shorter than 2
 * (names, initials) or 4 (address lines) characters, so a one-letter code never matches.
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
    private final Set<String> sentFields;

    /** @param sentFields the fields this department's extracts carry ({@code Department.matchFields()}) */
    public ReturnIdentifierGuard(IdentityLookup lookup, List<String> sentFields) {
        this.lookup = Objects.requireNonNull(lookup, "lookup");
        this.sentFields = Set.copyOf(sentFields);
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
                findings.add(new GuardFinding(named.get(), GuardFinding.IDENTIFIER_COLUMN));
            } else if (cell != null && !IdentifierShapes.find(cell).isEmpty()) {
                findings.add(new GuardFinding("#" + (i + 1), GuardFinding.IDENTIFIER_VALUE));
            }
        }
        return findings;
    }

    /**
     * Checks one data row: every value, whatever its column, for identifier shapes inside it and,
     * when {@code departmentToken} is known to the lookup, against what was sent for that person.
     * In a column declared {@code integer} a ten-digit number is a count or an id of the
     * department's, not an NHS number (one random number in eleven passes its check digit).
     *
     * @param labels   safe column labels, one per position (see {@link GuardFinding})
     * @param values   the row's values by position; null or blank for none
     * @param integers per position, whether the dataset declares the column an integer
     */
    public List<GuardFinding> checkRow(List<String> labels, List<String> values, List<Boolean> integers,
                                       String departmentToken) {
        if (labels.size() < values.size() || integers.size() < values.size()) {
            throw new IllegalArgumentException("a label and a kind are needed for every value");
        }
        Optional<Person> person = departmentToken == null ? Optional.empty()
                : lookup.identityOf(departmentToken).map(identity -> Person.of(identity, sentFields));
        List<GuardFinding> findings = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i) == null ? "" : values.get(i).strip();
            if (value.isEmpty()) {
                continue;
            }
            Set<IdentifierShapes.Shape> shapes = IdentifierShapes.find(value);
            if (integers.get(i)) {
                shapes.remove(IdentifierShapes.Shape.NHS_NUMBER);
            }
            if (!shapes.isEmpty() || person.map(p -> p.matches(value)).orElse(false)) {
                findings.add(new GuardFinding(labels.get(i), GuardFinding.IDENTIFIER_VALUE));
            }
        }
        return findings;
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

    /** What was sent of one person, normalised, computed once per row. */
    private record Person(Set<String> names, LocalDate dateOfBirth, String postcode, Set<String> addressLines,
                          Set<String> numbers) {

        static Person of(IdentityRecord identity, Set<String> sent) {
            Set<String> names = new java.util.HashSet<>();
            boolean forenameSent = sent.contains("forename");
            boolean surnameSent = sent.contains("surname");
            String forename = !forenameSent || identity.forename() == null ? ""
                    : IdentityNormaliser.forename(identity.forename());
            String plainForename = !forenameSent || identity.forename() == null ? ""
                    : IdentityNormaliser.name(identity.forename());
            String surname = !surnameSent || identity.surname() == null ? "" : IdentityNormaliser.name(identity.surname());
            List<String> candidates = new ArrayList<>(List.of(forename, plainForename, surname));
            if (forenameSent && surnameSent) {
                candidates.addAll(List.of(forename + surname, surname + forename));
            }
            if (sent.contains("middle_names") && identity.middleNames() != null) {
                candidates.add(IdentityNormaliser.name(identity.middleNames()));
            }
            if (sent.contains("initials")) {
                candidates.add(IdentityNormaliser.name(MatchFieldValues.initials(identity.forename(), identity.surname())));
            }
            for (String n : candidates) {
                if (n.length() >= MIN_NAME) {
                    names.add(n);
                }
            }
            LocalDate dob = sent.contains("date_of_birth") ? parseDate(identity.dateOfBirth()).orElse(null) : null;
            String postcode = sent.contains("postcode") && identity.postcode() != null
                    && UkPostcode.isValid(identity.postcode()) ? UkPostcode.normalise(identity.postcode()) : null;
            Set<String> lines = new java.util.HashSet<>();
            addIfSent(lines, sent, "address_line_1", identity.addressLine1());
            addIfSent(lines, sent, "address_line_2", identity.addressLine2());
            addIfSent(lines, sent, "town", identity.town());
            Set<String> numbers = new java.util.HashSet<>();
            for (String[] field : new String[][] {{"nino", identity.nino()}, {"nhs_number", identity.nhsNumber()},
                    {"upn", identity.upn()}}) {
                if (sent.contains(field[0]) && field[1] != null && !field[1].isBlank()) {
                    numbers.add(compact(field[1]));
                }
            }
            return new Person(Set.copyOf(names), dob, postcode, Set.copyOf(lines), Set.copyOf(numbers));
        }

        private static void addIfSent(Set<String> lines, Set<String> sent, String field, String value) {
            if (sent.contains(field) && value != null) {
                String a = address(value);
                if (a.length() >= MIN_ADDRESS) {
                    lines.add(a);
                }
            }
        }

        private static String compact(String value) {
            return value.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
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
            if (!numbers.isEmpty() && numbers.contains(compact(value))) {
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
