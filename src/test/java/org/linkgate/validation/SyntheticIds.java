package org.linkgate.validation;

/**
 * Generates synthetic identifiers for tests with the published algorithms, written here
 * independently of the production classes so the two cross-check each other.
 */
final class SyntheticIds {

    private static final String UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";

    private SyntheticIds() {
    }

    /** A valid UPN: check letter computed over twelve characters (weights 2..13, mod 23). */
    static String upn(String lastTwelve) {
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            char c = lastTwelve.charAt(i);
            int value = Character.isDigit(c) ? c - '0' : UPN_LETTERS.indexOf(c);
            sum += value * (i + 2);
        }
        return UPN_LETTERS.charAt(sum % 23) + lastTwelve;
    }

    /** A valid NHS number starting with {@code firstNine}, or null if none exists (check 10). */
    static String nhsNumber(String firstNine) {
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (firstNine.charAt(i) - '0') * (10 - i);
        }
        int check = 11 - sum % 11;
        if (check == 10) {
            return null;
        }
        return firstNine + (check == 11 ? 0 : check);
    }
}
