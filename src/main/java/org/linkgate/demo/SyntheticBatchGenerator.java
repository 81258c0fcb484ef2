package org.linkgate.demo;

import java.io.IOException;
import java.io.Writer;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * Writes a synthetic council batch (CONTRACT columns) of invented families: plausible names,
 * dates, postcodes and valid-format national numbers, none belonging to a real person. Streams
 * row by row, so it can write millions of rows in constant memory. Same seed, same file.
 */
public final class SyntheticBatchGenerator {

    public static final List<String> COLUMNS = List.of("person_ref", "family_ref", "forename", "middle_names",
            "surname", "date_of_birth", "sex", "address_line_1", "address_line_2", "town", "postcode", "nino",
            "nhs_number", "upn", "cohort", "date_identified", "crime_asb", "education", "children_in_need",
            "worklessness", "domestic_abuse", "health");

    private static final String[] FEMALE = {"Amelia", "Olivia", "Isla", "Ava", "Mia", "Grace", "Sophie", "Lily",
            "Emily", "Chloe", "Ella", "Freya", "Zoë", "Niamh", "Aoife", "Siân", "Chloé", "Mary-Jane"};
    private static final String[] MALE = {"Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Oscar", "Charlie",
            "Jacob", "Alfie", "Rhys", "Dylan", "Seán", "Kieran", "Callum", "Mohammed", "Jean-Luc", "Ryan"};
    private static final String[] SURNAMES = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
            "Davies", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall",
            "O'Connor", "Smith-Jones", "MacDonald", "Ní Bhriain", "Lefèvre", "Khan", "Patel", "Okafor"};
    private static final String[] STREETS = {"High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue",
            "Victoria Road", "Green Lane", "Manor Way", "Kings Road", "Queens Walk"};
    private static final String[] TOWNS = {"Testbury", "Exampleton", "Sampleford", "Mockham", "Fakenham Parva"};
    private static final String[] OUTWARD = {"CM1", "CM2", "CO4", "SS1", "SS14", "RM20", "CB11", "EN9", "IG10"};
    private static final String UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ";
    private static final String INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

    private final Random random;
    private final LocalDate periodEnd;

    public SyntheticBatchGenerator(long seed, LocalDate periodEnd) {
        this.random = new Random(seed);
        this.periodEnd = periodEnd;
    }

    /** Writes a header and {@code rows} rows, families of 1 to 6 people, CRLF line ends. */
    public void write(Writer out, long rows) throws IOException {
        out.write(String.join(",", COLUMNS));
        out.write("\r\n");
        long written = 0;
        long family = 0;
        while (written < rows) {
            family++;
            int size = 1 + random.nextInt(6);
            String surname = pick(SURNAMES);
            String address = (1 + random.nextInt(200)) + " " + pick(STREETS);
            String town = pick(TOWNS);
            String postcode = postcode();
            String cohort = random.nextBoolean() ? "TREATMENT" : "COMPARISON";
            LocalDate identified = periodEnd.minusDays(random.nextInt(180));
            int[] problems = new int[6];
            for (int i = 0; i < 6; i++) {
                problems[i] = random.nextInt(3) == 0 ? 1 : 0;
            }
            for (int member = 0; member < size && written < rows; member++) {
                written++;
                boolean adult = member < 2;
                LocalDate dob = adult
                        ? identified.minusYears(20 + random.nextInt(40)).minusDays(random.nextInt(365))
                        : identified.minusYears(random.nextInt(18)).minusDays(random.nextInt(365));
                boolean female = random.nextBoolean();
                writeRow(out, "P" + written, "F" + family, female ? pick(FEMALE) : pick(MALE),
                        random.nextInt(4) == 0 ? pick(female ? FEMALE : MALE) : "", surname, dob.toString(),
                        random.nextInt(40) == 0 ? "U" : female ? "F" : "M", address, "", town, postcode,
                        adult && random.nextBoolean() ? nino() : "", random.nextInt(5) == 0 ? "" : nhsNumber(),
                        !adult ? upn() : "", cohort, identified.toString(), problems);
            }
        }
        out.flush();
    }

    private void writeRow(Writer out, String personRef, String familyRef, String forename, String middle,
                          String surname, String dob, String sex, String address1, String address2, String town,
                          String postcode, String nino, String nhs, String upn, String cohort, String identified,
                          int[] problems) throws IOException {
        String[] values = {personRef, familyRef, forename, middle, surname, dob, sex, address1, address2, town,
                postcode, nino, nhs, upn, cohort, identified};
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(quote(values[i]));
        }
        for (int flag : problems) {
            out.write(',');
            out.write(Integer.toString(flag));
        }
        out.write("\r\n");
    }

    private static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private String postcode() {
        return pick(OUTWARD) + " " + random.nextInt(10)
                + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()))
                + INWARD_LETTERS.charAt(random.nextInt(INWARD_LETTERS.length()));
    }

    /** A NINO in a valid format: a random allowed prefix, six digits, suffix A-D. */
    private String nino() {
        String first = "ABCEGHJKLMNPRSTWXYZ";
        String second = "ABCEGHJKLMNPRSTWXYZ";
        String prefix;
        do {
            prefix = "" + first.charAt(random.nextInt(first.length())) + second.charAt(random.nextInt(second.length()));
        } while (List.of("BG", "GB", "NK", "KN", "TN", "NT", "ZZ").contains(prefix));
        return prefix + String.format("%06d", random.nextInt(1_000_000)) + "ABCD".charAt(random.nextInt(4));
    }

    /** A 10-digit number with a valid modulus-11 check digit. */
    String nhsNumber() {
        while (true) {
            int[] digits = new int[9];
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                digits[i] = random.nextInt(10);
                sum += digits[i] * (10 - i);
            }
            int check = 11 - (sum % 11);
            if (check == 11) {
                check = 0;
            }
            if (check == 10) {
                continue;
            }
            StringBuilder number = new StringBuilder();
            for (int d : digits) {
                number.append(d);
            }
            return number.append(check).toString();
        }
    }

    /** A 13-character UPN: check letter, then 12 digits (LA code, school, year, serial). */
    String upn() {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            body.append(random.nextInt(10));
        }
        int sum = 0;
        for (int i = 0; i < 12; i++) {
            sum += (body.charAt(i) - '0') * (i + 2);
        }
        return UPN_LETTERS.charAt(sum % 23) + body.toString();
    }
}
