package org.linkgate.incident;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends the pending notifications of incidents (the outbox written by {@link Incidents}), called by
 * route {@code incident-notifier}: an encrypted, gateway-signed JSON notice into the affected
 * partner's outbound folder ({@code outbound/} of a council, {@code upload/} of a department, on
 * its own server if it has one), and plain-text e-mails over SMTP. Each is marked sent and audited
 * ({@code INCIDENT_NOTIFIED}) once delivered; a failure is retried with doubling back-off and
 * alerted after {@code alert-after-attempts}. A notice already in place after a crash is
 * recognised by its name and not sent twice. Without an SMTP host ({@code spring.mail.host}) the
 * e-mails stay pending and operators are alerted. Notices and e-mails carry the incident's
 * metadata only: no personal data.
 */
@Component("incidentNotifier")
public class IncidentNotifier {

    public static final String NOTICE_SUFFIX = ".notice.json.pgp";
    private static final Logger LOG = LoggerFactory.getLogger(IncidentNotifier.class);
    private static final int BATCH = 50;
    /** A SENDING claim older than this is taken to be of a notifier that died mid-send, and may be claimed again. */
    static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(5);
    private final String notifierId = "notifier-" + java.util.UUID.randomUUID();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Alerts alerts;
    private final IncidentNotices notices;
    private final ObjectProvider<JavaMailSender> mail;
    private final IncidentProperties properties;
    private final Clock clock;
    private final AtomicBoolean smtpMissingAlerted = new AtomicBoolean();

    public IncidentNotifier(JdbcTemplate jdbc, TransactionTemplate transactions, AuditLog audit, Alerts alerts,
                            IncidentNotices notices, ObjectProvider<JavaMailSender> mail, IncidentProperties properties,
                            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.alerts = alerts;
        this.notices = notices;
        this.mail = mail;
        this.properties = properties;
        this.clock = clock;
    }

    private record Pending(String id, String incidentId, String channel, String recipient, String label, int attempts) {
    }

