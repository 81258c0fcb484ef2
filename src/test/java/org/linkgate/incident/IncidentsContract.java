package org.linkgate.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.Agreement;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The incident store against a real database: opening with its deadline and notifications in one
 * transaction, one incident per ongoing condition, the OPEN -> ACKNOWLEDGED -> CLOSED state machine,
 * the past-deadline flag (once) and gauges with a controlled clock, and the SFTP failure window.
 * Subclasses choose the database.
 */
abstract class IncidentsContract {

    static final Instant START = Instant.parse("2026-11-02T09:00:00Z");

    JdbcTemplate jdbc;
    MutableClock clock;
    Incidents incidents;
    IncidentDeadlines deadlines;
    SimpleMeterRegistry meters;

    abstract DataSource database();

    @BeforeEach
    void setUp() {
        DataSource ds = database();
        jdbc = new JdbcTemplate(ds);
        clock = new MutableClock(START);
        Agreement agreement = new Agreement("DSA-TEST", "test", List.of(), new Agreement.Term(LocalDate.of(2015, 1, 1),
                LocalDate.of(2030, 1, 1)), List.of(), List.of(), new Agreement.Retention(LocalDate.of(2030, 1, 1),
                LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 1)), new Agreement.Disclosure(5, false), List.of(
                new Agreement.Contact("E10000012", Agreement.ContactRole.AUTHORISED_REPRESENTATIVE, "placeholder",
                        "rep@e10000012.example.invalid"),
                new Agreement.Contact("DCLG", Agreement.ContactRole.INCIDENT, "placeholder", "incidents@dclg.example.invalid"),
                new Agreement.Contact("DCLG", Agreement.ContactRole.ESCALATION, "placeholder", "escalate@dclg.example.invalid"),
                new Agreement.Contact("ONS", Agreement.ContactRole.DATA_PROTECTION_OFFICER, "placeholder",
                        "INCIDENTS@dclg.example.invalid")));
        IncidentRecipients recipients = new IncidentRecipients(() -> agreement, Set.of("E10000012", "DFE")::contains,
                List.of("ops@gateway.example.invalid"));
        AuditLog audit = new AuditLog(jdbc, clock);
        Alerts alerts = new Alerts(jdbc, clock);
        incidents = new Incidents(jdbc, audit, alerts, recipients, clock);
        meters = new SimpleMeterRegistry();
        deadlines = new IncidentDeadlines(jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)), alerts,
                audit, clock, meters);
    }

    @Test
    void anIncidentHasA24HourDeadlineAndOneNotificationPerRecipient() {
        String id = incidents.open(IncidentCategory.SIGNATURE_FAILURE, "E10000012", "file-1", "a file failed its check");

        Map<String, Object> row = jdbc.queryForMap("select * from incident where id = ?", id);
        assertThat(row.get("status")).isEqualTo("OPEN");
        Instant opened = IncidentNotifier.toInstant(row.get("opened_at"));
        assertThat(opened).isEqualTo(START);
        assertThat(IncidentNotifier.toInstant(row.get("deadline_at"))).isEqualTo(START.plus(Duration.ofHours(24)));
        List<Map<String, Object>> notes = jdbc.queryForList("select channel, recipient, recipient_label, status"
                + " from incident_notification where incident_id = ? order by channel, recipient", id);
        // The partner's notice; e-mails to INCIDENT, DPO and representative contacts plus the configured
        // address, each address once (case-insensitive); never the escalation contact.
        assertThat(notes).extracting(n -> n.get("channel") + " " + n.get("recipient")).containsExactly(
                "EMAIL incidents@dclg.example.invalid", "EMAIL ops@gateway.example.invalid",
                "EMAIL rep@e10000012.example.invalid", "NOTICE E10000012");
        assertThat(notes).allSatisfy(n -> assertThat(n.get("status")).isEqualTo("PENDING"));
        assertThat(notes).extracting(n -> (String) n.get("recipient_label")).noneMatch(l -> l.contains("@"));
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_OPENED' and subject_id = ?", id))
                .isEqualTo(1);
        assertThat(count("select count(*) from alert where category = 'INCIDENT_SIGNATURE_FAILURE'")).isEqualTo(1);
    }

    @Test
    void anIncidentWithoutAFilePartnerGetsEmailsOnly() {
        String id = incidents.open(IncidentCategory.AUDIT_CHAIN_BREAK, null, "audit-seq-3", "broken");
        assertThat(count("select count(*) from incident_notification where incident_id = ? and channel = 'NOTICE'", id))
                .isZero();
        assertThat(count("select count(*) from incident_notification where incident_id = ? and channel = 'EMAIL'", id))
                .isEqualTo(3);
    }

    @Test
    void theIncidentAndItsNotificationsShareTheCallersTransaction() {
        TransactionTemplate outer = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        outer.executeWithoutResult(tx -> {
            incidents.open(IncidentCategory.IDENTIFIERS_IN_RETURN, "DFE", "return-1", "identifiers");
            tx.setRollbackOnly();
        });
        assertThat(count("select count(*) from incident")).isZero();
        assertThat(count("select count(*) from incident_notification")).isZero();
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_OPENED'")).isZero();
    }

    @Test
    void oneIncidentPerOngoingConditionUntilItIsClosed() {
        String first = incidents.openOnce("SIGNATURE_FAILURE|E10000012", IncidentCategory.SIGNATURE_FAILURE, "E10000012",
                "file-1", "failed");
        clock.advance(Duration.ofMinutes(5));
        String again = incidents.openOnce("SIGNATURE_FAILURE|E10000012", IncidentCategory.SIGNATURE_FAILURE, "E10000012",
                "file-2", "failed");
        String other = incidents.openOnce("SIGNATURE_FAILURE|DFE", IncidentCategory.SIGNATURE_FAILURE, "DFE", "r-1", "failed");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(count("select count(*) from incident")).isEqualTo(2);
        assertThat(count("select occurrences from incident where id = ?", first)).isEqualTo(2);
        assertThat(count("select count(*) from incident_notification where incident_id = ?", first)).isEqualTo(4);
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_RECURRED'")).isEqualTo(1);

        assertThat(incidents.acknowledge(first, "operator", "looking")).isEqualTo(Incidents.Transition.DONE);
        assertThat(incidents.openOnce("SIGNATURE_FAILURE|E10000012", IncidentCategory.SIGNATURE_FAILURE, "E10000012",
                "file-3", "failed")).as("acknowledged is still ongoing").isEqualTo(first);
        assertThat(incidents.close(first, "operator", "key rotated")).isEqualTo(Incidents.Transition.DONE);
        String fresh = incidents.openOnce("SIGNATURE_FAILURE|E10000012", IncidentCategory.SIGNATURE_FAILURE, "E10000012",
                "file-4", "failed");
        assertThat(fresh).as("after closing, the condition opens a new incident").isNotEqualTo(first);
    }

    @Test
    void concurrentOccurrencesOfOneConditionOpenOneIncident() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                ids.add(pool.submit(() -> incidents.openOnce("SFTP_AUTH_FAILURES|address|192.0.2.9",
                        IncidentCategory.SFTP_AUTH_FAILURES, null, "192.0.2.9", "failures")));
            }
            Set<String> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> id : ids) {
                distinct.add(id.get());
            }
            assertThat(distinct).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("select count(*) from incident")).isEqualTo(1);
        assertThat(count("select occurrences from incident")).isEqualTo(8);
    }

    @Test
    void operatorsAcknowledgeThenCloseAndNothingElse() {
        String id = incidents.open(IncidentCategory.UNEXPECTED_FILE, "E10000012", "file-9", "unexpected");

        assertThat(incidents.close(id, "operator", "too early")).isEqualTo(Incidents.Transition.INVALID);
        assertThat(incidents.acknowledge("no-such-id", "operator", null)).isEqualTo(Incidents.Transition.NOT_FOUND);
        clock.advance(Duration.ofMinutes(10));
        assertThat(incidents.acknowledge(id, "operator", "investigating with the council")).isEqualTo(Incidents.Transition.DONE);
        assertThat(incidents.acknowledge(id, "admin", "again")).isEqualTo(Incidents.Transition.INVALID);
        clock.advance(Duration.ofMinutes(10));
        assertThat(incidents.close(id, "admin", "file removed; council re-sent")).isEqualTo(Incidents.Transition.DONE);
        assertThat(incidents.close(id, "admin", "again")).isEqualTo(Incidents.Transition.INVALID);
        assertThat(incidents.acknowledge(id, "admin", "again")).isEqualTo(Incidents.Transition.INVALID);

        Incidents.Incident done = incidents.find(id).orElseThrow();
        assertThat(done.status()).isEqualTo("CLOSED");
        assertThat(done.acknowledgedBy()).isEqualTo("operator");
        assertThat(done.acknowledgeNote()).isEqualTo("investigating with the council");
        assertThat(done.acknowledgedAt()).isEqualTo(START.plus(Duration.ofMinutes(10)));
        assertThat(done.closedBy()).isEqualTo("admin");
        assertThat(done.closeNote()).isEqualTo("file removed; council re-sent");
        assertThat(done.closedAt()).isEqualTo(START.plus(Duration.ofMinutes(20)));
        assertThat(jdbc.queryForList("select event_type || ' ' || actor from audit_event where subject_id = ? order by seq",
                String.class, id)).containsExactly("INCIDENT_OPENED gateway", "INCIDENT_ACKNOWLEDGED operator",
                "INCIDENT_CLOSED admin");
        assertThat(incidents.list(null)).extracting(Incidents.Incident::id).doesNotContain(id);
        assertThat(incidents.list("CLOSED")).extracting(Incidents.Incident::id).containsExactly(id);
    }

    @Test
    void notesAreBoundedToOneShortLine() {
        String id = incidents.open(IncidentCategory.UNEXPECTED_FILE, null, "x", "unexpected");
        assertThatThrownBy(() -> incidents.acknowledge(id, "operator", "x".repeat(Incidents.MAX_NOTE_LENGTH + 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> incidents.acknowledge(id, "operator", "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(incidents.find(id).orElseThrow().status()).isEqualTo("OPEN");
        assertThat(Incidents.acceptableNote("x".repeat(Incidents.MAX_NOTE_LENGTH))).isTrue();
    }

    @Test
    void pastTheDeadlineAnIncidentIsFlaggedOnceAndCounted() {
        String open = incidents.open(IncidentCategory.SIGNATURE_FAILURE, "E10000012", "file-1", "failed");
        String acknowledged = incidents.open(IncidentCategory.UNEXPECTED_FILE, null, "x", "unexpected");
        String reported = incidents.open(IncidentCategory.AUDIT_CHAIN_BREAK, null, "audit-seq-1", "broken");
        incidents.acknowledge(acknowledged, "operator", null);
        incidents.acknowledge(reported, "operator", null);
        jdbc.update("update incident_notification set status = 'SENT' where incident_id = ?", reported);
        jdbc.update("update incident set reported_at = ? where id = ?", Timestamp.from(START.plusSeconds(60)), reported);

        assertThat(deadlines.check()).isZero();
        assertThat(gauge("linkgate.incidents.open")).isEqualTo(3);
        assertThat(gauge("linkgate.incidents.overdue")).isZero();
        assertThat(incidents.list(null)).noneMatch(Incidents.Incident::overdue);

        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertThat(deadlines.check()).isEqualTo(2);
        assertThat(deadlines.check()).as("flagged once, not at every check").isZero();
        assertThat(gauge("linkgate.incidents.overdue")).isEqualTo(2);
        assertThat(incidents.list(null)).filteredOn(Incidents.Incident::overdue).extracting(Incidents.Incident::id)
                .containsExactlyInAnyOrder(open, acknowledged);
        assertThat(jdbc.queryForList("select subject_id from alert where category = 'INCIDENT_OVERDUE'", String.class))
                .containsExactlyInAnyOrder(open, acknowledged);
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_OVERDUE'")).isEqualTo(2);

        incidents.acknowledge(open, "operator", null);
        jdbc.update("update incident set reported_at = ? where id = ?", Timestamp.from(clock.instant()), open);
        deadlines.check();
        assertThat(gauge("linkgate.incidents.overdue")).isEqualTo(1);
        assertThat(incidents.find(open).orElseThrow().overdue()).isFalse();
    }

    @Test
    void repeatedSftpFailuresWithinTheWindowOpenOneIncident() {
        LoginFailureWatch watch = new LoginFailureWatch(incidents, Set.of("e10000012")::contains, 5,
                Duration.ofMinutes(10), clock);
        InetSocketAddress from = new InetSocketAddress("192.0.2.7", 50000);
        for (int i = 0; i < 4; i++) {
            assertThat(watch.failed("e10000012", from)).isNull();
            clock.advance(Duration.ofMinutes(3));
        }
        // The first failure is now outside the 10-minute window: four within it.
        assertThat(watch.failed("e10000012", from)).isNull();
        clock.advance(Duration.ofSeconds(10));
        String id = watch.failed("e10000012", from);
        assertThat(id).isNotNull();
        assertThat(watch.failed("e10000012", from)).isEqualTo(id);
        Incidents.Incident incident = incidents.find(id).orElseThrow();
        assertThat(incident.category()).isEqualTo(IncidentCategory.SFTP_AUTH_FAILURES);
        assertThat(incident.partnerCode()).isEqualTo("E10000012");
        assertThat(incident.occurrences()).isEqualTo(2);
        assertThat(count("select count(*) from incident")).isEqualTo(1);
        // The remote address is personal data: only its keyed label is told.
        assertThat(incident.summary()).doesNotContain("192.0.2.7").contains(watch.label("192.0.2.7"));
    }

    @Test
    void addressesAreLabelledByAKeyedHashAndForgottenOnceOutOfTheWindow() {
        byte[] key = new byte[32];
        key[0] = 1;
        LoginFailureWatch watch = new LoginFailureWatch(incidents, Set.of("e10000012")::contains, 3,
                Duration.ofMinutes(10), key, clock);
        String label = watch.label("192.0.2.7");
        assertThat(label).matches("addr:[0-9a-f]{16}");
        assertThat(new LoginFailureWatch(incidents, a -> false, 3, Duration.ofMinutes(10), key.clone(), clock)
                .label("192.0.2.7")).as("the same on every replica").isEqualTo(label);
        assertThat(new LoginFailureWatch(incidents, a -> false, 3, Duration.ofMinutes(10), new byte[32], clock)
                .label("192.0.2.7")).as("keyed").isNotEqualTo(label);
        assertThat(watch.label("192.0.2.8")).isNotEqualTo(label);

        for (int i = 0; i < 5; i++) {
            watch.failed("someone" + i, new InetSocketAddress("198.51.100." + i, 50000));
        }
        assertThat(watch.tracked()).isEqualTo(5);
        String id = null;
        for (int i = 0; i < 3; i++) {
            id = watch.failed("nobody", new InetSocketAddress("192.0.2.7", 50000));
        }
        Incidents.Incident incident = incidents.find(id).orElseThrow();
        assertThat(incident.subjectId()).isEqualTo(label);
        assertThat(incident.summary()).contains(label).doesNotContain("192.0.2.7");
        assertThat(jdbc.queryForList("select condition_key from incident_condition", String.class))
                .allSatisfy(k -> assertThat(k).doesNotContain("192.0.2.7"));
        // Out of the window, what each address did is dropped, not kept until the map is full.
        clock.advance(Duration.ofMinutes(11));
        watch.failed("nobody", new InetSocketAddress("203.0.113.1", 50000));
        assertThat(watch.tracked()).isEqualTo(1);
    }

    @Test
    void sprayingUnknownAccountsFromOneAddressIsOneIncidentWithoutTheTypedNames() {
        LoginFailureWatch watch = new LoginFailureWatch(incidents, Set.of("e10000012")::contains, 5,
                Duration.ofMinutes(10), clock);
        InetSocketAddress from = new InetSocketAddress("2001:db8::1234:5678:9abc:def0", 50000);
        String id = null;
        for (int i = 0; i < 7; i++) {
            id = watch.failed("john.smith" + i, from);
        }
        assertThat(id).isNotNull();
        Incidents.Incident incident = incidents.find(id).orElseThrow();
        assertThat(incident.partnerCode()).isNull();
        assertThat(incident.subjectId()).isEqualTo(watch.label("2001:db8:0:0:1234:5678:9abc:def0"));
        assertThat(incident.summary()).doesNotContain("2001:db8");
        assertThat(incident.summary()).doesNotContain("john");
        assertThat(incident.occurrences()).isEqualTo(3);
        assertThat(count("select count(*) from incident")).isEqualTo(1);
    }

    /** Incidents over an agreement with the given ICO contact and waiver (either may be null). */
    Incidents incidentsWith(Agreement.Ico ico, String icoWaiver) {
        Agreement agreement = new Agreement("DSA-TEST", "test", List.of(), new Agreement.Term(LocalDate.of(2015, 1, 1),
                LocalDate.of(2030, 1, 1)), List.of(), List.of(), new Agreement.Retention(LocalDate.of(2030, 1, 1),
                LocalDate.of(2030, 1, 1), LocalDate.of(2030, 1, 1)), new Agreement.Disclosure(5, false), List.of(
                new Agreement.Contact("DCLG", Agreement.ContactRole.INCIDENT, "placeholder", "incidents@dclg.example.invalid")),
                List.of("test"), ico, icoWaiver, Agreement.Release.DEFAULT);
        IncidentRecipients recipients = new IncidentRecipients(() -> agreement, Set.of("E10000012")::contains, List.of());
        return new Incidents(jdbc, new AuditLog(jdbc, clock), new Alerts(jdbc, clock), recipients, clock);
    }

    @Test
    void aReportedIncidentRunsOnTheSame24HourClockAndNotificationsAsADetectedOne() {
        Incidents reported = incidentsWith(new Agreement.Ico("placeholder", "breaches@ico.example.invalid"), null);
        String id = reported.report(IncidentCategory.DATA_LOSS, "An encrypted laptop was left on a train.", false,
                "E10000012", "operator");

        Incidents.Incident incident = reported.find(id).orElseThrow();
        assertThat(incident.detectedAt()).isEqualTo(START);
        assertThat(incident.deadline()).isEqualTo(START.plus(Incidents.REPORTING_DEADLINE));
        assertThat(incident.status()).isEqualTo("OPEN");
        assertThat(incident.reportedBy()).isEqualTo("operator");
        assertThat(incident.personalDataBreach()).isFalse();
        assertThat(incident.summary()).isEqualTo("reported by operator: An encrypted laptop was left on a train.");
        assertThat(jdbc.queryForList("select channel || ' ' || recipient from incident_notification where incident_id = ?"
                + " order by channel, recipient", String.class, id))
                .as("not a personal-data breach: the parties, not the ICO")
                .containsExactly("EMAIL incidents@dclg.example.invalid", "NOTICE E10000012");
        assertThat(jdbc.queryForList("select actor from audit_event where event_type = 'INCIDENT_OPENED' and subject_id = ?",
                String.class, id)).containsExactly("http:operator");

        // Past the deadline unreported it is overdue like any other.
        clock.advance(Duration.ofHours(25));
        assertThat(reported.find(id).orElseThrow().overdue()).isTrue();
    }

    @Test
    void aPersonalDataBreachIsAlsoToldToTheIco() {
        Incidents reported = incidentsWith(new Agreement.Ico("placeholder", "breaches@ico.example.invalid"), null);
        String id = reported.report(IncidentCategory.UNAUTHORISED_RELEASE, "An extract was e-mailed to the wrong team.",
                true, null, "admin");

        assertThat(reported.find(id).orElseThrow().personalDataBreach()).isTrue();
        assertThat(jdbc.queryForList("select recipient_label from incident_notification where incident_id = ?"
                + " and recipient = 'breaches@ico.example.invalid'", String.class, id)).containsExactly("e-mail to the ICO");
        assertThat(count("select count(*) from audit_event where event_type = 'INCIDENT_ICO_WAIVED'")).isZero();
    }

    @Test
    void aWaivedIcoNotificationIsAuditedOnTheBreach() {
        Incidents reported = incidentsWith(null, "the sponsor's DPO notifies the ICO");
        String id = reported.report(IncidentCategory.UNAUTHORISED_ACCESS, "A shared drive was open to all staff.", true,
                null, "operator");

        assertThat(count("select count(*) from incident_notification where incident_id = ? and recipient_label like '%ICO%'",
                id)).isZero();
        assertThat(jdbc.queryForList("select detail from audit_event where event_type = 'INCIDENT_ICO_WAIVED'"
                + " and subject_id = ?", String.class, id))
                .containsExactly("ICO not notified, waived by the agreement: the sponsor's DPO notifies the ICO");
        assertThat(count("select count(*) from alert where category = 'INCIDENT_ICO_NOT_NOTIFIED'")).isZero();

        // Neither contact nor waiver (an agreement built in code; the loader refuses one): audited and alerted.
        String bare = incidentsWith(null, null).report(IncidentCategory.DATA_LOSS, "lost", true, null, "operator");
        assertThat(count("select count(*) from alert where category = 'INCIDENT_ICO_NOT_NOTIFIED' and subject_id = ?",
                bare)).isEqualTo(1);
    }

    @Test
    void aReportIsRefusedWithTheReasonAndLeavesNothing() {
        assertThatThrownBy(() -> incidents.report("SIGNATURE_FAILURE", "x", false, null, "operator"))
                .hasMessageContaining("category is one of [DATA_LOSS, OTHER_REPORTED, UNAUTHORISED_ACCESS,");
        assertThatThrownBy(() -> incidents.report(IncidentCategory.DATA_LOSS, " ", false, null, "operator"))
                .hasMessageContaining("description is required");
        assertThatThrownBy(() -> incidents.report(IncidentCategory.DATA_LOSS, "x".repeat(901), false, null, "operator"))
                .hasMessageContaining("at most 900");
        assertThatThrownBy(() -> incidents.report(IncidentCategory.DATA_LOSS, "forged\rline", false, null, "operator"))
                .hasMessageContaining("control characters");
        assertThat(count("select count(*) from incident")).isZero();
    }

    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
