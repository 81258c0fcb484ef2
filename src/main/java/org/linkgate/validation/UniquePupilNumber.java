package org.linkgate.validation;

import java.util.Locale;
import java.util.Objects;

/**
 * Unique Pupil Number (DfE) check: 13 characters, a check letter followed by twelve
 * digits, except that the last character is a letter in a temporary UPN. The check letter
 * is the sum of characters 2–13, each multiplied by its position (weights 2..13), modulo
 * 23, mapped to A–Z without I, O and S; a letter in position 13 counts as its index in
 * that same alphabet. Input must have no spaces; lower case is accepted. Messages never
 * contain the input.
 */
public final class UniquePupilNumber {

    /** The 23 letters used for check letters and temporary-UPN letters. */
    static final String ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ";

    private static final int LENGTH = 13;

    private UniquePupilNumber() {
    }

    /** True when {@code value} is a valid permanent or temporary UPN; false for null. */
    public static boolean isValid(String value) {
        if (value == null || value.length() != LENGTH) {
            return false;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        char expected = checkLetterOrZero(upper.substring(1));
        return expected != 0 && upper.charAt(0) == expected;
    }

    /**
     * The check letter for the twelve characters after it (eleven digits then a digit or
     * an alphabet letter).
     *
     * @throws IllegalArgumentException if {@code lastTwelve} is not of that shape
     */
    public static char checkLetter(String lastTwelve) {
        Objects.requireNonNull(lastTwelve, "lastTwelve");
        char letter = checkLetterOrZero(lastTwelve.toUpperCase(Locale.ROOT));
        if (letter == 0) {
            throw new IllegalArgumentException("expected eleven digits and a digit or letter");
        }
        return letter;
    }

    private static char checkLetterOrZero(String lastTwelve) {
        if (lastTwelve.length() != LENGTH - 1) {
            return 0;
        }
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            char c = lastTwelve.charAt(i);
            int weight = i + 2;
            int value;
            if (c >= '0' && c <= '9') {
                value = c - '0';
            } else if (i == LENGTH - 2 && ALPHABET.indexOf(c) >= 0) {
                value = ALPHABET.indexOf(c);
            } else {
                return 0;
            }
            sum += value * weight;
        }
        return ALPHABET.charAt(sum % 23);
    }
}
