package org.linkgate.linkage;

import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.codec.language.DoubleMetaphone;
import org.linkgate.pseudonymisation.IdentityNormaliserV2;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;

/**
 * Turns one person's clear identity (available only in the pseudonymise stage of intake) into keyed
 * hashes: the {@link KeyLevel match keys} used for blocking and the comparison tokens used for
 * scoring, each an HMAC-SHA-256 under its own key derived from the pseudonymisation key as
 * {@code HMAC(pseudonymisation key, "linkage-key-v2|" + label)}. The normalised strings are
 * specified in {@code pseudonymisation/NORMALISATION-v2.md}; openssl-computed vectors are in
 * {@code pseudonymisation/test-vectors-v2.json}. Nothing here is ever stored in clear. Not
 * thread-safe (one HMAC per key): one per batch.
 */
public final class MatchEncoder {

    /** Stored key length: 128 bits of each HMAC (hex), ample for equality across a store of millions. */
    static final int KEY_HEX = 32;
    /** Stored comparison-token length: 64 bits; tokens are only compared within a candidate pair. */
    static final int TOKEN_HEX = 16;
    /** Stored length of each name-variant token of a deletion neighbourhood: 48 bits. */
    static final int VARIANT_HEX = 12;

    /** Comparison-token labels, each its own derived key. */
    enum Token {
        FN("ct-fn"), FN_PHONETIC("ct-fn-phonetic"), FN_ROOT("ct-fn-root"), FN_EDIT("ct-fn-edit"),
        SN("ct-sn"), SN_PHONETIC("ct-sn-phonetic"), SN_EDIT("ct-sn-edit"),
        DOB("ct-dob"), DOB_SWAP("ct-dob-swap"), DOB_PART("ct-dob-part"),
        PC("ct-pc"), PC_DISTRICT("ct-pc-district"), NHS("ct-nhs");

        final String label;

        Token(String label) {
            this.label = label;
        }
    }

    private final Map<KeyLevel, Pseudonymiser> keyMacs = new EnumMap<>(KeyLevel.class);
    private final Map<Token, Pseudonymiser> tokenMacs = new EnumMap<>(Token.class);
    private final ForenameVariants variants;
    private final DoubleMetaphone metaphone = new DoubleMetaphone();

    MatchEncoder(PseudonymisationKey key, ForenameVariants variants) {
        Pseudonymiser master = new Pseudonymiser(key);
        for (KeyLevel level : KeyLevel.values()) {
            keyMacs.put(level, derived(master, level.label()));
        }
        for (Token token : Token.values()) {
            tokenMacs.put(token, derived(master, token.label));
        }
        this.variants = variants;
        metaphone.setMaxCodeLen(6);
    }

    private static Pseudonymiser derived(Pseudonymiser master, String label) {
        return new Pseudonymiser(new PseudonymisationKey(HexFormat.of().parseHex(master.hash("linkage-key-v2|" + label))));
    }

    /** The normalised identity parts every key and token is built from. */
    public record Parts(String forename, String surname, String dateOfBirth, String sex, String postcode,
                        String nhsNumber) {
        @Override
        public String toString() {
            return "Parts[redacted]";
        }
    }

    /** Normalises a sealed-vault identity record to {@link Parts} (v2 rules). */
    public static Parts parts(IdentityRecord identity) {
        String sex = identity.sex() == null ? "U" : identity.sex().toUpperCase(Locale.ROOT);
        String postcode = identity.postcode() == null || identity.postcode().isBlank() ? null
                : identity.postcode().replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        String nhs = identity.nhsNumber() == null || identity.nhsNumber().isBlank() ? null
                : identity.nhsNumber().replaceAll("[^0-9]", "");
        return new Parts(IdentityNormaliserV2.forename(identity.forename()),
                IdentityNormaliserV2.surname(identity.surname()), identity.dateOfBirth(), sex, postcode, nhs);
    }

