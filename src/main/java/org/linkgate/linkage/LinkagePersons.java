package org.linkgate.linkage;

import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Who linkage says a person is ({@code linkage_person}, {@code linkage_row}, owned here), as subject access
 * asks it: every id merged forward with a person's ids, and the people a later batch's rows of a given name
 * and date of birth were linked to. Reads only; the details given are encoded at once and never kept.
 */
@Component
public class LinkagePersons {

    private final JdbcTemplate jdbc;
    private final MatchKeys matchKeys;

    public LinkagePersons(JdbcTemplate jdbc, MatchKeys matchKeys) {
        this.jdbc = jdbc;
        this.matchKeys = matchKeys;
    }

    /**
     * The ids and, for each, its surviving person (merges are kept flat: one hop) and every id merged into that
     * survivor, in that order. An id linkage never saw stands for itself.
     */
    public Set<String> withMerged(Set<String> ids) {
        if (ids.isEmpty()) {
            return ids;
        }
        Set<String> survivors = new LinkedHashSet<>(ids);
        survivors.addAll(jdbc.queryForList("select coalesce(merged_into, person_id) from linkage_person where person_id in ("
                + marks(ids) + ")", String.class, ids.toArray()));
        Set<String> all = new LinkedHashSet<>(survivors);
        all.addAll(jdbc.queryForList("select person_id from linkage_person where merged_into in (" + marks(survivors) + ")",
                String.class, survivors.toArray()));
        return all;
    }

    /**
     * The people linkage linked rows of this name and date of birth to: rows whose research pseudo id was rewritten
     * to an earlier person's, found by the normalised forename, surname and date of birth tokens of
     * {@code linkage_row}. Empty when a part normalises to nothing.
     */
    public Set<String> linkedByName(String forename, String surname, LocalDate dateOfBirth) {
        ComparisonRecord tokens = matchKeys.encoder().comparison(MatchEncoder.parts(new IdentityRecord(forename, null,
                surname, dateOfBirth.toString(), null, null, null, null, null, null, null, null)));
        if (tokens.forename() == null || tokens.surname() == null || tokens.dateOfBirth() == null) {
            return Set.of();
        }
        return new LinkedHashSet<>(jdbc.queryForList("select distinct person_id from linkage_row where fn = ? and sn = ?"
                + " and dob = ? and person_id is not null", String.class, tokens.forename(), tokens.surname(),
                tokens.dateOfBirth()));
    }

    private static String marks(Set<String> ids) {
        return String.join(", ", Collections.nCopies(ids.size(), "?"));
    }
}
