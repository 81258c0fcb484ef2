package org.linkgate.validation;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds direct identifiers inside a value, not only as the whole value: "Lives at SW1A 1AA",
 * "NHS 9434765919", "ni: ab 12 34 56 c". Each candidate is a whole token (not part of a longer
 * run of letters or digits) and must pass the identifier's own check (Royal Mail postcode format,
 * NHS modulus-11 check digit, NINO prefixes, UPN check letter), so a random code rarely matches;
 * a ten-digit number still passes the NHS check about one time in eleven, which is why the
 * caller chooses the columns it scans (free text, not declared numeric ids). A token glued to
 * letters ({@code NHS9434765919}, a hex hash) is not a candidate. Pure and thread-safe;
 * it returns only which shapes it found, never where or what.
 */
public final class IdentifierShapes {

    /** The kinds of identifier recognised. */
    public enum Shape { POSTCODE, NHS_NUMBER, NINO, UPN, EMAIL }

    private static final String NOT_AFTER_ALNUM = "(?<![\\p{L}\\p{N}])";
    private static final String NOT_BEFORE_ALNUM = "(?![\\p{L}\\p{N}])";
    private static final String GAP = "[ \\t\\u00A0]{0,3}";

    private static final Pattern POSTCODE = Pattern.compile(NOT_AFTER_ALNUM
            + "((?:[A-Za-z]{1,2}[0-9][A-Za-z0-9]?|GIR|gir))" + GAP + "([0-9][A-Za-z]{2})" + NOT_BEFORE_ALNUM);
    private static final Pattern NHS_NUMBER = Pattern.compile(NOT_AFTER_ALNUM
            + "([0-9]{3})[ -]?([0-9]{3})[ -]?([0-9]{4})" + NOT_BEFORE_ALNUM);
    private static final Pattern NINO = Pattern.compile(NOT_AFTER_ALNUM
            + "([A-Za-z]{2})[ ]?([0-9]{2})[ ]?([0-9]{2})[ ]?([0-9]{2})[ ]?([A-Da-d])" + NOT_BEFORE_ALNUM);
    private static final Pattern UPN = Pattern.compile(NOT_AFTER_ALNUM + "([A-Za-z][0-9]{11}[0-9A-Za-z])" + NOT_BEFORE_ALNUM);
    private static final Pattern EMAIL = Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@"
            + "[A-Za-z0-9-]{1,63}(?:\\.[A-Za-z0-9-]{1,63})*\\.[A-Za-z]{2,24}" + NOT_BEFORE_ALNUM);

    private IdentifierShapes() {
    }

    /** Every shape found anywhere in the value; empty for null or none. */
    public static Set<Shape> find(String value) {
        Set<Shape> found = EnumSet.noneOf(Shape.class);
        if (value == null || value.isBlank()) {
            return found;
        }
        if (any(POSTCODE, value, m -> UkPostcode.isValid(m.group(1) + m.group(2)))) {
            found.add(Shape.POSTCODE);
        }
        if (any(NHS_NUMBER, value, m -> NhsNumber.isValid(m.group(1) + m.group(2) + m.group(3)))) {
            found.add(Shape.NHS_NUMBER);
        }
        if (any(NINO, value, m -> NationalInsuranceNumber.isValid(
                (m.group(1) + m.group(2) + m.group(3) + m.group(4) + m.group(5)).toUpperCase(Locale.ROOT)))) {
            found.add(Shape.NINO);
        }
        if (any(UPN, value, m -> UniquePupilNumber.isValid(m.group(1)))) {
            found.add(Shape.UPN);
        }
        if (EMAIL.matcher(value).find()) {
            found.add(Shape.EMAIL);
        }
        return found;
    }

    /** Whether any identifier shape is found in the value. */
    public static boolean containsAny(String value) {
        return !find(value).isEmpty();
    }

    private interface Check {
        boolean passes(Matcher match);
    }

    /** Whether some candidate of the pattern in the value passes the identifier's check. */
    private static boolean any(Pattern pattern, String value, Check check) {
        Matcher match = pattern.matcher(value);
        int from = 0;
        while (from < value.length() && match.find(from)) {
            if (check.passes(match)) {
                return true;
            }
            // Overlapping candidates ("AB1 2CD 3EF"): go on from just after this one's start.
            from = match.start() + 1;
        }
        return false;
    }
}
