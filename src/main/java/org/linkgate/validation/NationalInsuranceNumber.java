package org.linkgate.validation;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * National Insurance number format check (HMRC rules): two prefix letters, six digits and
 * a suffix letter A–D. Neither prefix letter may be D, F, I, Q, U or V; the second may not
 * be O; the prefixes BG, GB, NK, KN, TN, NT and ZZ are never allocated. Input may use any
 * case and contain spaces (e.g. {@code "AB 12 34 56 C"}). Temporary reference numbers and
 * numbers without a suffix are rejected. Messages never contain the input.
 */
public final class NationalInsuranceNumber {

    private static final Pattern FORMAT =
            Pattern.compile("[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]");

    private static final Set<String> UNALLOCATED_PREFIXES =
            Set.of("BG", "GB", "NK", "KN", "TN", "NT", "ZZ");

    private static final Pattern SPACES = Pattern.compile(" +");

    private NationalInsuranceNumber() {
    }

    /** True when {@code value} is a well-formed National Insurance number; false for null. */
    public static boolean isValid(String value) {
        if (value == null) {
            return false;
        }
        String compact = compact(value);
        return FORMAT.matcher(compact).matches()
                && !UNALLOCATED_PREFIXES.contains(compact.substring(0, 2));
    }

    /**
     * The canonical form: upper case, no spaces, e.g. {@code "AB123456C"}.
     *
     * @throws IllegalArgumentException if the value is not valid (the message does not
     *                                  contain the value)
     */
    public static String normalise(String value) {
        Objects.requireNonNull(value, "nino");
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a valid National Insurance number");
        }
        return compact(value);
    }

    private static String compact(String value) {
        return SPACES.matcher(value.strip()).replaceAll("").toUpperCase(Locale.ROOT);
    }
}