    /** The normalised string of one match key, or null when the row lacks what the key needs. */
    public String keyString(KeyLevel level, Parts p) {
        String f = p.forename();
        String s = p.surname();
        String d = p.dateOfBirth();
        String x = p.sex();
        String initial = f.isEmpty() ? "" : f.substring(0, 1);
        String root = variants.root(f);
        String rootInitial = root.isEmpty() ? "" : root.substring(0, 1);
        return switch (level) {
            case FULL -> IdentityNormaliserV2.keyed(level.label(), f, s, d, x);
            case PHONETIC -> IdentityNormaliserV2.keyed(level.label(), phonetic(f), phonetic(s), d, x);
            case NICKNAME -> IdentityNormaliserV2.keyed(level.label(), root, s, d);
            case INITIAL -> IdentityNormaliserV2.keyed(level.label(), initial, s, d);
            case DOB_SWAP -> IdentityNormaliserV2.keyed(level.label(), f, s, unorderedDate(d), x);
            case NAME_SWAP -> IdentityNormaliserV2.keyed(level.label(), min(f, s), max(f, s), d);
            case POSTCODE -> p.postcode() == null ? null
                    : IdentityNormaliserV2.keyed(level.label(), p.postcode(), d, x, rootInitial);
            case FORENAME_DOB -> IdentityNormaliserV2.keyed(level.label(), root, d, x);
            case NAME_POSTCODE -> p.postcode() == null ? null
                    : IdentityNormaliserV2.keyed(level.label(), f, s, p.postcode());
            case NHS -> p.nhsNumber() == null ? null : IdentityNormaliserV2.keyed(level.label(), p.nhsNumber());
            case FORENAME_POSTCODE -> p.postcode() == null ? null
                    : IdentityNormaliserV2.keyed(level.label(), root, p.postcode(), x);
            case SURNAME_POSTCODE -> p.postcode() == null ? null
                    : IdentityNormaliserV2.keyed(level.label(), s, p.postcode());
            case DOB_POSTCODE -> p.postcode() == null ? null
                    : IdentityNormaliserV2.keyed(level.label(), unorderedDate(d), x, p.postcode());
        };
    }

    /** Full lower-case hex HMAC of one match key (as the published vectors give it), or null. */
    public String keyHmac(KeyLevel level, Parts parts) {
        String normalised = keyString(level, parts);
        return normalised == null ? null : keyMacs.get(level).hash(normalised);
    }

    /** The match keys of a row as stored ({@value #KEY_HEX} hex characters each); absent keys are left out. */
    public Map<KeyLevel, String> keys(Parts parts) {
        Map<KeyLevel, String> keys = new EnumMap<>(KeyLevel.class);
        for (KeyLevel level : KeyLevel.values()) {
            String hmac = keyHmac(level, parts);
            if (hmac != null) {
                keys.put(level, hmac.substring(0, KEY_HEX));
            }
        }
        return keys;
    }

    /** The normalised strings of one comparison token (several for the set-valued ones), or empty. */
    public List<String> tokenStrings(Token token, Parts p) {
        String f = p.forename();
        String s = p.surname();
        String d = p.dateOfBirth();
        return switch (token) {
            case FN -> List.of(IdentityNormaliserV2.keyed(token.label, f));
            case FN_PHONETIC -> List.of(IdentityNormaliserV2.keyed(token.label, phonetic(f)));
            case FN_ROOT -> List.of(IdentityNormaliserV2.keyed(token.label, variants.root(f)));
            case FN_EDIT -> deletions(f).stream().map(v -> IdentityNormaliserV2.keyed(token.label, v)).toList();
            case SN -> List.of(IdentityNormaliserV2.keyed(token.label, s));
            case SN_PHONETIC -> List.of(IdentityNormaliserV2.keyed(token.label, phonetic(s)));
            case SN_EDIT -> deletions(s).stream().map(v -> IdentityNormaliserV2.keyed(token.label, v)).toList();
            case DOB -> List.of(IdentityNormaliserV2.keyed(token.label, d));
            case DOB_SWAP -> List.of(IdentityNormaliserV2.keyed(token.label, unorderedDate(d)));
            case DOB_PART -> List.of(
                    IdentityNormaliserV2.keyed(token.label, phonetic(s), "YM", d.substring(0, 7)),
                    IdentityNormaliserV2.keyed(token.label, phonetic(s), "YD", d.substring(0, 4) + d.substring(7)),
                    IdentityNormaliserV2.keyed(token.label, phonetic(s), "MD", d.substring(5)));
            case PC -> p.postcode() == null ? List.of() : List.of(IdentityNormaliserV2.keyed(token.label, p.postcode()));
            case PC_DISTRICT -> p.postcode() == null ? List.of()
                    : List.of(IdentityNormaliserV2.keyed(token.label, phonetic(s),
                            p.postcode().substring(0, p.postcode().length() - 3)));
            case NHS -> p.nhsNumber() == null ? List.of() : List.of(IdentityNormaliserV2.keyed(token.label, p.nhsNumber()));
        };
    }

