package org.linkgate.release;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * k-anonymity over a release's quasi-identifiers: every combination of their released values must
 * be shared by at least k people — people as linkage knows them now: a pseudo id that linkage merged
 * forward into an earlier person (linkage's published view {@code merged_person}) counts as that person, so one
 * human in two batches under two ids is one, not two ({@link #PERSON}). Counted in the database (one grouped query per level, so memory
 * holds only the classes, never the rows), climbing the {@link Generalisation} ladder until the rows
 * in classes under k are at most the allowed share; those are then suppressed. If even the top level
 * leaves more, the release is refused with the reason.
 */
final class KAnonymity {

    /**
     * The person a research row belongs to: the surviving id of its pseudo id after linkage's merges, or the pseudo
     * id itself when linkage has no record of it. Merges are kept flat (a merged id points at the survivor itself),
     * so one look-up suffices. Needs {@link #PERSON_JOIN} in the query.
     */
    static final String PERSON = "coalesce(mp.survivor_id, p.pseudo_id)";
    static final String PERSON_JOIN = " left join merged_person mp on mp.person_id = p.pseudo_id";

    /** Separates the values of a class key (a control character no released value holds). */
    static final char SEPARATOR = '\u001f';

    /** The decision: the report, and the keys of the classes to leave out (empty when refused). */
    record Outcome(KAnonymityReport report, Set<String> suppressedClasses) {
        boolean refused() {
            return report.refused();
        }

        int level() {
            return report.level();
        }
    }

    private final JdbcTemplate jdbc;

    KAnonymity(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc");
    }

    /** Checks the research records of the release's batches ({@code release_intake}). */
    Outcome check(String releaseId, ReleaseSpec spec, int k) {
        List<ReleaseVariable> qis = spec.quasiIdentifiers();
        List<String> qiNames = qis.stream().map(ReleaseVariable::key).toList();
        long[] totals = jdbc.queryForObject("select count(*), count(distinct " + PERSON + ") from research_person p"
                + PERSON_JOIN + " where p.intake_id in (select intake_id from release_intake where release_id = ?)",
                (rs, n) -> new long[] {rs.getLong(1), rs.getLong(2)}, releaseId);
        long rows = totals[0];
        long people = totals[1];
        if (rows == 0) {
            return new Outcome(new KAnonymityReport(k, qiNames, -1, List.of(), 0, 0, 0, 0, 0, spec.maxSuppressedShare(),
                    List.of(), true, "there is no linked data to release"), Set.of());
        }
        if (qis.isEmpty()) {
            return new Outcome(new KAnonymityReport(k, qiNames, 0, List.of(), rows, people, 0, 1, people,
                    spec.maxSuppressedShare(), List.of(), false, null), Set.of());
        }
        List<KAnonymityReport.Level> levels = new ArrayList<>();
        for (int level = 0; level <= Generalisation.TOP_LEVEL; level++) {
            Classes classes = classes(releaseId, qis, level, k);
            List<String> steps = Generalisation.describe(qis, level);
            levels.add(new KAnonymityReport.Level(level, steps, classes.count, classes.small.size(), classes.rowsUnderK));
            if (classes.rowsUnderK <= spec.maxSuppressedShare() * rows && classes.rowsUnderK < rows) {
                KAnonymityReport report = new KAnonymityReport(k, qiNames, level, steps, rows, people, classes.rowsUnderK,
                        classes.count - classes.small.size(), classes.smallestReleased, spec.maxSuppressedShare(), levels,
                        false, null);
                return new Outcome(report, Set.copyOf(classes.small));
            }
        }
        KAnonymityReport.Level last = levels.get(levels.size() - 1);
        String reason = String.format(java.util.Locale.ROOT, "at k=%d over %s, even level %d (%s) leaves %d of %d rows"
                        + " (%.1f%%) in %d classes under k, more than the %.1f%% that may be suppressed",
                k, qiNames, last.level(), last.generalisations().isEmpty() ? "no generalisation"
                        : String.join("; ", last.generalisations()), last.rowsUnderK(), rows,
                100.0 * last.rowsUnderK() / rows, last.classesUnderK(), 100.0 * spec.maxSuppressedShare());
        return new Outcome(new KAnonymityReport(k, qiNames, -1, List.of(), rows, people, 0, 0, 0, spec.maxSuppressedShare(),
                levels, true, reason), Set.of());
    }

    private static final class Classes {
        long count;
        long rowsUnderK;
        long smallestReleased = Long.MAX_VALUE;
        final Set<String> small = new HashSet<>();
    }

    private Classes classes(String releaseId, List<ReleaseVariable> qis, int level, int k) {
        List<String> expressions = qis.stream().map(v -> Generalisation.expression(v, level)).toList();
        StringBuilder select = new StringBuilder("select ");
        for (int i = 0; i < expressions.size(); i++) {
            select.append(expressions.get(i)).append(" as q").append(i).append(", ");
        }
        String groupBy = String.join(", ", expressions);
        String sql = select + "count(distinct " + PERSON + ") as people, count(*) as row_count from research_person p"
                + PERSON_JOIN + " where p.intake_id in (select intake_id from release_intake where release_id = ?) group by " + groupBy;
        Classes classes = new Classes();
        jdbc.query(sql, rs -> {
            classes.count++;
            long classPeople = rs.getLong("people");
            if (classPeople < k) {
                StringBuilder key = new StringBuilder();
                for (int i = 0; i < qis.size(); i++) {
                    if (i > 0) {
                        key.append(SEPARATOR);
                    }
                    key.append(rs.getString("q" + i));
                }
                classes.small.add(key.toString());
                classes.rowsUnderK += rs.getLong("row_count");
            } else {
                classes.smallestReleased = Math.min(classes.smallestReleased, classPeople);
            }
        }, releaseId);
        if (classes.smallestReleased == Long.MAX_VALUE) {
            classes.smallestReleased = 0;
        }
        return classes;
    }
}
