package org.linkgate.fanout;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.linkgate.agreement.Department;
import org.linkgate.pseudonymisation.IdentityRecord;

/**
 * The value of each identifying field an extract may carry ({@link Department#EXTRACTABLE_FIELDS}),
 * taken from an unsealed {@link IdentityRecord}; an absent value is the empty string. Fails with
 * {@link IllegalArgumentException} for any other field name, so a misconfigured department gets nothing.
 */
public final class MatchFieldValues {

    /**
     * Base letters of Latin letters that Unicode does not decompose (a stroke is not a combining
     * mark), so that initials are plain A-Z for the letters seen in UK names.
     */
    private static final Map<Integer, String> UNDECOMPOSED = Map.ofEntries(
            Map.entry((int) 'Ø', "O"), Map.entry((int) 'ø', "O"), Map.entry((int) 'Ł', "L"), Map.entry((int) 'ł', "L"),
            Map.entry((int) 'Đ', "D"), Map.entry((int) 'đ', "D"), Map.entry((int) 'Ħ', "H"), Map.entry((int) 'ħ', "H"),
            Map.entry((int) 'Ŧ', "T"), Map.entry((int) 'ŧ', "T"), Map.entry((int) 'ı', "I"), Map.entry((int) 'Æ', "A"),
            Map.entry((int) 'æ', "A"), Map.entry((int) 'Œ', "O"), Map.entry((int) 'œ', "O"), Map.entry((int) 'ß', "S"));

    private MatchFieldValues() {
    }

    /** Refuses a field list that names anything but an extractable field, or names one twice. */
    static void requireExtractable(List<String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("department has no match fields");
        }
        if (fields.stream().distinct().count() != fields.size()) {
            throw new IllegalArgumentException("department names a match field twice");
        }
        for (String field : fields) {
            if (!Department.EXTRACTABLE_FIELDS.contains(field)) {
                throw new IllegalArgumentException("'" + field + "' is not an extractable field");
            }
        }
    }

    /** The field's value for this person, never null. */
    public static String value(String field, IdentityRecord identity) {
        String value = switch (field) {
            case "forename" -> identity.forename();
            case "middle_names" -> identity.middleNames();
            case "surname" -> identity.surname();
            case "initials" -> initials(identity.forename(), identity.surname());
            case "date_of_birth" -> identity.dateOfBirth();
            case "sex" -> identity.sex();
            case "address_line_1" -> identity.addressLine1();
            case "address_line_2" -> identity.addressLine2();
            case "town" -> identity.town();
            case "postcode" -> identity.postcode();
            case "nino" -> identity.nino();
            case "nhs_number" -> identity.nhsNumber();
            case "upn" -> identity.upn();
            default -> throw new IllegalArgumentException("'" + field + "' is not an extractable field");
        };
        return value == null ? "" : value;
    }

    /**
     * First letter of the forename and first letter of the surname, upper case, accents removed:
     * "ZO" for Zoë O'Connor (leading apostrophes, hyphens and spaces are skipped). A missing name
     * contributes nothing.
     */
    public static String initials(String forename, String surname) {
        return firstLetter(forename) + firstLetter(surname);
    }

    private static String firstLetter(String name) {
        if (name == null) {
            return "";
        }
        // NFD splits "ë" into "e" and a combining diaeresis; the mark is not a letter, so it is skipped.
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD);
        for (int i = 0; i < decomposed.length(); ) {
            int codePoint = decomposed.codePointAt(i);
            if (Character.isLetter(codePoint)) {
                String letter = UNDECOMPOSED.getOrDefault(codePoint, new String(Character.toChars(codePoint)));
                return letter.toUpperCase(Locale.ROOT);
            }
            i += Character.charCount(codePoint);
        }
        return "";
    }
}