    /** Full lower-case hex HMACs of one token's strings (as the published vectors give them). */
    public List<String> tokenHmacs(Token token, Parts parts) {
        Pseudonymiser mac = tokenMacs.get(token);
        return tokenStrings(token, parts).stream().map(mac::hash).toList();
    }

    /** The comparison record of a row as stored: each token truncated, set-valued ones space-separated. */
    public ComparisonRecord comparison(Parts p) {
        return new ComparisonRecord(
                one(Token.FN, p), one(Token.FN_PHONETIC, p), one(Token.FN_ROOT, p), set(Token.FN_EDIT, p),
                one(Token.SN, p), one(Token.SN_PHONETIC, p), set(Token.SN_EDIT, p),
                one(Token.DOB, p), one(Token.DOB_SWAP, p), set(Token.DOB_PART, p),
                "U".equals(p.sex()) ? null : p.sex(),
                one(Token.PC, p), one(Token.PC_DISTRICT, p), one(Token.NHS, p),
                // Swapped forename/surname: the forename hashed as a surname, so a swap compares equal.
                tokenMacs.get(Token.SN).hash(IdentityNormaliserV2.keyed(Token.SN.label, p.forename()))
                        .substring(0, TOKEN_HEX),
                // And its one-edit variants as surname variants: a swap with a typo in one name.
                String.join(" ", deletions(p.forename()).stream().map(v -> tokenMacs.get(Token.SN_EDIT)
                        .hash(IdentityNormaliserV2.keyed(Token.SN_EDIT.label, v)).substring(0, VARIANT_HEX))
                        .collect(java.util.stream.Collectors.toCollection(LinkedHashSet::new))));
    }

    private String one(Token token, Parts p) {
        List<String> hmacs = tokenHmacs(token, p);
        return hmacs.isEmpty() ? null : hmacs.get(0).substring(0, TOKEN_HEX);
    }

    private String set(Token token, Parts p) {
        Set<String> out = new LinkedHashSet<>();
        for (String hmac : tokenHmacs(token, p)) {
            out.add(hmac.substring(0, VARIANT_HEX));
        }
        return String.join(" ", out);
    }

    /** Double Metaphone primary code (commons-codec, up to 6 characters); a name it cannot code keeps its letters. */
    String phonetic(String name) {
        String code = metaphone.doubleMetaphone(name);
        return code == null || code.isEmpty() ? name : code;
    }

    /**
     * The name and every string made by deleting one letter of it (a deletion neighbourhood): two names
     * within one insertion, deletion, substitution or adjacent transposition share one of these.
     */
    static Set<String> deletions(String name) {
        Set<String> out = new TreeSet<>();
        out.add(name);
        if (name.length() > 1) {
            for (int i = 0; i < name.length(); i++) {
                out.add(name.substring(0, i) + name.substring(i + 1));
            }
        }
        return out;
    }

    /** yyyy|lower|higher of month and day, so a day/month swap gives the same string. */
    static String unorderedDate(String isoDate) {
        String month = isoDate.substring(5, 7);
        String day = isoDate.substring(8, 10);
        return isoDate.substring(0, 4) + "|" + min(month, day) + "|" + max(month, day);
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static String max(String a, String b) {
        return a.compareTo(b) <= 0 ? b : a;
    }
}
