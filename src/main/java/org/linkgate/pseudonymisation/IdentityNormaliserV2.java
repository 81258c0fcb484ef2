package org.linkgate.pseudonymisation;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalisation of identity for error-tolerant linkage, version {@value #VERSION}, beside
 * {@link IdentityNormaliser} v1 (which still computes {@code pseudo_id}s and is never changed).
 * The written spec is {@code src/main/resources/pseudonymisation/NORMALISATION-v2.md}, with
 * openssl-computed test vectors beside it. What v2 adds, and why:
 * <ul>
 *   <li>letters that Unicode does not decompose are folded too ({@code Ł→L, Ø→O, Æ→AE, ß→SS,
 *       Þ→TH, Đ→D, Œ→OE, ı→I}), so "Łukasz" and "Lukasz" are one name, as v1 failed to do;</li>
 *   <li>a name is split into tokens (space, hyphen, apostrophes, full stop, comma): the first
 *       token of the forename field is the forename, and later tokens are middle names, so a
 *       middle name recorded in the forename field no longer splits a person;</li>
 *   <li>a name holding a digit is a row problem ({@link #nameProblem}), never silently stripped:
 *       "J0hn" is a keying error that a person must correct, and stripping it made "JHN".</li>
 * </ul>
 */
public final class IdentityNormaliserV2 {

    public static final String VERSION = "v2";

    /** Rule name of the row problem for a name that holds a digit. */
    public static final String NO_DIGITS = "name_without_digits";

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern TOKEN_SEPARATORS = Pattern.compile("[\\s.,'’‘`\\-‐‑–]+");
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^A-Z]+");
    private static final Pattern DIGIT = Pattern.compile("\\p{Nd}");
    private static final Set<String> TITLES = Set.of(
            "MR", "MRS", "MS", "MISS", "MX", "DR", "MASTER", "SIR", "DAME", "LADY", "LORD", "REV", "PROF");
    /** Letters with no Unicode decomposition to a base letter, folded as a UK register would write them. */
    private static final Map<Character, String> FOLDS = Map.ofEntries(
            Map.entry('Ł', "L"), Map.entry('ł', "L"), Map.entry('Ø', "O"), Map.entry('ø', "O"),
            Map.entry('Æ', "AE"), Map.entry('æ', "AE"), Map.entry('Œ', "OE"), Map.entry('œ', "OE"),
            Map.entry('ß', "SS"), Map.entry('ẞ', "SS"), Map.entry('Þ', "TH"), Map.entry('þ', "TH"),
            Map.entry('Đ', "D"), Map.entry('đ', "D"), Map.entry('Ð', "D"), Map.entry('ð', "D"),
            Map.entry('Ħ', "H"), Map.entry('ħ', "H"), Map.entry('ı', "I"), Map.entry('Ŀ', "L"),
            Map.entry('ŀ', "L"), Map.entry('Ŧ', "T"), Map.entry('ŧ', "T"), Map.entry('ĸ', "K"));

    private IdentityNormaliserV2() {
    }

    /** {@link #NO_DIGITS} when the raw name holds a digit (any script), else empty. Null or blank has none. */
    public static Optional<String> nameProblem(String raw) {
        return raw != null && DIGIT.matcher(raw).find() ? Optional.of(NO_DIGITS) : Optional.empty();
    }

    /**
     * The name's tokens, each folded to A–Z only, empty tokens dropped: apostrophes join
     * ({@code O'Neill} is one token, {@code ONEILL}); spaces, hyphens, full stops and commas separate
     * ({@code "Anne-Marie O'Neill"} gives {@code [ANNE, MARIE, ONEILL]}).
     *
     * @throws IllegalArgumentException if the name holds a digit (see {@link #nameProblem})
     */
    public static List<String> tokens(String raw) {
        if (raw == null) {
            return List.of();
        }
        if (nameProblem(raw).isPresent()) {
            throw new IllegalArgumentException("a name holds a digit");
        }
        String folded = fold(raw).replaceAll("['’‘`]", "");
        List<String> tokens = new ArrayList<>();
        for (String token : TOKEN_SEPARATORS.split(folded.strip())) {
            String letters = NOT_A_LETTER.matcher(token).replaceAll("");
            if (!letters.isEmpty()) {
                tokens.add(letters);
            }
        }
        return tokens;
    }

    /** A surname: all its tokens joined ({@code "Smith-Jones"} → {@code SMITHJONES}), as v1 joined them. */
    public static String surname(String raw) {
        return String.join("", tokens(raw));
    }

    /**
     * A forename: the first token of the field after a leading title ({@code "Mr Jean-Luc"} → {@code JEAN},
     * {@code "Mary Ann"} → {@code MARY}). A field that is only a title keeps the title.
     */
    public static String forename(String raw) {
        List<String> tokens = forenameTokens(raw);
        return tokens.isEmpty() ? "" : tokens.get(0);
    }

    /** The tokens of the forename field after a leading title: the first is the forename, the rest middle names. */
    public static List<String> forenameTokens(String raw) {
        List<String> tokens = tokens(raw);
        if (tokens.size() > 1 && TITLES.contains(tokens.get(0))) {
            return tokens.subList(1, tokens.size());
        }
        return tokens;
    }

    /**
     * Upper case A–Z with accents removed and {@link #FOLDS} applied; any other character is kept for the
     * caller to drop or split on.
     */
    static String fold(String raw) {
        String decomposed = COMBINING_MARKS.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKD)).replaceAll("");
        StringBuilder out = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            String folded = FOLDS.get(c);
            out.append(folded != null ? folded : String.valueOf(c).toUpperCase(Locale.ROOT));
        }
        return out.toString();
    }

    /** The middle-name tokens of a row: those after the forename in the forename field, then the middle-names field. */
    public static List<String> middleNames(String forenameField, String middleNamesField) {
        List<String> forenames = forenameTokens(forenameField);
        List<String> all = new ArrayList<>(forenames.size() > 1 ? forenames.subList(1, forenames.size()) : List.of());
        all.addAll(tokens(middleNamesField));
        return List.copyOf(all);
    }

    /** Joins normalised parts with {@code |} under a versioned prefix, the form every match key hashes. */
    public static String keyed(String prefix, String... parts) {
        return prefix + "-" + VERSION + "|" + String.join("|", Arrays.asList(parts));
    }
}
