package org.linkgate.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVRecord;

/**
 * An attacker with the recipient's knowledge, written apart from the release code: it holds the
 * decrypted release files, knows the agreement's k and which variables a neighbour could know
 * (age band, sex, council, cohort, problem count, family size, the six problem flags), and may
 * collude with a department that holds its own extract. It tries to single a person out (a
 * combination of known values shared by fewer than k people), to join the release with a
 * department's extract or with another release, and to find anything finer than allowed (an
 * identifier column, an exact age, a full date).
 */
final class ReleaseAttacker {

    /** What a neighbour could know; the attacker looks for these by column name in what it received. */
    static final List<String> KNOWABLE = List.of("age_band", "sex", "council_code", "cohort", "problem_count",
            "family_size", "crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse", "health");
    static final Set<String> IDENTIFYING_COLUMNS = Set.of("person_ref", "person_ref_key", "pseudo_id", "family_pseudo_id",
            "family_ref", "age_at_identification", "age", "date_of_birth", "date_identified", "forename", "surname",
            "postcode", "nino", "nhs_number", "upn");
    private static final Pattern FULL_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}.*");

    private ReleaseAttacker() {
    }

    /** The fewest distinct people sharing one combination of the knowable columns present (0 if no rows). */
    static long smallestClass(List<CSVRecord> persons) {
        CSVRecord header = persons.get(0);
        List<Integer> known = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (KNOWABLE.contains(header.get(i))) {
                known.add(i);
            }
        }
        Map<List<String>, Set<String>> classes = new HashMap<>();
        for (CSVRecord row : persons.subList(1, persons.size())) {
            List<String> key = new ArrayList<>();
            for (int i : known) {
                key.add(row.get(i));
            }
            classes.computeIfAbsent(key, k -> new HashSet<>()).add(row.get(0));
        }
        return classes.values().stream().mapToLong(Set::size).min().orElse(0);
    }

    /** The ids (first column) of a file. */
    static Set<String> ids(List<CSVRecord> file) {
        Set<String> ids = new HashSet<>();
        for (CSVRecord row : file.subList(1, file.size())) {
            ids.add(row.get(0));
        }
        return ids;
    }

    /** How many ids of the release also appear in the other collection (a department's tokens, another release). */
    static long joinable(Set<String> releaseIds, Collection<String> other) {
        Set<String> common = new HashSet<>(other);
        common.retainAll(releaseIds);
        return common.size();
    }

    /** Column names that should never reach the recipient. */
    static List<String> identifyingColumns(List<CSVRecord> file) {
        List<String> found = new ArrayList<>();
        for (String column : file.get(0)) {
            if (IDENTIFYING_COLUMNS.contains(column)) {
                found.add(column);
            }
        }
        return found;
    }

    /** Values that are full dates (finer than a month), anywhere in the file but its header. */
    static long fullDates(List<CSVRecord> file) {
        long n = 0;
        for (CSVRecord row : file.subList(1, file.size())) {
            for (String value : row) {
                if (FULL_DATE.matcher(value).matches()) {
                    n++;
                }
            }
        }
        return n;
    }
}
