package org.linkgate.linkage;

import java.util.List;

/**
 * What linkage keeps of one row to score a candidate pair: truncated keyed hashes of the
 * normalised fields (see {@link MatchEncoder}), set-valued ones space-separated, and sex as
 * research already holds it. Never clear identity.
 */
public record ComparisonRecord(String forename, String forenamePhonetic, String forenameRoot, String forenameEdits,
                               String surname, String surnamePhonetic, String surnameEdits,
                               String dateOfBirth, String dateOfBirthSwap, String dateOfBirthParts,
                               String sex, String postcode, String postcodeDistrict, String nhsNumber,
                               String forenameAsSurname, String forenameAsSurnameEdits) {

    /** The {@code linkage_row} columns that hold the fields, in the record's order. */
    static final List<String> COLUMNS = List.of("fn", "fn_phonetic", "fn_root", "fn_edits", "sn", "sn_phonetic",
            "sn_edits", "dob", "dob_swap", "dob_parts", "sex", "pc", "pc_district", "nhs", "fn_as_sn", "fn_as_sn_edits");

    /** The fields in the order of {@link #COLUMNS}. */
    Object[] values() {
        return new Object[] {forename, forenamePhonetic, forenameRoot, forenameEdits, surname, surnamePhonetic,
                surnameEdits, dateOfBirth, dateOfBirthSwap, dateOfBirthParts, sex, postcode, postcodeDistrict, nhsNumber,
                forenameAsSurname, forenameAsSurnameEdits};
    }
}
