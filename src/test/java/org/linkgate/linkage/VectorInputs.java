package org.linkgate.linkage;

import java.util.List;
import org.linkgate.pseudonymisation.IdentityRecord;

/**
 * The synthetic people of the published v2 vectors (pseudonymisation/test-vectors-v2.json). Running
 * {@link #main} prints each normalised key and token string, one per line, for
 * {@code src/test/resources/linkage/make-vectors-v2.sh} to hash with openssl; the vectors' HMACs
 * never come from this code.
 */
final class VectorInputs {

    static final List<IdentityRecord> PEOPLE = List.of(
            person("Łukasz", "Wróblewski", "2008-03-07", "M", "SW1A 1AA", "9434765919"),
            person("Søren", "Ørsted", "1999-12-01", "M", "EC1A 1BB", null),
            person("Ægir", "Straße", "2010-07-03", "M", "W1A 0AX", null),
            person("Mr Jean-Luc", "Lefèvre", "1980-12-31", "M", "M1 1AE", "4010232137"),
            person("Mary Ann", "O'Neill-Smith", "2015-01-02", "F", "B33 8TH", null),
            person("Jon", "Smyth", "2012-11-05", "F", "CR2 6XH", null),
            person("Mohammed", "Khan", "2001-02-03", "M", "DN55 1PT", "9876543210"),
            person("Þóra", "Đorđević", "2005-05-05", "U", "LS1 4AP", null));

    private VectorInputs() {
    }

    static IdentityRecord person(String forename, String surname, String dob, String sex, String postcode, String nhs) {
        return new IdentityRecord(forename, null, surname, dob, sex, null, null, null, postcode, null, nhs, null);
    }

    public static void main(String[] args) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        MatchEncoder encoder = new MatchEncoder(new org.linkgate.pseudonymisation.PseudonymisationKey(new byte[32]),
                ForenameVariants.shipped());
        for (IdentityRecord p : PEOPLE) {
            System.out.println("person\t" + json.writeValueAsString(p));
            MatchEncoder.Parts parts = MatchEncoder.parts(p);
            for (KeyLevel level : KeyLevel.values()) {
                String s = encoder.keyString(level, parts);
                if (s != null) {
                    System.out.println(level.label() + "\t" + s);
                }
            }
            for (MatchEncoder.Token token : MatchEncoder.Token.values()) {
                for (String s : encoder.tokenStrings(token, parts)) {
                    System.out.println(token.label + "\t" + s);
                }
            }
        }
    }
}
