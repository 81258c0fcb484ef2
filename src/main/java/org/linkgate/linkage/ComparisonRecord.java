package org.linkgate.linkage;

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
}
