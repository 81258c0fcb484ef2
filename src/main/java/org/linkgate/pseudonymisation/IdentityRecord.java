package org.linkgate.pseudonymisation;

/**
 * The identifying fields of one person, kept only sealed in the identity vault so department
 * extracts can be made later. Never logged, never written in clear.
 */
public record IdentityRecord(
        String forename,
        String middleNames,
        String surname,
        String dateOfBirth,
        String sex,
        String addressLine1,
        String addressLine2,
        String town,
        String postcode,
        String nino,
        String nhsNumber,
        String upn) {

    @Override
    public String toString() {
        return "IdentityRecord[redacted]";
    }
}
