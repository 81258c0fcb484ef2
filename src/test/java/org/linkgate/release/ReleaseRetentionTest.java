package org.linkgate.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.crypto.GpgCli;
import org.linkgate.fanout.Extracts;
import org.linkgate.incident.IncidentProperties;
import org.linkgate.incident.IncidentRecipients;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.MasterKey;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.linkage.LinkageRows;
import org.linkgate.retention.DestructionCertificates;
import org.linkgate.retention.DestructionJob;
import org.linkgate.retention.HeldData;
import org.linkgate.retention.RetentionExtensions;
import org.linkgate.retention.RetentionSchedule;
import org.linkgate.returns.ReturnFiles;
import org.linkgate.store.ResearchStore;
import org.linkgate.store.TestDatabases;

/**
 * Releases in retention: a department's linked data kept longer only by a recorded extension; when
 * the linked data goes, the destruction certificate lists the releases made from it, their members are
 * removed, and DCLG receives a signed notice (opened with gpg) asking it to destroy its copies.
 */
class ReleaseRetentionTest {

    @TempDir
    Path root;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void linkedDataKeptLongerOnlyByARecordedExtensionThenItsReleasesAreCertifiedAndDclgAskedToDestroyThem(String name,
            Supplier<DataSource> database) throws Exception {
        assumeTrue(GpgCli.isAvailable(), "needs gpg");
        ReleaseFixture f = new ReleaseFixture(database.get(), root);
        f.batch(ReleaseFixture.COUNCIL, "2016-01", 400);
        String id = f.releases.request(null, ReleaseFixture.PURPOSE, null, "analyst");
        f.releases.approve(id, "admin");
        assertThat(f.status(id)).isEqualTo("SENT");
        long members = f.count("select count(*) from release_member where release_id = ?", id);
        assertThat(members).isPositive();

        DataKeyStore keys = new DataKeyStore(f.jdbc, new MasterKey(new byte[32]), f.clock);
        HeldData held = new HeldData(new IntakeFiles(f.jdbc), new ResearchStore(f.jdbc), new LinkageRows(f.jdbc),
                new Extracts(f.jdbc), new ReturnFiles(f.jdbc), new ReleaseHoldings(f.jdbc),
                new ReceivedFileCustody(f.home, keys, f.jdbc, f.tx, f.clock));
        RetentionSchedule schedule = new RetentionSchedule(f.jdbc, f.policy, held);
        RetentionExtensions extensions = new RetentionExtensions(f.jdbc, f.tx, f.policy, f.audit, f.clock);
        DestructionCertificates certificates = new DestructionCertificates(f.jdbc, f.tx, f.gatewayKey, f.home, f.policy,
                f.audit, new ReleaseHoldings(f.jdbc), f.clock);
        Duration minute = Duration.ofMinutes(1);
        Incidents incidents = new Incidents(f.jdbc, f.audit, f.alerts, new IncidentRecipients(f.policy, f.registry,
                new IncidentProperties(List.of("operators@example.invalid"), "linkgate@localhost", minute, minute, minute, 3,
                        minute, minute, minute, 5, minute)), f.clock);
        DestructionJob job = new DestructionJob(f.jdbc, f.tx, schedule, held, keys, f.audit, incidents, certificates, f.home,
                f.clock);
        DestructionNotices notices = new DestructionNotices(f.jdbc, f.tx, f.recipients, new ReleaseDelivery(f.home),
                f.gatewayKey, f.home, f.policy, f.audit, f.clock);

        // Only a department party, a date after the agreement's and a reference make an extension.
        assertThatThrownBy(() -> extensions.extend("DCLG", LocalDate.of(2027, 12, 31), "LS-1", "admin"))
                .hasMessageContaining("department party");
        assertThatThrownBy(() -> extensions.extend("DWP", LocalDate.of(2025, 6, 30), "LS-1", "admin"))
                .hasMessageContaining("after the agreement's linkedData date 2025-12-31");
        assertThatThrownBy(() -> extensions.extend("DWP", LocalDate.of(2027, 12, 31), " ", "admin"))
                .hasMessageContaining("reference is required");
        extensions.extend("DWP", LocalDate.of(2027, 12, 31), "DSA-TF-LS-2016/03", "admin");

        // Past the agreement's linkedData date, DWP's returns and the research records they link to stay.
        f.clock.advance(Duration.between(f.clock.instant(), Instant.parse("2026-01-02T12:00:00Z")));
        RetentionSchedule.Due due = schedule.due(AgreementPolicy.today(f.clock));
        assertThat(due.extensions()).extracting(RetentionSchedule.Extension::department, RetentionSchedule.Extension::until,
                RetentionSchedule.Extension::reference).containsExactly(org.assertj.core.groups.Tuple.tuple("DWP",
                LocalDate.of(2027, 12, 31), "DSA-TF-LS-2016/03"));
        assertThat(due.items()).extracting(RetentionSchedule.DueItem::unit).containsOnly(RetentionSchedule.Unit.COUNCIL_DATA);
        assertThat(f.count("select count(*) from audit_event where event_type = 'RETENTION_EXTENDED'")).isEqualTo(1);

        // After the extension: everything goes, and the certificate names the release.
        f.clock.advance(Duration.between(f.clock.instant(), Instant.parse("2028-01-02T12:00:00Z")));
        DestructionJob.Outcome outcome = job.runScheduled();
        assertThat(outcome.failed()).isZero();
        assertThat(outcome.certificateIds()).hasSize(1);
        JsonNode certificate = new ObjectMapper().readTree(certificates.find(outcome.certificateIds().get(0))
                .orElseThrow().body());
        JsonNode linked = null;
        for (JsonNode item : certificate.get("items")) {
            if (item.get("unit").asText().equals("LINKED_DATA")) {
                linked = item;
            }
        }
        assertThat(linked).isNotNull();
        assertThat(linked.get("releases").get(0).get("release").asText()).isEqualTo(id);
        assertThat(linked.get("releases").get(0).get("fileName").asText()).isEqualTo("DCLG_" + id + ".zip.pgp");
        assertThat(linked.get("rows").get("release_member").asLong()).isEqualTo(members);
        assertThat(f.count("select count(*) from release_member where release_id = ?", id)).isZero();
        assertThat(f.count("select count(*) from release_intake where release_id = ?", id)).isEqualTo(1); // metadata stays

        // DCLG is asked, once, by a notice only it can read and that the gateway signed.
        List<String> sent = notices.sendDue();
        assertThat(sent).hasSize(1);
        assertThat(notices.sendDue()).isEmpty();
        Path notice = f.uploadDir().resolve("DCLG_DESTRUCTION-NOTICE_" + sent.get(0) + ".json.pgp");
        assertThat(notice).exists();
        Path gatewayPublic = root.resolve("gateway-public.asc");
        ReleaseFixture.gateway().writeArmoredPublic(gatewayPublic);
        try (DclgSide dclg = DclgSide.open(f.home, gatewayPublic, Files.createDirectories(root.resolve("dclg-work")))) {
            JsonNode body = new ObjectMapper().readTree(dclg.decrypt(notice, ReleaseFixture.gateway().fingerprint()));
            assertThat(body.get("type").asText()).isEqualTo("linkgate-release-destruction-notice");
            assertThat(body.get("releases").get(0).get("release").asText()).isEqualTo(id);
            assertThat(body.get("releases").get(0).get("periodsDestroyed").get(0).asText()).isEqualTo("2016-01");
            assertThat(body.get("releases").get(0).get("destructionCertificates").get(0).asText())
                    .isEqualTo(outcome.certificateIds().get(0));
            assertThat(body.get("request").asText()).contains("confirm");
        }
        assertThat(f.count("select count(*) from audit_event where event_type = 'RELEASE_DESTRUCTION_NOTICE'"
                + " and subject_id = ?", id)).isEqualTo(1);
    }
}
