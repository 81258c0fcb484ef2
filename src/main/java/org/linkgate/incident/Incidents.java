package org.linkgate.incident;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Opens incidents (cl. 13): a possible loss or unauthorised release, to be reported to all
 * parties within 24 hours of detection. Each is recorded with its deadline, audited, raised as an
 * alert and given one pending notification per recipient ({@link IncidentRecipients}) — all in
 * the caller's transaction, or in one of its own when there is none — so no incident is recorded
 * without its notifications, and none is lost; route {@code incident-notifier} sends them.
 * Operators acknowledge and close incidents (OPEN -> ACKNOWLEDGED -> CLOSED). Summaries and notes
 * carry no personal data.
 */
@Component
public class Incidents {

    public static final Duration REPORTING_DEADLINE = Duration.ofHours(24);
    private static final Logger LOG = LoggerFactory.getLogger(Incidents.class);
    /** Longest note an operator may attach when acknowledging or closing. */
    public static final int MAX_NOTE_LENGTH = 500;
    /** An incident is overdue when past its deadline and still OPEN, or ACKNOWLEDGED but not yet reported. */
    static final String OVERDUE = "status <> 'CLOSED' and deadline_at < ? and (status = 'OPEN' or reported_at is null)";
    private static final int MAX_SUMMARY = 1000;
    private final JdbcTemplate jdbc;
    private final AuditLog audit;
    private final Alerts alerts;
    private final IncidentRecipients recipients;
    private final Clock clock;
    private final TransactionTemplate joinOrBegin;