    /** Sends every notification that is due; returns how many were sent. */
    public int sendDue() {
        JavaMailSender sender = mail.getIfAvailable();
        // Without SMTP the e-mails wait; notices must not queue behind them.
        Timestamp stale = Timestamp.from(clock.instant().minus(CLAIM_TIMEOUT));
        List<Pending> due = jdbc.query("select id, incident_id, channel, recipient, recipient_label, attempts"
                        + " from incident_notification where ((status = 'PENDING' and next_attempt_at <= ?)"
                        + " or (status = 'SENDING' and claimed_at < ?))"
                        + (sender == null ? " and channel <> 'EMAIL'" : "") + " order by created_at limit " + BATCH,
                (rs, n) -> new Pending(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6)), Timestamp.from(clock.instant()), stale);
        int sent = 0;
        long waitingForSmtp = sender != null ? 0 : jdbc.queryForObject("select count(*) from incident_notification"
                + " where status = 'PENDING' and channel = 'EMAIL'", Long.class);
        for (Pending notification : due) {
            if (!claim(notification)) {
                continue;
            }
            Map<String, Object> incident = jdbc.queryForMap("select * from incident where id = ?", notification.incidentId());
            try {
                if ("EMAIL".equals(notification.channel())) {
                    sender.send(email(notification, incident));
                } else {
                    notices.publish(notification.recipient(), notification.incidentId(), facts(incident));
                }
            } catch (RuntimeException e) {
                failed(notification, incident, e);
                continue;
            }
            boolean marked = Boolean.TRUE.equals(transactions.execute(tx -> {
                if (jdbc.update("update incident_notification set status = 'SENT', sent_at = ?, attempts = attempts + 1,"
                        + " last_error = null where id = ? and status = 'SENDING' and claimed_by = ?",
                        Timestamp.from(clock.instant()), notification.id(), notifierId) != 1) {
                    // Our claim went stale and another notifier took it over: it records the sending.
                    LOG.warn("incident {} {}: sent, but the claim was taken over meanwhile (sending took longer than {})",
                            notification.incidentId(), notification.label(), CLAIM_TIMEOUT);
                    return false;
                }
                audit.record(AuditEventType.INCIDENT_NOTIFIED, (String) incident.get("partner_code"),
                        notification.incidentId(), "gateway", notification.label());
                jdbc.update("update incident set reported_at = ? where id = ? and reported_at is null and not exists"
                        + " (select 1 from incident_notification n where n.incident_id = ? and n.status <> 'SENT')",
                        Timestamp.from(clock.instant()), notification.incidentId(), notification.incidentId());
                return true;
            }));
            if (marked) {
                sent++;
            }
        }
        if (waitingForSmtp > 0 && smtpMissingAlerted.compareAndSet(false, true)) {
            alerts.raise("INCIDENT_MAIL_NOT_CONFIGURED", null, null, waitingForSmtp + " incident e-mail(s) are waiting:"
                    + " no SMTP server is configured (spring.mail.host). They are sent once one is.");
        }
        return sent;
    }

    /**
     * Compare and set PENDING (or a stale SENDING) -> SENDING, claimed by this notifier: of two notifiers
     * that picked the same row (a stalled leader and its successor), only one sends it.
     */
    private boolean claim(Pending notification) {
        Instant now = clock.instant();
        return jdbc.update("update incident_notification set status = 'SENDING', claimed_at = ?, claimed_by = ?"
                + " where id = ? and (status = 'PENDING' or (status = 'SENDING' and claimed_at < ?))",
                Timestamp.from(now), notifierId, notification.id(), Timestamp.from(now.minus(CLAIM_TIMEOUT))) == 1;
    }

    private void failed(Pending notification, Map<String, Object> incident, RuntimeException e) {
        int attempts = notification.attempts() + 1;
        Duration delay = backOff(attempts);
        String error = describe(e);
        LOG.warn("incident {} {} failed (attempt {}), next in {}: {}", notification.incidentId(), notification.label(),
                attempts, delay, error);
        Instant now = clock.instant();
        // Back to PENDING (claim released) for the retry, unless the claim was taken over meanwhile.
        if (jdbc.update("update incident_notification set status = 'PENDING', claimed_at = null, claimed_by = null,"
                + " attempts = ?, next_attempt_at = ?, last_error = ? where id = ? and status = 'SENDING'"
                + " and claimed_by = ?", attempts, Timestamp.from(now.plus(delay)), error, notification.id(),
                notifierId) != 1) {
            return;
        }
        if (attempts >= properties.alertAfterAttempts()
                && jdbc.update("update incident_notification set alerted_at = ? where id = ? and alerted_at is null",
                Timestamp.from(now), notification.id()) == 1) {
            alerts.raise("INCIDENT_NOTIFICATION_FAILING", (String) incident.get("partner_code"), notification.incidentId(),
                    notification.label() + " for incident " + notification.incidentId() + " failed " + attempts
                            + " times (" + error + "); still retrying");
        }
    }

    Duration backOff(int attempts) {
        Duration delay = properties.retryBase();
        for (int i = 1; i < attempts && delay.compareTo(properties.retryMax()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(properties.retryMax()) > 0 ? properties.retryMax() : delay;
    }

    /** The failure's kind and message with any e-mail address masked: SMTP replies may echo recipients. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getClass().getSimpleName() + (root != e ? " (" + root.getClass().getSimpleName() + ")" : "")
                + ": " + String.valueOf(root.getMessage()).replaceAll("[^\\s<>\"'@]+@[^\\s<>\"']+", "<address>");
        return message.length() > 500 ? message.substring(0, 500) : message;
    }

    /** The facts told to every party: metadata of the incident, never anything from a file or a person. */
    static Map<String, Object> facts(Map<String, Object> incident) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("noticeVersion", 1);
        facts.put("incidentId", incident.get("id"));
        facts.put("category", incident.get("category"));
        facts.put("partner", incident.get("partner_code"));
        facts.put("subjectId", incident.get("subject_id"));
        facts.put("detectedAt", toInstant(incident.get("opened_at")).toString());
        facts.put("reportBy", toInstant(incident.get("deadline_at")).toString());
        facts.put("summary", incident.get("summary"));
        facts.put("gatewayAction", IncidentCategory.gatewayAction((String) incident.get("category")));
        facts.put("agreementClause", "13.1: loss or unauthorised release, reported to all parties within 24 hours");
        return facts;
    }

    static Instant toInstant(Object value) {
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("not a timestamp: " + (value == null ? "null" : value.getClass()));
    }

    private SimpleMailMessage email(Pending notification, Map<String, Object> incident) {
        Map<String, Object> facts = facts(incident);
        SimpleMailMessage message = new SimpleMailMessage();
        message.setFrom(properties.mailFrom());
        message.setTo(notification.recipient());
        message.setSubject("[Linkgate incident] " + facts.get("category")
                + (facts.get("partner") == null ? "" : " " + facts.get("partner")) + ": report by " + facts.get("reportBy"));
        StringBuilder text = new StringBuilder("An incident was detected by the Linkgate gateway (data sharing agreement,"
                + " clause 13.1). This message holds no personal data.\n\n");
        facts.forEach((name, value) -> text.append(name).append(": ").append(value == null ? "-" : value).append('\n'));
        text.append("\nOperators acknowledge and close incidents through the gateway's API (/api/ops/incidents).\n");
        message.setText(text.toString());
        return message;
    }
}
