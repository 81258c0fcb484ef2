package org.linkgate.linkage;

/**
 * The deterministic match keys, in the order of the hierarchy (ONS style: the strictest first). A
 * pair's level is the first key it shares; each key is an HMAC under its own derived key, so knowing
 * one key's value tells nothing of another's. Codes are stored; never renumber one, only add.
 */
public enum KeyLevel {
    /** Forename, surname, date of birth and sex as recorded (normalised v2). */
    FULL(1),
    /** Double Metaphone of forename and surname, date of birth, sex: spelling variants and many typos. */
    PHONETIC(2),
    /** The forename's root in the variant table (Jon, Johnny → JOHN), surname, date of birth. */
    NICKNAME(3),
    /** Forename initial, surname, date of birth: a forename typo or a short form not in the table. */
    INITIAL(4),
    /** Names, date of birth with day and month in order (so 03/07 and 07/03 agree), sex. */
    DOB_SWAP(5),
    /** Forename and surname in order (so swapped fields agree), date of birth. */
    NAME_SWAP(6),
    /** Postcode, date of birth, sex, initial of the forename's root: a surname change at the same address. */
    POSTCODE(7),
    /** Root of the forename, date of birth, sex: a surname change (marriage) after a move. */
    FORENAME_DOB(8),
    /** Forename, surname, postcode: an error in the date of birth. */
    NAME_POSTCODE(9),
    /** NHS number (checked by its modulus-11 digit on intake), when recorded. */
    NHS(10),
    /** Root of the forename, postcode, sex: a surname error and a date-of-birth error together. */
    FORENAME_POSTCODE(11),
    /** Surname and postcode (a household): a forename error and a date-of-birth error together. */
    SURNAME_POSTCODE(12),
    /** Date of birth (day and month in order), sex, postcode: both names wrong or swapped, same address. */
    DOB_POSTCODE(13);

    private final int code;

    KeyLevel(int code) {
        this.code = code;
    }

    /** The stored code (smallint). */
    public int code() {
        return code;
    }

    /** The name hashed into the key's derivation and its normalised string, e.g. {@code mk-full}. */
    public String label() {
        return "mk-" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static KeyLevel ofCode(int code) {
        for (KeyLevel level : values()) {
            if (level.code == code) {
                return level;
            }
        }
        throw new IllegalArgumentException("unknown key level " + code);
    }
}
