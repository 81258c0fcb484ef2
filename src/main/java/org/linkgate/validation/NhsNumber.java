package org.linkgate.validation;

import java.util.Objects;

/**
 * NHS number check: ten digits whose last digit is the modulus-11 check digit of the first
 * nine (weights 10 down to 2; a remainder giving check value 10 means the number is
 * invalid, 11 means check digit 0).
 *
 * <p>Input decision: spaces and hyphens are accepted as separators anywhere and ignored
 * (councils export both {@code "943 476 5919"} and {@code "943-476-5919"}); anything else
 * is invalid. Numbers made of one repeated digit (e.g. {@code 4444444444}) pass the
 * modulus check but are never issued, so they are rejected too. Messages never contain
 * the input.
 */
public final class NhsNumber {

    private static final int LENGTH = 10;

    private NhsNumber() {
    }

    /** True when {@code value} is a valid NHS number; false for null. */
    public static boolean isValid(String value) {
        if (value == null) {
            return false;
        }
        String digits = digitsOf(value);
        if (digits == null || digits.length() != LENGTH || allSameDigit(digits)) {
            return false;
        }
        int check = checkDigit(digits.substring(0, LENGTH - 1));
        return check >= 0 && check == digits.charAt(LENGTH - 1) - '0';
    }

    /**
     * The ten digits without separators.
     *
     * @throws IllegalArgumentException if the value is not valid (the message does not
     *                                  contain the value)
     */
    public static String normalise(String value) {
        Objects.requireNonNull(value, "nhsNumber");
        if (!isValid(value)) {
            throw new IllegalArgumentException("not a valid NHS number");
        }
        return digitsOf(value);
    }

    /**
     * The check digit for nine leading digits, or -1 when no NHS number can start with
     * them (the modulus gives 10).
     *
     * @throws IllegalArgumentException unless {@code firstNine} is exactly nine ASCII digits
     */
    public static int checkDigit(String firstNine) {
        Objects.requireNonNull(firstNine, "firstNine");
        if (firstNine.length() != LENGTH - 1 || !firstNine.chars().allMatch(NhsNumber::isAsciiDigit)) {
            throw new IllegalArgumentException("expected nine digits");
        }
        int sum = 0;
        for (int i = 0; i < LENGTH - 1; i++) {
            sum += (firstNine.charAt(i) - '0') * (LENGTH - i);
        }
        int check = 11 - (sum % 11);
        if (check == 11) {
            return 0;
        }
        return check == 10 ? -1 : check;
    }

    private static String digitsOf(String value) {
        StringBuilder digits = new StringBuilder(LENGTH);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isAsciiDigit(c)) {
                if (digits.length() == LENGTH) {
                    return null;
                }
                digits.append(c);
            } else if (c != ' ' && c != '-') {
                return null;
            }
        }
        return digits.toString();
    }

    private static boolean allSameDigit(String digits) {
        return digits.chars().allMatch(c -> c == digits.charAt(0));
    }

    private static boolean isAsciiDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
