package org.linkgate.linkage;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * The agreement pattern of a candidate pair (Splink's comparison vector), computed from keyed
 * hashes only. Each comparison has ordered levels, 0 = disagree, higher = closer; {@link #NULL} when
 * either side lacks the field (it then adds no evidence either way).
 */
public final class Comparison {

    public static final int NULL = -1;

    /** The compared fields and how many levels each has. */
    public enum Field {
        /**
         * 3 exact (or swapped with surname), 2 same root or phonetic code, 1 within one edit, 0 other.
         * Neither the initial nor half a swap counts: twins with one initial, or a twin's record with
         * the names swapped, would agree.
         */
        FORENAME(4),
        /** 3 exact (or swapped), 2 phonetic, 1 within one edit, 0 other. */
        SURNAME(4),
        /** 3 exact, 2 day and month swapped, 1 two of year, month and day agree, 0 other. */
        DATE_OF_BIRTH(4),
        /** 1 agree, 0 disagree; unknown (U) is null. */
        SEX(2),
        /** 2 exact, 1 same district (and surname sound), 0 other. */
        POSTCODE(3),
        /** 1 agree, 0 disagree; null when either has none. */
        NHS_NUMBER(2);

        final int levels;

        Field(int levels) {
            this.levels = levels;
        }

        public int levels() {
            return levels;
        }
    }

    static final Field[] FIELDS = Field.values();

    private Comparison() {
    }

    /** A comparison record with its set-valued tokens split once, for comparing many times. */
    public record Prepared(ComparisonRecord r, Set<String> fnEdits, Set<String> snEdits, Set<String> dobParts,
                           Set<String> fnAsSnEdits) {
        public static Prepared of(ComparisonRecord r) {
            return new Prepared(r, split(r.forenameEdits()), split(r.surnameEdits()), split(r.dateOfBirthParts()),
                    split(r.forenameAsSurnameEdits()));
        }

        private static Set<String> split(String tokens) {
            return tokens == null || tokens.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(tokens.split(" ")));
        }
    }

    /** The agreement pattern of two rows, one level per {@link Field}. */
    public static int[] pattern(Prepared a, Prepared b) {
        ComparisonRecord x = a.r();
        ComparisonRecord y = b.r();
        // Forename and surname swapped, both exact, or one exact and the other within one edit.
        boolean swapped = x.forenameAsSurname().equals(y.surname()) && y.forenameAsSurname().equals(x.surname())
                || x.forenameAsSurname().equals(y.surname()) && intersects(b.fnAsSnEdits(), a.snEdits())
                || y.forenameAsSurname().equals(x.surname()) && intersects(a.fnAsSnEdits(), b.snEdits());
        int[] g = new int[FIELDS.length];
        g[Field.FORENAME.ordinal()] = x.forename().equals(y.forename()) || swapped ? 3
                : x.forenameRoot().equals(y.forenameRoot()) || x.forenamePhonetic().equals(y.forenamePhonetic()) ? 2
                : intersects(a.fnEdits(), b.fnEdits()) ? 1 : 0;
        g[Field.SURNAME.ordinal()] = x.surname().equals(y.surname()) || swapped ? 3
                : x.surnamePhonetic().equals(y.surnamePhonetic()) ? 2
                : intersects(a.snEdits(), b.snEdits()) ? 1 : 0;
        g[Field.DATE_OF_BIRTH.ordinal()] = x.dateOfBirth().equals(y.dateOfBirth()) ? 3
                : x.dateOfBirthSwap().equals(y.dateOfBirthSwap()) ? 2
                : intersects(a.dobParts(), b.dobParts()) ? 1 : 0;
        g[Field.SEX.ordinal()] = x.sex() == null || y.sex() == null ? NULL : x.sex().equals(y.sex()) ? 1 : 0;
        g[Field.POSTCODE.ordinal()] = x.postcode() == null || y.postcode() == null ? NULL
                : x.postcode().equals(y.postcode()) ? 2
                : x.postcodeDistrict() != null && x.postcodeDistrict().equals(y.postcodeDistrict()) ? 1 : 0;
        g[Field.NHS_NUMBER.ordinal()] = x.nhsNumber() == null || y.nhsNumber() == null ? NULL
                : x.nhsNumber().equals(y.nhsNumber()) ? 1 : 0;
        return g;
    }

    /**
     * Rules the weights cannot be trusted with, because real data breaks the model's independence of
     * fields. Unless the NHS numbers agree, a link needs some agreement of forename and of date of birth
     * (twins share surname, date of birth and address; a father and son share name and address), the
     * same sex, and no conflicting NHS number (two people with one name and date of birth in a store of
     * millions are commoner than a true match whose sex or NHS number was recorded wrongly). A vetoed
     * pair with a high probability goes to review instead.
     */
    public static boolean vetoed(int[] g) {
        if (g[Field.NHS_NUMBER.ordinal()] == 1) {
            return false;
        }
        return g[Field.FORENAME.ordinal()] == 0 || g[Field.DATE_OF_BIRTH.ordinal()] == 0
                || g[Field.SEX.ordinal()] == 0 || g[Field.NHS_NUMBER.ordinal()] == 0;
    }

    /** A compact, stable text form, e.g. {@code fn3 sn2 dob3 sex1 pc- nhs1}, for review lists and the model. */
    public static String describe(int[] g) {
        String[] names = {"fn", "sn", "dob", "sex", "pc", "nhs"};
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < g.length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(names[i]).append(g[i] == NULL ? "-" : String.valueOf(g[i]));
        }
        return out.toString();
    }

    /** A pattern as one int: one base-5 digit per field, 4 standing for null. */
    static int encode(int[] g) {
        int code = 0;
        for (int value : g) {
            code = code * 5 + (value == NULL ? 4 : value);
        }
        return code;
    }

    static int[] decode(int code) {
        int[] g = new int[FIELDS.length];
        for (int i = FIELDS.length - 1; i >= 0; i--) {
            int v = code % 5;
            g[i] = v == 4 ? NULL : v;
            code /= 5;
        }
        return g;
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        Set<String> small = a.size() <= b.size() ? a : b;
        Set<String> large = small == a ? b : a;
        for (String s : small) {
            if (large.contains(s)) {
                return true;
            }
        }
        return false;
    }
}
