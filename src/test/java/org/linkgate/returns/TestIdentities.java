package org.linkgate.returns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.validation.NhsNumber;
import org.linkgate.validation.UniquePupilNumber;

/** Invented people and identifiers for return tests; nothing here belongs to anyone. */
final class TestIdentities {

    static final String FORENAME = "Testina";
    static final String SURNAME = "Quarkworth";
    static final String DATE_OF_BIRTH = "2009-04-17";
    static final String POSTCODE = "ZE9 9ZZ";
    static final String ADDRESS = "1 Imaginary Lane";
    /** A NINO of valid form (invented). */
    static final String NINO = "ZX123456B";
    /** An NHS number in the 999 test range with a valid check digit. */
    static final String NHS_NUMBER = nhsNumber("999000001");
    /** A UPN with a valid check letter (invented). */
    static final String UPN = UniquePupilNumber.checkLetter("801200001001") + "801200001001";
    /** A full postcode that is not the person's. */
    static final String OTHER_POSTCODE = "SW1A 1AA";

    private TestIdentities() {
    }

    static IdentityRecord person() {
        return new IdentityRecord(FORENAME, null, SURNAME, DATE_OF_BIRTH, "F", ADDRESS, null, "Nowhere",
                POSTCODE, null, null, null);
    }

    static IdentityRecord other() {
        return new IdentityRecord("Zebedee", null, "Ottersby", "2011-12-01", "M", "22 Fictional Row", null,
                "Nowhere", "ZE9 9ZY", null, null, null);
    }

    /** 64 lower-case hex digits derived from a label. */
    static String hex64(String label) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(label.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nhsNumber(String firstNine) {
        return firstNine.substring(0, 3) + " " + firstNine.substring(3, 6) + " " + firstNine.substring(6)
                + NhsNumber.checkDigit(firstNine);
    }
}
