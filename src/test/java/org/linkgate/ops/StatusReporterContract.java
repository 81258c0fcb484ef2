package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.audit.AuditTrail;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.fanout.Extracts;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.RecentRouteFailures;
import org.linkgate.kernel.SecretFiles;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The status report's queries against a real store (H2 and PostgreSQL subclasses): councils'
 * last and expected batches and statuses, departments' extract counts and overdue returns, open
 * incidents, and failures grouped with their counts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StatusReporterContract {

    static final Instant NOW = Instant.parse("2026-04-01T09:00:00Z");
    static final String DEMO = "E10000012";
    static final String OTHER = "E10000014";

    abstract DataSource database();

    JdbcTemplate jdbc;
    StatusReport report;
    String acceptedId;
    String rejectedId;
    String overdueExtract;
    final RecentRouteFailures routeFailures = new RecentRouteFailures();

    @BeforeAll
    void setUp() throws Exception {
        jdbc = new JdbcTemplate(database());
        Path dir = GatewayTestHome.create(OTHER);
        GatewayHome home = new GatewayHome(dir, dir.resolve("secrets"));
        PartnerRegistry registry = new PartnerRegistry(home);
        Set<String> councils = new TreeSet<>();
        registry.councils().forEach(c -> councils.add(c.code()));
        Set<String> departments = new TreeSet<>();
        registry.departments().forEach(d -> departments.add(d.code()));
        AgreementPolicy agreement = new AgreementPolicy(AgreementLoader.load(AgreementLoader.file(dir), councils, departments));
        GatewayPgpKey gatewayKey = new GatewayPgpKey(PgpKeys.readSecretKeyRing(home.gatewayKeyDir()
                .resolve(GatewaySecrets.GATEWAY_SECRET_KEY)), SecretFiles.readText(home.secretsDir()
                .resolve(GatewaySecrets.GATEWAY_PASSPHRASE)).toCharArray());
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

        // The demo council: an accepted batch in January, then a rejected file in March, then a duplicate.
        acceptedId = file(DEMO, "ACCEPTED", "2026-01-10T10:00:00Z", 100, 100, 0);
        rejectedId = file(DEMO, "REJECTED", "2026-03-01T10:00:00Z", 50, 0, 50);
        file(DEMO, "DUPLICATE", "2026-03-02T10:00:00Z", 0, 0, 0);
        // The other council: one partial batch over a year ago, nothing since.
        file(OTHER, "PARTIAL", "2025-01-01T10:00:00Z", 20, 18, 2);

        overdueExtract = extract("DFE", "SENT", "2026-03-01T00:00:00Z", null);
        extract("DWP", "SENT", "2026-05-01T00:00:00Z", null);
        extract("MOJ", "RETURNED", "2026-02-01T00:00:00Z", null);
        extract("PHE", "PENDING", null, "ConnectException");

        jdbc.update("insert into incident (id, opened_at, deadline_at, category, partner_code, subject_id, summary, status)"
                        + " values (?, ?, ?, 'IDENTIFIERS_IN_RETURN', 'DFE', 'r1', 'test', 'OPEN')",
                "open-incident", ts("2026-03-31T10:00:00Z"), ts("2026-04-01T10:00:00Z"));
        jdbc.update("insert into incident (id, opened_at, deadline_at, category, partner_code, subject_id, summary, status, closed_at)"
                        + " values (?, ?, ?, 'SIGNATURE_FAILURE', 'DFE', 'r2', 'test', 'CLOSED', ?)",
                "closed-incident", ts("2026-03-20T10:00:00Z"), ts("2026-03-21T10:00:00Z"), ts("2026-03-20T12:00:00Z"));
        jdbc.update("insert into incident (id, opened_at, deadline_at, category, partner_code, subject_id, summary, status)"
                        + " values (?, ?, ?, 'SIGNATURE_FAILURE', 'DWP', 'r3', 'test', 'ACKNOWLEDGED')",
                "late-incident", ts("2026-03-30T08:00:00Z"), ts("2026-03-31T08:00:00Z"));

        AuditLog audit = new AuditLog(jdbc, Clock.fixed(NOW.minus(Duration.ofHours(2)), ZoneOffset.UTC));
        for (int i = 0; i < 3; i++) {
            audit.record(AuditEventType.EXTRACT_DELIVERY_FAILED, "PHE", "extract-phe", "fanout", "attempt " + i);
        }
        audit.record(AuditEventType.FILE_REJECTED, DEMO, rejectedId, "intake", "rows=50");
        new AuditLog(jdbc, Clock.fixed(NOW.minus(Duration.ofDays(30)), ZoneOffset.UTC))
                .record(AuditEventType.FILE_QUARANTINED, OTHER, "long-ago", "intake", "old");
        routeFailures.add(new RecentRouteFailures.Failure(NOW.minusSeconds(60), "intake-e10000012", DEMO, "IOException"));
        routeFailures.add(new RecentRouteFailures.Failure(NOW.minusSeconds(30), "intake-e10000012", DEMO, "IOException"));

        OpsProperties settings = new OpsProperties(Duration.ofDays(30), Duration.ofSeconds(30), Duration.ofSeconds(2),
                Duration.ofDays(7));
        // A real Camel context with one gateway route stopped, as an operator or Camel itself could leave it.
        try (org.apache.camel.impl.DefaultCamelContext camel = new org.apache.camel.impl.DefaultCamelContext()) {
            camel.addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:check").routeId("audit-chain-check").log("check");
                    from("direct:intake").routeId("intake-e10000012").log("intake");
                }
            });
            camel.start();
            camel.getRouteController().stopRoute("audit-chain-check");
            Alerts alerts = new Alerts(jdbc, clock);
            Ledgers ledgers = new Ledgers(new IntakeFiles(jdbc), new Extracts(jdbc),
                    // Listing incidents tells no one: no recipients needed.
                    new Incidents(jdbc, audit, alerts, null, clock), new AuditTrail(jdbc, List.of()), alerts);
            report = new StatusReporter(ledgers, registry, agreement, gatewayKey, routeFailures, settings,
                    new RouteStates(camel), clock).report();
        }
    }

    @Test
    void stoppedRoutesAreListedAndRunningOnesAreNot() {
        assertThat(report.stoppedRoutes()).containsExactly(new StatusReport.RouteState("audit-chain-check", "Stopped"));
        assertThat(StatusPageRenderer.render(report)).contains("Routes not running").contains("audit-chain-check");
    }

    String file(String council, String status, String received, long rows, long accepted, long rejected) {
        String id = UUID.randomUUID().toString();
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status, attempts,"
                        + " rows_total, rows_accepted, rows_rejected, received_at, completed_at)"
                        + " values (?, ?, ?, ?, 10, '2015-06', ?, 1, ?, ?, ?, ?, ?)",
                id, council, council + "_2015-06_01.csv.gpg", UUID.randomUUID().toString().replace("-", ""), status,
                rows, accepted, rejected, ts(received), ts(received));
        return id;
    }

    String extract(String department, String status, String due, String lastError) {
        String id = UUID.randomUUID().toString().replace("-", "");
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, attempts, last_error,"
                        + " rows_sent, created_at, sent_at, due_at) values (?, ?, ?, '2015-06', ?, ?, 1, ?, 5, ?, ?, ?)",
                id, department, acceptedId, department + "_2015-06_" + id + ".csv.pgp", status, lastError,
                ts("2026-01-10T11:00:00Z"), "PENDING".equals(status) ? null : ts("2026-01-10T11:00:00Z"),
                due == null ? null : ts(due));
        return id;
    }

    static Timestamp ts(String instant) {
        return Timestamp.from(Instant.parse(instant));
    }

    StatusReport.CouncilStatus council(String code) {
        return report.councils().stream().filter(c -> c.code().equals(code)).findFirst().orElseThrow();
    }

    StatusReport.DepartmentStatus department(String code) {
        return report.departments().stream().filter(d -> d.code().equals(code)).findFirst().orElseThrow();
    }

    @Test
    void aCouncilWhoseLastFileWasRejectedSaysSoAndItsNextBatchFollowsTheLastAccepted() {
        StatusReport.CouncilStatus demo = council(DEMO);
        assertThat(demo.status()).isEqualTo("LAST_FILE_REJECTED");
        assertThat(demo.lastBatch().intakeId()).isEqualTo(rejectedId);
        assertThat(demo.lastBatch().rowsRejected()).isEqualTo(50);
        assertThat(demo.files()).isEqualTo(2);
        assertThat(demo.filesRejected()).isEqualTo(1);
        assertThat(demo.rowsRejected()).isEqualTo(50);
        assertThat(demo.expectedEvery()).isEqualTo("P6M");
        // Six months after 10 January 10:00 UTC, in the agreement's zone (British Summer Time by July).
        assertThat(demo.expectedNextBatch()).isEqualTo(Instant.parse("2026-07-10T09:00:00Z"));
    }

    @Test
    void aCouncilPastItsExpectedBatchIsOverdue() {
        StatusReport.CouncilStatus other = council(OTHER);
        assertThat(other.status()).isEqualTo("OVERDUE");
        assertThat(other.lastBatch().status()).isEqualTo("PARTIAL");
        assertThat(other.expectedNextBatch()).isEqualTo(Instant.parse("2025-07-01T09:00:00Z"));
        assertThat(other.rowsRejected()).isEqualTo(2);
    }

    @Test
    void departmentsCountExtractsAndOverdueReturns() {
        assertThat(report.departments()).extracting(StatusReport.DepartmentStatus::code)
                .containsExactly("BIS", "DFE", "DWP", "HSCIC", "MOJ", "PHE");
        StatusReport.DepartmentStatus dfe = department("DFE");
        assertThat(dfe.extractsSent()).isEqualTo(1);
        assertThat(dfe.awaitingReturn()).isEqualTo(1);
        assertThat(dfe.overdue()).isEqualTo(1);
        assertThat(dfe.nextReturnDue()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(department("DWP").overdue()).isZero();
        assertThat(department("DWP").awaitingReturn()).isEqualTo(1);
        assertThat(department("MOJ").returned()).isEqualTo(1);
        assertThat(department("MOJ").extractsSent()).isEqualTo(1);
        assertThat(department("PHE").pending()).isEqualTo(1);
        assertThat(department("PHE").extractsSent()).isZero();
        assertThat(department("PHE").lastError()).isEqualTo("ConnectException");
        assertThat(department("BIS").extractsSent()).isZero();
        assertThat(department("BIS").endpoint()).isEqualTo("embedded");
    }

    @Test
    void incidentsNotClosedWithTheirDeadlines() {
        assertThat(report.incidents()).extracting(StatusReport.OpenIncident::id).containsExactly("late-incident", "open-incident");
        StatusReport.OpenIncident late = report.incidents().get(0);
        assertThat(late.status()).isEqualTo("ACKNOWLEDGED");
        assertThat(late.pastDeadline()).as("not reported by its deadline").isTrue();
        StatusReport.OpenIncident open = report.incidents().get(1);
        assertThat(open.status()).isEqualTo("OPEN");
        assertThat(open.deadline()).isEqualTo(Instant.parse("2026-04-01T10:00:00Z"));
        assertThat(open.reportedAt()).isNull();
        assertThat(open.pastDeadline()).isFalse();
    }

    @Test
    void recentFailuresAreGroupedNewestFirstAndOldOnesLeftOut() {
        assertThat(report.failures()).extracting(StatusReport.RecentFailure::kind)
                .containsExactly("ROUTE_FAILURE IOException", "EXTRACT_DELIVERY_FAILED", "FILE_REJECTED");
        StatusReport.RecentFailure route = report.failures().get(0);
        assertThat(route.count()).isEqualTo(2);
        assertThat(route.first()).isEqualTo(NOW.minusSeconds(60));
        assertThat(route.last()).isEqualTo(NOW.minusSeconds(30));
        assertThat(route.subject()).isEqualTo("intake-e10000012");
        StatusReport.RecentFailure delivery = report.failures().get(1);
        assertThat(delivery.count()).isEqualTo(3);
        assertThat(delivery.partner()).isEqualTo("PHE");
        assertThat(report.failures()).noneMatch(f -> "long-ago".equals(f.subject()));
    }

    @Test
    void keysOfTheGatewayAndEveryPartner() {
        assertThat(report.keys()).extracting(StatusReport.KeyStatus::owner)
                .containsExactly("gateway", DEMO, OTHER, "BIS", "DFE", "DWP", "HSCIC", "MOJ", "PHE");
        assertThat(report.keys()).allMatch(k -> "UP".equals(k.status()));
    }
}
