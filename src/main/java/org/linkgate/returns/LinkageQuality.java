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
     * Recomputes the figures of one extract and dataset (delete, then insert) from extract_member
     * and the accepted returns. Runs in the caller's transaction: the one that accepts the return.
     */
    public void record(String extractId, String dataset) {
        Objects.requireNonNull(extractId, "extractId");
        Objects.requireNonNull(dataset, "dataset");
        jdbc.update("delete from linkage_quality where extract_id = ? and dataset = ?", extractId, dataset);
        jdbc.update("insert into linkage_quality (extract_id, dataset, cohort, sent, matched)"
                + " select s.extract_id, ?, s.cohort, s.sent, coalesce(m.matched, 0)"
                + " from (select extract_id, cohort, count(distinct pseudo_id) as sent from extract_member"
                + "       where extract_id = ? group by extract_id, cohort) s"
                + " left join (select em.cohort, count(distinct em.pseudo_id) as matched from extract_member em"
                + "       where em.extract_id = ? and exists (select 1 from return_record rr"
                + "           join return_file rf on rf.id = rr.return_id"
                + "           where rf.extract_id = ? and rf.status = 'ACCEPTED' and rr.dataset = ?"
                + "             and rr.pseudo_id = em.pseudo_id)"
                + "       group by em.cohort) m on m.cohort = s.cohort",
                dataset, extractId, extractId, extractId, dataset);
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
