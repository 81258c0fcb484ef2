package org.linkgate.pseudonymisation;

import java.text.Normalizer;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Normalisation of identity before keyed hashing, version {@value #VERSION}. The written spec
 * is {@code src/main/resources/pseudonymisation/NORMALISATION-v1.md}, with test vectors beside
 * it; changing any rule here is a new version, because it changes every pseudo id.
 */
public final class IdentityNormaliser {

    public static final String VERSION = "v1";

    private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern NOT_A_LETTER = Pattern.compile("[^\\p{L}]+");
    private static final Pattern TOKEN_SEPARATORS = Pattern.compile("[\\s.,'’\\-]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Set<String> TITLES = Set.of(
            "MR", "MRS", "MS", "MISS", "MX", "DR", "MASTER", "SIR", "DAME", "LADY", "LORD", "REV", "PROF");

    private IdentityNormaliser() {
    }

    /** A name: accents removed, upper case, only letters kept ("O'Brien-Smith" becomes "OBRIENSMITH"). */
    public static String name(String raw) {
        String folded = COMBINING_MARKS.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKD)).replaceAll("");
        String upper = folded.toUpperCase(Locale.ROOT);
        return Normalizer.normalize(NOT_A_LETTER.matcher(upper).replaceAll(""), Normalizer.Form.NFKC);
    }

    /** A forename: as {@link #name}, after dropping a leading title when a name follows it. */
    public static String forename(String raw) {
        String upper = COMBINING_MARKS.matcher(Normalizer.normalize(raw, Normalizer.Form.NFKD)).replaceAll("")
                .toUpperCase(Locale.ROOT).strip();
        String[] tokens = TOKEN_SEPARATORS.split(upper, 2);
        if (tokens.length == 2 && TITLES.contains(tokens[0]) && !name(tokens[1]).isEmpty()) {
            return name(tokens[1]);
        }
        return name(raw);
    }

    /** A date in ISO form, yyyy-MM-dd. */
    public static String date(LocalDate date) {
        return date.toString();
    }

    /** A reference (family or person ref): NFKC, trimmed, upper case, inner spaces collapsed to one. */
    public static String reference(String raw) {
        String nfkc = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip().toUpperCase(Locale.ROOT);
        return WHITESPACE.matcher(nfkc).replaceAll(" ");
    }

    /** The identity a person's pseudo id is computed over. */
    public static String personIdentity(String forename, String surname, LocalDate dateOfBirth) {
        return "person-" + VERSION + "|" + forename(forename) + "|" + name(surname) + "|" + date(dateOfBirth);
    }

    /** The identity of a family: family references are scoped by the council that issued them. */
    public static String familyIdentity(String councilCode, String familyRef) {
        return "family-" + VERSION + "|" + councilCode.toUpperCase(Locale.ROOT) + "|" + reference(familyRef);
    }

    /** A council's own person reference, used only to find duplicates within a file. */
    public static String personRefIdentity(String councilCode, String personRef) {
        return "person-ref-" + VERSION + "|" + councilCode.toUpperCase(Locale.ROOT) + "|" + reference(personRef);
    }
}
