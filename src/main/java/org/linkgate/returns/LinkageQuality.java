package org.linkgate.returns;

import java.util.Objects;
import org.linkgate.linkage.Significance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The {@code linkage_quality} table: per extract, dataset and cohort, the people sent and the
 * people found in accepted returns. Recomputed when a return is accepted.
 */
@Component
public class LinkageQuality {

    private final JdbcTemplate jdbc;

    public LinkageQuality(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Recomputes the figures of one extract and dataset (delete, then insert) from fan-out's published view
     * {@code extract_person} (who the extract was sent for) and the accepted returns. Runs in the caller's transaction: the one that accepts the return.
     * A person is found with an event row or {@code matched = Y}; not found with {@code matched = N}
     * and never found; unknown otherwise (returns without the column say nothing of the absent).
     * {@code matched} is the found count (before the column existed: "has a return row").
     */
    public void record(String extractId, String dataset) {
        Objects.requireNonNull(extractId, "extractId");
        Objects.requireNonNull(dataset, "dataset");
        jdbc.update("delete from linkage_quality where extract_id = ? and dataset = ?", extractId, dataset);
        String accepted = " join return_file rf on rf.id = %s.return_id"
                + " where rf.extract_id = em.extract_id and rf.status = 'ACCEPTED' and %s.dataset = ?"
                + " and %s.pseudo_id = em.pseudo_id";
        String found = "(exists (select 1 from return_record rr" + accepted.formatted("rr", "rr", "rr") + ")"
                + " or exists (select 1 from return_match_status ms" + accepted.formatted("ms", "ms", "ms")
                + " and ms.matched = 'Y'))";
        String notFound = "exists (select 1 from return_match_status ms" + accepted.formatted("ms", "ms", "ms")
                + " and ms.matched = 'N')";
        jdbc.update("insert into linkage_quality (extract_id, dataset, cohort, sent, matched, found, not_found, not_known)"
                + " select cast(? as varchar(32)), cast(? as varchar(16)), p.cohort, count(*), sum(p.found), sum(p.found),"
                + " sum(p.not_found),"
                + " count(*) - sum(p.found) - sum(p.not_found)"
                + " from (select em.cohort, case when " + found + " then 1 else 0 end as found,"
                + "       case when not " + found + " and " + notFound + " then 1 else 0 end as not_found"
                + "       from (select extract_id, pseudo_id, cohort from extract_person where extract_id = ?) em) p"
                + " group by p.cohort",
                extractId, dataset, dataset, dataset, dataset, dataset, dataset, extractId);
    }

    /**
     * True when the share of people matched differs significantly between the treatment and
     * comparison cohorts (two-proportion z-test at 5 %, {@link Significance}), which would bias the
     * comparison. Not flagged when either cohort sent nobody (there is no rate to compare).
     */
    public static boolean cohortGapFlagged(long treatmentSent, long treatmentMatched,
                                           long comparisonSent, long comparisonMatched) {
        return Significance.differs(treatmentMatched, treatmentSent, comparisonMatched, comparisonSent);
    }
}
