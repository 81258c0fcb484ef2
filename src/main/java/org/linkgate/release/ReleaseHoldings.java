package org.linkgate.release;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What retention may know of, and tell, the release ledger ({@code data_release}, {@code release_intake},
 * {@code release_member}, owned by release): which releases were made from a batch's linked data, for
 * the destruction certificate; who of that batch each release included, to count and delete with the
 * batch; and that the batch's linked data was destroyed and which certificate says so, so that release
 * refuses to send a release over it and asks the recipient to destroy its copies. Retention calls this
 * instead of writing SQL on release's tables, and release never reads retention's or intake's tables.
 */
@Component
public class ReleaseHoldings {

    /**
     * Members of releases made from batch {@code ?} who are one of its people and of no other batch of the
     * same release (arguments: the batch id four times). Release members are linkage's surviving person ids,
     * so a batch's record counts by its survivor (linkage's published view {@code merged_person}, else its own
     * pseudo id); the other batches are looked up both ways, each through an index. The batch's people are
     * read from the store's published view {@code research_person}, from which the release took them.
     */
    private static final String MEMBERS_ONLY_FROM = " from release_member where release_member.release_id in"
            + " (select release_id from release_intake where intake_id = ?) and release_member.pseudo_id in"
            + " (select coalesce(mp.survivor_id, r.pseudo_id) from research_person r left join merged_person mp"
            + " on mp.person_id = r.pseudo_id where r.intake_id = ?)"
            + " and not exists (select 1 from release_intake ri join research_person r2 on r2.intake_id = ri.intake_id"
            + " where ri.release_id = release_member.release_id and ri.intake_id <> ?"
            + " and r2.pseudo_id = release_member.pseudo_id)"
            + " and not exists (select 1 from merged_person mp2 join research_person r3 on r3.pseudo_id = mp2.person_id"
            + " join release_intake ri3 on ri3.intake_id = r3.intake_id where mp2.survivor_id = release_member.pseudo_id"
            + " and ri3.release_id = release_member.release_id and ri3.intake_id <> ?)";

    private final JdbcTemplate jdbc;

    public ReleaseHoldings(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The table whose rows {@link #countMembersOnlyFrom} and {@link #deleteMembersOnlyFrom} count and delete. */
    public String membersTable() {
        return "release_member";
    }

    /** How many release members only this batch accounts for (the rows {@link #deleteMembersOnlyFrom} deletes). */
    public long countMembersOnlyFrom(String intakeId) {
        Long n = jdbc.queryForObject("select count(*)" + MEMBERS_ONLY_FROM, Long.class, intakeId, intakeId, intakeId,
                intakeId);
        return n == null ? 0 : n;
    }

    /**
     * Deletes who of this batch each release included, unless another batch of that release still holds them.
     * Call while the batch's research records are still there: they are how its members are found.
     */
    public int deleteMembersOnlyFrom(String intakeId) {
        return jdbc.update("delete" + MEMBERS_ONLY_FROM, intakeId, intakeId, intakeId, intakeId);
    }

    /**
     * The approved or sent releases made from a batch's linked data, oldest first: release id, recipient,
     * status, file name, SHA-256, when sent (ISO-8601, milliseconds) and the rows this batch gave it.
     */
    public List<Map<String, Object>> releasesOf(String intakeId) {
        List<Map<String, Object>> releases = new ArrayList<>();
        jdbc.query("select d.id, d.recipient_code, d.status, d.file_name, d.sha256, d.sent_at, ri.rows_released"
                + " from release_intake ri join data_release d on d.id = ri.release_id where ri.intake_id = ?"
                + " and d.status in ('APPROVED', 'SENT') order by d.requested_at, d.id", rs -> {
                    Map<String, Object> release = new LinkedHashMap<>();
                    release.put("release", rs.getString("id"));
                    release.put("recipient", rs.getString("recipient_code"));
                    release.put("status", rs.getString("status"));
                    release.put("fileName", rs.getString("file_name"));
                    release.put("sha256", rs.getString("sha256"));
                    Timestamp sent = rs.getTimestamp("sent_at");
                    release.put("sentAt", sent == null ? null : sent.toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
                    release.put("rowsFromThisBatch", rs.getLong("rows_released"));
                    releases.add(release);
                }, intakeId);
        return releases;
    }

    /** The batch's linked data is destroyed: a release built from it is refused from now on. Same transaction as retention's mark. */
    public void linkedDataDestroyed(String intakeId, Instant at) {
        jdbc.update("update release_intake set linked_data_destroyed_at = ? where intake_id = ?"
                + " and linked_data_destroyed_at is null", Timestamp.from(at), intakeId);
    }

    /** The certificate recording that destruction: its releases' recipients are then asked to destroy their copies. */
    public void linkedDataCertified(String intakeId, String certificateId) {
        jdbc.update("update release_intake set destruction_certificate_id = ? where intake_id = ?"
                + " and destruction_certificate_id is null", certificateId, intakeId);
    }
}