    public Incidents(JdbcTemplate jdbc, AuditLog audit, Alerts alerts, IncidentRecipients recipients, Clock clock) {
        this.jdbc = jdbc;
        this.audit = audit;
        this.alerts = alerts;
        this.recipients = recipients;
        this.clock = clock;
        // Joins the caller's transaction on this DataSource, or begins one (e.g. the retention job, SFTP threads).
        this.joinOrBegin = new TransactionTemplate(new DataSourceTransactionManager(
                Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no DataSource")));
    }

    /** Opens a new incident (one per event: e.g. identifiers in one return file). Returns its id. */
    public String open(String category, String partnerCode, String subjectId, String summary) {
        return joinOrBegin.execute(tx -> insert(category, partnerCode, subjectId, summary, "gateway", List.of()));
    }

    /** Longest description a person may give when reporting an incident. */
    public static final int MAX_DESCRIPTION_LENGTH = 900;

    /**
     * An incident a person reports (cl. 13.1): on the same 24-hour clock from now, with the same notifications as a
     * detected one, the reporter recorded as its actor. A personal-data breach is also e-mailed to the ICO; when the
     * agreement waives that ({@code icoWaiver}), the waiver is audited on the incident (INCIDENT_ICO_WAIVED) and
     * logged, so the decision not to tell the regulator is on the record every time. Returns the incident's id.
     *
     * @throws IllegalArgumentException naming what is wrong: category not reportable, description missing, too long
     *                                  or with control characters
     */
    public String report(String category, String description, boolean personalDataBreach, String partnerCode,
            String reporter) {
        Objects.requireNonNull(reporter, "reporter");
        if (category == null || !IncidentCategory.REPORTABLE.contains(category)) {
            throw new IllegalArgumentException("category is one of " + new java.util.TreeSet<>(IncidentCategory.REPORTABLE));
        }
        String text = description == null ? "" : description.strip();
        if (text.isEmpty() || text.length() > MAX_DESCRIPTION_LENGTH) {
            throw new IllegalArgumentException("description is required, at most " + MAX_DESCRIPTION_LENGTH + " characters");
        }
        if (text.chars().anyMatch(c -> (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)) {
            throw new IllegalArgumentException("description must not hold control characters");
        }
        String actor = "http:" + reporter;
        return joinOrBegin.execute(tx -> {
            List<IncidentRecipients.Recipient> extra = List.of();
            Optional<IncidentRecipients.Recipient> ico = personalDataBreach ? recipients.ico() : Optional.empty();
            if (ico.isPresent()) {
                extra = List.of(ico.get());
            }
            String id = insert(category, partnerCode, null, "reported by " + reporter + ": " + text, actor, extra);
            jdbc.update("update incident set reported_by = ?, personal_data_breach = ? where id = ?", reporter,
                    personalDataBreach, id);
            if (personalDataBreach && ico.isEmpty()) {
                Optional<String> waiver = recipients.icoWaiver();
                String why = waiver.map(w -> "ICO not notified, waived by the agreement: " + w)
                        .orElse("ICO not notified: the agreement names no ICO contact and no waiver");
                audit.record(AuditEventType.INCIDENT_ICO_WAIVED, partnerCode, id, actor, why);
                LOG.warn("personal-data breach {}: {}", id, why);
                if (waiver.isEmpty()) {
                    alerts.raise("INCIDENT_ICO_NOT_NOTIFIED", partnerCode, id, "incident " + id + ": " + why);
                }
            }
            return id;
        });
    }

    /**
     * Opens one incident per ongoing condition: while an incident opened under {@code conditionKey}
     * is not closed, a recurrence only counts on it (occurrences, last seen, audited) instead of
     * opening another. Closing the incident ends the condition. Returns the incident's id.
     */
    public String openOnce(String conditionKey, String category, String partnerCode, String subjectId, String summary) {
        Objects.requireNonNull(conditionKey, "conditionKey");
        String key = conditionKey.length() > 200 ? conditionKey.substring(0, 200) : conditionKey;
        try {
            return openOnceIn(key, category, partnerCode, subjectId, summary);
        } catch (DuplicateKeyException raced) {
            // Another thread opened the same condition meanwhile (e.g. parallel SFTP attempts): count on
            // its incident. Inside a caller's transaction the caller's retry decides. No JVM lock is held
            // here: it would deadlock with the audit chain's row lock.
            if (TransactionSynchronizationManager.isActualTransactionActive()) {
                throw raced;
            }
            return openOnceIn(key, category, partnerCode, subjectId, summary);
        }
    }

    private String openOnceIn(String key, String category, String partnerCode, String subjectId, String summary) {
        return joinOrBegin.execute(tx -> {
            List<String> existing = jdbc.queryForList("select incident_id from incident_condition where condition_key = ?",
                    String.class, key);
            if (!existing.isEmpty()) {
                String id = existing.get(0);
                jdbc.update("update incident set occurrences = occurrences + 1, last_seen_at = ? where id = ?",
                        Timestamp.from(clock.instant()), id);
                audit.record(AuditEventType.INCIDENT_RECURRED, partnerCode, id, "gateway", category + " on " + subjectId);
                return id;
            }
            String id = insert(category, partnerCode, subjectId, summary, "gateway", List.of());
            jdbc.update("insert into incident_condition (condition_key, incident_id) values (?, ?)", key, id);
            return id;
        });
    }

    private String insert(String category, String partnerCode, String subjectId, String summary, String actor,
            List<IncidentRecipients.Recipient> alsoTold) {
        String id = UUID.randomUUID().toString();
        Instant now = clock.instant();
        Instant deadline = now.plus(REPORTING_DEADLINE);
        String text = summary.length() > MAX_SUMMARY ? summary.substring(0, MAX_SUMMARY) : summary;
        String subject = subjectId != null && subjectId.length() > 64 ? subjectId.substring(0, 64) : subjectId;
        jdbc.update("insert into incident (id, opened_at, deadline_at, category, partner_code, subject_id, summary, status,"
                        + " last_seen_at) values (?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)",
                id, Timestamp.from(now), Timestamp.from(deadline), category, partnerCode, subject, text, Timestamp.from(now));
        List<IncidentRecipients.Recipient> told = new java.util.ArrayList<>(recipients.of(partnerCode));
        for (IncidentRecipients.Recipient extra : alsoTold) {
            if (told.stream().noneMatch(r -> r.address().equalsIgnoreCase(extra.address()))) {
                told.add(extra);
            }
        }
        for (IncidentRecipients.Recipient to : told) {
            jdbc.update("insert into incident_notification (id, incident_id, channel, recipient, recipient_label, status,"
                            + " created_at, next_attempt_at) values (?, ?, ?, ?, ?, 'PENDING', ?, ?)",
                    UUID.randomUUID().toString(), id, to.channel(), to.address(), to.label(), Timestamp.from(now),
                    Timestamp.from(now));
        }
        audit.record(AuditEventType.INCIDENT_OPENED, partnerCode, id, actor,
                subject == null ? category : category + " on " + subject);
        alerts.raise("INCIDENT_" + category, partnerCode, subject, "incident " + id + ": " + text
                + " (report to all parties by " + deadline + ")");
        return id;
    }

    /** What an operator's request did. */
    public enum Transition { DONE, NOT_FOUND, INVALID }

    /** OPEN -> ACKNOWLEDGED: an operator has taken the incident on. */
    public Transition acknowledge(String id, String actor, String note) {
        return joinOrBegin.execute(tx -> {
            int changed = jdbc.update("update incident set status = 'ACKNOWLEDGED', acknowledged_at = ?, acknowledged_by = ?,"
                    + " acknowledge_note = ? where id = ? and status = 'OPEN'", Timestamp.from(clock.instant()), actor,
                    note(note), id);
            return changed == 1 ? done(AuditEventType.INCIDENT_ACKNOWLEDGED, id, actor) : refusal(id);
        });
    }

    /** ACKNOWLEDGED -> CLOSED: investigated and dealt with; the condition may open a new incident again. */
    public Transition close(String id, String actor, String note) {
        return joinOrBegin.execute(tx -> {
            int changed = jdbc.update("update incident set status = 'CLOSED', closed_at = ?, closed_by = ?, close_note = ?"
                    + " where id = ? and status = 'ACKNOWLEDGED'", Timestamp.from(clock.instant()), actor, note(note), id);
            if (changed != 1) {
                return refusal(id);
            }
            jdbc.update("delete from incident_condition where incident_id = ?", id);
            return done(AuditEventType.INCIDENT_CLOSED, id, actor);
        });
    }

    private Transition done(AuditEventType type, String id, String actor) {
        String partner = jdbc.queryForObject("select partner_code from incident where id = ?", String.class, id);
        audit.record(type, partner, id, actor, null);
        return Transition.DONE;
    }

    private Transition refusal(String id) {
        Long found = jdbc.queryForObject("select count(*) from incident where id = ?", Long.class, id);
        return found == null || found == 0 ? Transition.NOT_FOUND : Transition.INVALID;
    }

    private static String note(String note) {
        if (note == null) {
            return null;
        }
        String trimmed = note.strip();
        if (trimmed.length() > MAX_NOTE_LENGTH || trimmed.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
            throw new IllegalArgumentException("a note is at most " + MAX_NOTE_LENGTH + " characters on one line");
        }
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Checks a note before use; true when acceptable (bounded, one line). */
    public static boolean acceptableNote(String note) {
        try {
            note(note);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One incident as operators see it. {@code overdue}: past deadline and still OPEN, or ACKNOWLEDGED but not reported. */
    public record Incident(String id, String category, String partnerCode, String subjectId, String summary,
                           String status, Instant detectedAt, Instant deadline, boolean overdue, int occurrences,
                           Instant lastSeenAt, Instant reportedAt, Instant acknowledgedAt, String acknowledgedBy,
                           String acknowledgeNote, Instant closedAt, String closedBy, String closeNote,
                           long notificationsPending, long notificationsSent, String reportedBy,
                           boolean personalDataBreach) {
    }

    private static final String SELECT = "select i.*, (select count(*) from incident_notification n where n.incident_id = i.id"
            + " and n.status in ('PENDING', 'SENDING')) as pending, (select count(*) from incident_notification n where n.incident_id = i.id"
            + " and n.status = 'SENT') as sent from incident i";

    /** Incidents in one status, or every not-closed one when {@code status} is null; most urgent first, at most 500. */
    public List<Incident> list(String status) {
        Instant now = clock.instant();
        if (status == null) {
            return jdbc.query(SELECT + " where i.status <> 'CLOSED' order by i.deadline_at limit 500", (rs, n) -> map(rs, now));
        }
        return jdbc.query(SELECT + " where i.status = ? order by i.deadline_at desc limit 500", (rs, n) -> map(rs, now), status);
    }

    public Optional<Incident> find(String id) {
        Instant now = clock.instant();
        return jdbc.query(SELECT + " where i.id = ?", (rs, n) -> map(rs, now), id).stream().findFirst();
    }

    private static Incident map(ResultSet rs, Instant now) throws SQLException {
        String status = rs.getString("status");
        Instant deadline = instant(rs, "deadline_at");
        Instant reported = instant(rs, "reported_at");
        boolean overdue = !"CLOSED".equals(status) && deadline.isBefore(now) && ("OPEN".equals(status) || reported == null);
        return new Incident(rs.getString("id"), rs.getString("category"), rs.getString("partner_code"),
                rs.getString("subject_id"), rs.getString("summary"), status, instant(rs, "opened_at"), deadline, overdue,
                rs.getInt("occurrences"), instant(rs, "last_seen_at"), reported, instant(rs, "acknowledged_at"),
                rs.getString("acknowledged_by"), rs.getString("acknowledge_note"), instant(rs, "closed_at"),
                rs.getString("closed_by"), rs.getString("close_note"), rs.getLong("pending"), rs.getLong("sent"),
                rs.getString("reported_by"), rs.getBoolean("personal_data_breach"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
