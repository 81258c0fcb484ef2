package org.linkgate.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.linkgate.kernel.AcceptedBatchTimes;
import org.linkgate.kernel.ReceivedFileFacts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What other features may know of the council batch ledger ({@code intake_file}, owned by intake):
 * totals per council and each council's latest batch (duplicates left out, as the council was told
 * they were not processed); and, for retention, which batches still hold data and marking it destroyed.
 */
@Component
public class IntakeFiles implements AcceptedBatchTimes {

    /** A council's batches so far: how many, how many not accepted, rows rejected, when one was last accepted. */
    public record CouncilTotals(long files, long filesRejected, long rowsRejected, Instant lastAccepted) {
        public static final CouncilTotals NONE = new CouncilTotals(0, 0, 0, null);
    }

    /** A council's latest batch as the status page shows it (metadata only). */
    public record LatestBatch(String id, String period, String status, Instant receivedAt, Instant completedAt,
                              long rowsTotal, long rowsAccepted, long rowsRejected) {
    }

    private final JdbcTemplate jdbc;

    public IntakeFiles(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, CouncilTotals> totalsByCouncil() {
        Map<String, CouncilTotals> totals = new HashMap<>();
        jdbc.query("select council_code, count(*),"
                        + " sum(case when status in ('REJECTED', 'QUARANTINED') then 1 else 0 end),"
                        + " coalesce(sum(rows_rejected), 0),"
                        + " max(case when status in ('ACCEPTED', 'PARTIAL') then received_at end)"
                        + " from intake_file where status <> 'DUPLICATE' group by council_code",
                rs -> {
                    totals.put(rs.getString(1), new CouncilTotals(rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            instant(rs, 5)));
                });
        return totals;
    }

    public Optional<LatestBatch> latest(String councilCode) {
        return jdbc.query("select id, period, status, received_at, completed_at, rows_total, rows_accepted, rows_rejected"
                        + " from intake_file where council_code = ? and status <> 'DUPLICATE'"
                        + " order by received_at desc limit 1",
                (rs, n) -> new LatestBatch(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                        instant(rs, 5), rs.getLong(6), rs.getLong(7), rs.getLong(8)), councilCode).stream().findFirst();
    }

    /** A council batch the gateway keeps data from. */
    public record Held(String id, String councilCode) {
    }

    /** Batches archived (their outcome final) whose council data is not yet destroyed, oldest first. */
    public List<Held> archivedWithCouncilData() {
        return jdbc.query("select id, council_code from intake_file where archived_at is not null"
                + " and council_data_destroyed_at is null order by received_at, id", (rs, n) -> held(rs));
    }

    /** Accepted batches (whole or in part) whose research records, the linked data, are not yet destroyed. */
    public List<Held> archivedWithLinkedData() {
        return jdbc.query("select id, council_code from intake_file where archived_at is not null"
                + " and status in ('ACCEPTED', 'PARTIAL') and linked_data_destroyed_at is null order by received_at, id",
                (rs, n) -> held(rs));
    }

    /** An accepted batch (whole or in part) as a release of linked data sees it: null while its linked data is held. */
    public record AcceptedBatch(String id, String councilCode, String period, Instant linkedDataDestroyedAt) {
    }

    /** Accepted batches of the given periods (of every period if none is given), oldest first. */
    public List<AcceptedBatch> accepted(List<String> periods) {
        StringBuilder sql = new StringBuilder("select id, council_code, period, linked_data_destroyed_at from intake_file"
                + " where status in ('ACCEPTED', 'PARTIAL')");
        if (!periods.isEmpty()) {
            sql.append(" and period in (").append(String.join(", ", periods.stream().map(p -> "?").toList())).append(')');
        }
        sql.append(" order by received_at, id");
        return jdbc.query(sql.toString(), (rs, n) -> new AcceptedBatch(rs.getString(1), rs.getString(2), rs.getString(3),
                instant(rs, 4)), periods.toArray());
    }

    /** A batch as subject access tells it: its file, when received, outcome, what was destroyed, its data key (null once shredded). */
    public record ReceivedBatch(String id, String fileName, Instant receivedAt, String status,
                                Instant councilDataDestroyedAt, Instant linkedDataDestroyedAt, String dataKeyId) {
    }

    /** The given batches that exist, by id. */
    public Map<String, ReceivedBatch> received(Collection<String> intakeIds) {
        if (intakeIds.isEmpty()) {
            return Map.of();
        }
        Map<String, ReceivedBatch> found = new HashMap<>();
        jdbc.query("select id, file_name, received_at, status, council_data_destroyed_at, linked_data_destroyed_at,"
                        + " data_key_id from intake_file where id in ("
                        + String.join(", ", Collections.nCopies(intakeIds.size(), "?")) + ")",
                rs -> {
                    found.put(rs.getString(1), new ReceivedBatch(rs.getString(1), rs.getString(2), instant(rs, 3),
                            rs.getString(4), instant(rs, 5), instant(rs, 6), rs.getString(7)));
                }, intakeIds.toArray());
        return found;
    }

    @Override
    public Optional<Instant> lastAccepted(String councilCode) {
        Timestamp last = jdbc.queryForObject("select max(received_at) from intake_file where council_code = ?"
                + " and status in ('ACCEPTED', 'PARTIAL')", Timestamp.class, councilCode);
        return Optional.ofNullable(last).map(Timestamp::toInstant);
    }

    public ReceivedFileFacts facts(String intakeId) {
        return jdbc.queryForObject("select file_name, sha256, size_bytes, status, data_key_id from intake_file where id = ?",
                (rs, n) -> new ReceivedFileFacts(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        rs.getString(5)), intakeId);
    }

    /** Whether a batch's research records were accepted, so they stay as linked data after its council data goes. */
    public boolean acceptedAsLinkedData(String intakeId) {
        String status = jdbc.queryForObject("select status from intake_file where id = ?", String.class, intakeId);
        return "ACCEPTED".equals(status) || "PARTIAL".equals(status);
    }

    /** Council data destroyed: the ledger says when, and forgets the (now shredded) data key. */
    public void markCouncilDataDestroyed(String intakeId, Instant at) {
        jdbc.update("update intake_file set council_data_destroyed_at = ?, data_key_id = null where id = ?",
                Timestamp.from(at), intakeId);
    }

    public void markLinkedDataDestroyed(String intakeId, Instant at) {
        jdbc.update("update intake_file set linked_data_destroyed_at = ? where id = ?", Timestamp.from(at), intakeId);
    }

    private static Held held(ResultSet rs) throws SQLException {
        return new Held(rs.getString(1), rs.getString(2));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** How many of a council's batches were accepted (whole or in part). */
    public long acceptedCount(String councilCode) {
        Long n = jdbc.queryForObject("select count(*) from intake_file where council_code = ?"
                + " and status in ('ACCEPTED', 'PARTIAL')", Long.class, councilCode);
        return n == null ? 0 : n;
    }
}
