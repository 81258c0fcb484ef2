package org.linkgate.validation;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * UK postcode format check and normalisation. Input may use any case and any spacing
 * (spaces, tabs, no-break spaces, or none); {@link #normalise} gives the canonical
 * {@code "OUTWARD INWARD"} upper-case form, e.g. {@code "cm11qh"} → {@code "CM1 1QH"}.
 *
 * <p>Checks the Royal Mail format (A9, A99, AA9, AA99, A9A, AA9A outward codes with the
 * positional letter restrictions, inward code 9AA without C, I, K, M, O, V) plus the
 * special {@code GIR 0AA}; it does not check that a postcode is allocated. Overseas
 * territory and BFPO codes are not accepted. Messages never contain the input.
 */
public final class UkPostcode {

    private static final Pattern CANONICAL_NO_SPACE = Pattern.compile(
            "(?:GIR0AA"
            + "|(?:[A-PR-UWYZ][0-9][0-9]?"                 // A9, A99
            + "|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?"            // AA9, AA99
            + "|[A-PR-UWYZ][0-9][ABCDEFGHJKPSTUW]"          // A9A
            + "|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])"   // AA9A
            + "[0-9][ABD-HJLNP-UW-Z]{2})");

    private static final Pattern SPACING = Pattern.compile("[\\s\\u00A0]+");

    private static final int INWARD_LENGTH = 3;

    private UkPostcode() {
    }

    /** True when {@code value} is a UK postcode in any case or spacing; false for null. */
    public static boolean isValid(String value) {
        return value != null && CANONICAL_NO_SPACE.matcher(compact(value)).matches();
    }

    /**
     * The canonical form {@code "OUTWARD INWARD"} in upper case.
     *
     * @throws IllegalArgumentException if the value is not a valid postcode (the message
     *                                  does not contain the value)
     */
    public static String normalise(String value) {
        String compact = requireValid(value);
        int split = compact.length() - INWARD_LENGTH;
        return compact.substring(0, split) + ' ' + compact.substring(split);
    }

    /**
     * The outward code (the part before the space), e.g. {@code "CM1"} for {@code "cm1 1qh"}.
     *
     * @throws IllegalArgumentException if the value is not a valid postcode
     */
    public static String outwardCode(String value) {
        String compact = requireValid(value);
        return compact.substring(0, compact.length() - INWARD_LENGTH);
    }

    private static String requireValid(String value) {
        Objects.requireNonNull(value, "postcode");
        String compact = compact(value);
        if (!CANONICAL_NO_SPACE.matcher(compact).matches()) {
            throw new IllegalArgumentException("not a valid UK postcode");
        }
        return compact;
    }

    private static String compact(String value) {
        return SPACING.matcher(value).replaceAll("").toUpperCase(Locale.ROOT);
    }
}
