package org.linkgate.linkage;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * Merge forward on {@code linkage_person}, the one rule for an automatic link ({@link BatchLinker}) and
 * an operator's accepted review pair ({@link LinkageDecisions}): the later person points to the earliest
 * ({@code merged_into}), every id stays valid, so no id a department has seen changes; one
 * {@code PERSONS_MERGED} audit event per merge. Each records what it moved ({@code linkage_merge_move}) so
 * it can be undone ({@link MergeSplit}). Also the operator's non-links ({@code linkage_non_link}).
 */
final class PersonMerges {

    private final JdbcTemplate jdbc;
    private final AuditLog audit;

    PersonMerges(JdbcTemplate jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /**
     * Takes the linkage lock ({@code linkage_lock}) for the rest of the transaction: linking a batch and
     * deciding or undoing a review pair take it first, so each sees the other's effect whole.
     */
    void lockLinkage() {
        jdbc.queryForList("select id from linkage_lock where id = 1 for update");
    }

    /** A person as merge forward sees it: its surviving id and when that survivor was first seen. */
    record Survivor(String canonical, Instant firstSeen) implements Comparable<Survivor> {
        @Override
        public int compareTo(Survivor o) {
            int c = firstSeen.compareTo(o.firstSeen);
            return c != 0 ? c : canonical.compareTo(o.canonical);
        }
    }

    /** The surviving person of an id (itself unless merged forward), empty for an id linkage never gave. */
    Optional<Survivor> survivor(String personId) {
        List<Survivor> found = jdbc.query("select coalesce(p.merged_into, p.person_id) as canonical, s.first_seen_at"
                + " from linkage_person p join linkage_person s on s.person_id = coalesce(p.merged_into, p.person_id)"
                + " where p.person_id = ?", (rs, i) -> new Survivor(rs.getString(1), rs.getTimestamp(2).toInstant()),
                personId);
        return found.stream().findFirst();
    }

    /**
     * An automatic merge by linking ({@link BatchLinker}): merges {@code later} (a survivor) and everyone already
     * merged into it forward into {@code survivor}, records it ({@code linkage_merge}) with what it moved
     * ({@code linkage_merge_move}), so an ADMIN can undo it exactly ({@link MergeUndo}), and audits it: subject
     * the batch that found it, actor {@code actor}.
     */
    void mergeForward(String later, String survivor, Instant now, String intakeId, String actor, String why) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(c -> {
            PreparedStatement ps = c.prepareStatement("insert into linkage_merge (intake_id, person_id, survivor_id,"
                    + " merged_at) values (?, ?, ?, ?)", new String[] {"id"});
            ps.setString(1, intakeId);
            ps.setString(2, later);
            ps.setString(3, survivor);
            ps.setTimestamp(4, Timestamp.from(now));
            return ps;
        }, key);
        long mergeId = Objects.requireNonNull(key.getKey(), "linkage_merge id").longValue();
        recordMoves("merge_id", mergeId, later, survivor);
        move(later, survivor, now, intakeId, actor, "automatic merge " + mergeId + (why == null ? "" : "; " + why));
    }

    /**
     * An ADMIN's accepted review pair: the same merge forward, its moves recorded under the pair
     * ({@code linkage_merge_move.review_id}) for {@link DecisionUndo}.
     */
    void mergeForwardAccepted(long reviewId, String later, String survivor, Instant now, String admin, String why) {
        recordMoves("review_id", reviewId, later, survivor);
        move(later, survivor, now, "review-" + reviewId, admin, why);
    }

    /** What merging {@code later} into {@code survivor} moves: {@code later} and everyone merged into it, as they are now. */
    private void recordMoves(String owner, long ownerId, String later, String survivor) {
        jdbc.update("insert into linkage_merge_move (" + owner + ", person_id, previous_merged_into, previous_merged_at,"
                + " merged_into) select ?, person_id, merged_into, merged_at, ? from linkage_person"
                + " where person_id = ? or merged_into = ?", ownerId, survivor, later, later);
    }

    private void move(String later, String survivor, Instant now, String subjectId, String actor, String why) {
        jdbc.update("update linkage_person set merged_into = ?, merged_at = ? where person_id = ? or merged_into = ?",
                survivor, Timestamp.from(now), later, later);
        audit.record(AuditEventType.PERSONS_MERGED, null, subjectId, actor,
                "person " + later + " merged forward into earlier person " + survivor + (why == null ? "" : " (" + why + ")"));
    }

    /** Records that two persons are not one (lower id first), as an ADMIN rejected a review pair; false if already recorded. */
    boolean recordNonLink(String a, String b, long reviewId, Instant now) {
        return recordNonLink(a, b, reviewId, null, now);
    }

    /**
     * Records that two persons are not one (lower id first), decided on review pair {@code reviewId} or by
     * undoing automatic merge {@code mergeId} (the other null); false if already recorded.
     */
    boolean recordNonLink(String a, String b, Long reviewId, Long mergeId, Instant now) {
        String first = a.compareTo(b) < 0 ? a : b;
        String second = a.compareTo(b) < 0 ? b : a;
        Integer known = jdbc.queryForObject("select count(*) from linkage_non_link where person_a = ? and person_b = ?",
                Integer.class, first, second);
        if (known != null && known > 0) {
            return false;
        }
        jdbc.update("insert into linkage_non_link (person_a, person_b, review_id, merge_id, decided_at)"
                + " values (?, ?, ?, ?, ?)", first, second, reviewId, mergeId, Timestamp.from(now));
        return true;
    }

    /** Whether an operator decided that someone merged into {@code a} is not someone merged into {@code b}. */
    boolean separated(String a, String b) {
        Integer n = jdbc.queryForObject("select count(*) from linkage_non_link n"
                + " join linkage_person x on x.person_id = n.person_a join linkage_person y on y.person_id = n.person_b"
                + " where (coalesce(x.merged_into, x.person_id) = ? and coalesce(y.merged_into, y.person_id) = ?)"
                + " or (coalesce(x.merged_into, x.person_id) = ? and coalesce(y.merged_into, y.person_id) = ?)",
                Integer.class, a, b, b, a);
        return n != null && n > 0;
    }

    /**
     * Every non-link, both ids resolved to their survivors, as "a|b" with the lower first. Bounded by the
     * operators' decisions, not by the store.
     */
    Set<String> nonLinks() {
        Set<String> out = new HashSet<>();
        jdbc.query("select coalesce(x.merged_into, x.person_id), coalesce(y.merged_into, y.person_id)"
                + " from linkage_non_link n join linkage_person x on x.person_id = n.person_a"
                + " join linkage_person y on y.person_id = n.person_b", rs -> {
            out.add(pairKey(rs.getString(1), rs.getString(2)));
        });
        return out;
    }

    static String pairKey(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }
}
