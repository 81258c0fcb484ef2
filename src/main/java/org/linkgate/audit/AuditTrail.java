package org.linkgate.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.linkgate.kernel.SpreadsheetFormulaGuard;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Auditors' queries over the audit trail, in chain order: by subject (file or extract id), partner,
 * actor, event type, period and person (pseudo_id, resolved by the features holding person-level data). Results as records or as CSV
 * written row by row, every value guarded against spreadsheet formulas.
 */
@Component
public class AuditTrail {

    /** CSV columns, in order. */
    public static final List<String> CSV_HEADER = List.of("seq", "occurred_at", "event_type", "partner_code",
            "subject_id", "actor", "detail", "prev_hash", "hash");

    private final JdbcTemplate jdbc;
    private final List<PersonSubjects> holders;

    /**
     * @param holders the features holding person-level data (intake files through their research records, extracts
     *                through their members, returns through their rows), asked which subjects concern a person
     */
    public AuditTrail(JdbcTemplate jdbc, List<PersonSubjects> holders) {
        this.jdbc = new JdbcTemplate(Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no DataSource"));
        this.jdbc.setFetchSize(500);
        this.holders = List.copyOf(holders);
    }

    /** Events of one type about one partner and subject since some time: how many, first and last. */
    public record EventGroup(String eventType, String partnerCode, String subjectId, long count, Instant first,
                             Instant last) {
    }

    /**
     * Events of the given types since {@code since}, one line per type, partner and subject (a delivery
     * retried every few seconds is one line with a count), most recent first, at most {@code limit}.
     */
    public List<EventGroup> recentGroups(Instant since, List<String> eventTypes, int limit) {
        if (eventTypes.isEmpty()) {
            return List.of();
        }
        String placeholders = String.join(", ", eventTypes.stream().map(e -> "?").toList());
        List<Object> args = new ArrayList<>();
        args.add(Timestamp.from(since));
        args.addAll(eventTypes);
        args.add(limit);
        return jdbc.query("select event_type, partner_code, subject_id, count(*), min(occurred_at), max(occurred_at)"
                        + " from audit_event where occurred_at >= ? and event_type in (" + placeholders + ")"
                        + " group by event_type, partner_code, subject_id order by max(occurred_at) desc limit ?",
                (rs, n) -> new EventGroup(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant()), args.toArray());
    }

    /** The matching events, oldest first. */
    public List<AuditEventRecord> find(AuditEventFilter filter) {
        Query query = Query.of(filter, this::subjectsOf);
        return jdbc.query(query.sql, (rs, n) -> AuditEventRecord.fromRow(rs), query.args.toArray());
    }

    /** Writes the matching events as RFC 4180 CSV with a header row, streaming; the writer is flushed, not closed. */
    public void writeCsv(AuditEventFilter filter, Writer out) {
        Query query = Query.of(filter, this::subjectsOf);
        try {
            CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180);
            csv.printRecord(CSV_HEADER);
            jdbc.query(query.sql, (ResultSet rs) -> printRow(csv, AuditEventRecord.fromRow(rs)), query.args.toArray());
            csv.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit CSV", e);
        }
    }

    private static void printRow(CSVPrinter csv, AuditEventRecord event) throws SQLException {
        try {
            csv.printRecord(guard(event.seq() == null ? null : event.seq().toString()),
                    guard(event.occurredAt() == null ? null : AuditChainHash.canonicalTime(event.occurredAt())),
                    guard(event.eventType()), guard(event.partnerCode()), guard(event.subjectId()),
                    guard(event.actor()), guard(event.detail()), guard(event.prevHash()), guard(event.hash()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit CSV", e);
        }
    }

    private static String guard(String value) {
        return SpreadsheetFormulaGuard.neutralise(value);
    }

    private Set<String> subjectsOf(String pseudoId) {
        Set<String> subjects = new TreeSet<>();
        holders.forEach(h -> subjects.addAll(h.subjectsOf(pseudoId)));
        return subjects;
    }

    private record Query(String sql, List<Object> args) {

        static Query of(AuditEventFilter filter, Function<String, Set<String>> subjectsOfPerson) {
            Objects.requireNonNull(filter, "filter");
            StringBuilder where = new StringBuilder(" where 1 = 1");
            List<Object> args = new ArrayList<>();
            condition(where, args, "subject_id = ?", filter.subjectId());
            condition(where, args, "partner_code = ?", filter.partnerCode());
            condition(where, args, "actor = ?", filter.actor());
            condition(where, args, "event_type = ?", filter.type() == null ? null : filter.type().name());
            condition(where, args, "occurred_at >= ?",
                    filter.from() == null ? null : OffsetDateTime.ofInstant(filter.from(), ZoneOffset.UTC));
            condition(where, args, "occurred_at < ?",
                    filter.to() == null ? null : OffsetDateTime.ofInstant(filter.to(), ZoneOffset.UTC));
            if (filter.pseudoId() != null) {
                Set<String> subjects = subjectsOfPerson.apply(filter.pseudoId());
                if (subjects.isEmpty()) {
                    where.append(" and 1 = 0");
                } else {
                    where.append(" and subject_id in (").append(String.join(", ", subjects.stream().map(x -> "?").toList()))
                            .append(")");
                    args.addAll(subjects);
                }
            }
            return new Query("select " + AuditEventRecord.COLUMNS + " from audit_event" + where
                    + " order by seq, id limit " + filter.limit(), args);
        }

        private static void condition(StringBuilder where, List<Object> args, String sql, Object value) {
            if (value != null) {
                where.append(" and ").append(sql);
                args.add(value);
            }
        }
    }
}
