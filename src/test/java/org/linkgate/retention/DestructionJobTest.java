package org.linkgate.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.crypto.GpgCli;
import org.linkgate.crypto.SegmentedAead;
import org.linkgate.retention.RetentionFixture.Batch;
import org.linkgate.retention.RetentionSchedule.Unit;
import org.linkgate.store.TestDatabases;

/**
 * Retention and destruction against both real databases, a real gateway home and the real gpg:
 * what is destroyed cannot be read back from a copy even with the master key, the certificate
 * verifies with gpg alone, a crash mid-way resumes without a second certificate, termination makes
 * a party's data due, and a failure opens an incident.
 */
class DestructionJobTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    RetentionFixture fixture(Supplier<DataSource> database) throws Exception {
        return new RetentionFixture(database.get(), root, "[]");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void destroyedCouncilDataCannotBeReadBackEvenFromABackupWithTheMasterKey(String name, Supplier<DataSource> database)
            throws Exception {
        RetentionFixture f = fixture(database);
        Batch batch = f.acceptedBatch(RetentionFixture.COUNCIL, 30);
        Batch returned = f.acceptedReturn(batch);
        // While kept: the archive holds the received file, sealed; it opens with its key to the exact bytes.
        Path archived = f.home.root().resolve(batch.archivePath());
        assertThat(Files.readAllBytes(archived)).isNotEqualTo(batch.received());
        assertThat(new String(Files.readAllBytes(archived), StandardCharsets.ISO_8859_1)).doesNotContain("synthetic");
        try (InputStream in = f.custody.open(batch.archivePath())) {
            assertThat(in.readAllBytes()).isEqualTo(batch.received());
        }
        // A "backup" of the kept file and of the sealed identities, taken before destruction.
        Path backup = Files.copy(archived, root.resolve("backup.sealed"));
        String backupSha256 = RetentionFixture.sha256Hex(Files.readAllBytes(backup));
        List<byte[]> vaultBackup = f.jdbc.queryForList("select sealed from identity_vault where intake_id = ?",
                byte[].class, batch.id());
        assertThat(vaultBackup).hasSize(30);
        // An extract delivered to the department's folder on the embedded server, never collected.
        String extractFile = f.jdbc.queryForObject("select file_name from extract where intake_id = ?", String.class,
                batch.id());
        Path uncollected = Files.createDirectories(f.home.sftpHome("dwp").resolve("upload")).resolve(extractFile);
        Files.writeString(uncollected, "-----BEGIN PGP MESSAGE----- to the department");
        String keptKeyId = f.jdbc.queryForObject("select data_key_id from kept_file where subject_id = ?", String.class,
                batch.id());

        // Not due during retention.
        f.today(LocalDate.of(2022, 12, 31));
        assertThat(f.schedule.due(AgreementPolicy.today(f.clock)).items()).isEmpty();
        assertThat(f.job.runScheduled().certificateIds()).isEmpty();

        // The day after councilData's date: the council's data is due, the linked data not yet.
        f.today(LocalDate.of(2023, 1, 1));
        assertThat(f.schedule.due(AgreementPolicy.today(f.clock)).items()).extracting(RetentionSchedule.DueItem::unit)
                .containsExactly(Unit.COUNCIL_DATA);
        // Besides DWP's extract (SENT, awaiting return), one not yet sent and one already returned.
        f.jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values ('pending0000000000000000000000000', 'HMRC', ?, '2016-01', 'p', 'PENDING', ?)", batch.id(), f.now());
        f.jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values ('returned000000000000000000000000', 'DFE', ?, '2016-01', 'r', 'RETURNED', ?)", batch.id(), f.now());
        DestructionJob.Outcome outcome = f.job.runScheduled();
        assertThat(outcome.destroyed()).isEqualTo(1);
        assertThat(outcome.failed()).isZero();
        assertThat(outcome.certificateIds()).hasSize(1);

        // Rows gone, kept file gone, both data keys' wrapped material gone.
        assertThat(f.count("select count(*) from identity_vault where intake_id = ?", batch.id())).isZero();
        assertThat(f.count("select count(*) from extract_member where intake_id = ?", batch.id())).isZero();
        // Extracts that can no longer be sent or answered are withdrawn, so no overdue alert fires for them and
        // feedback packs stop waiting; a returned one keeps its history.
        assertThat(f.jdbc.queryForList("select department_code || ':' || status || ':' || coalesce(last_error, '-')"
                + " from extract where intake_id = ? order by department_code", String.class, batch.id()))
                .containsExactly("DFE:RETURNED:-", "DWP:REFUSED:data destroyed", "HMRC:REFUSED:data destroyed");
        assertThat(Files.exists(archived)).isFalse();
        assertThat(Files.exists(uncollected)).isFalse();
        for (String keyId : List.of(batch.dataKeyId(), keptKeyId)) {
            assertThat(f.jdbc.queryForObject("select wrapped_key from data_key where id = ?", byte[].class, keyId)).isNull();
            assertThatThrownBy(() -> f.keys.get(keyId)).hasMessageContaining("destroyed");
        }
        // The backup copies are now unreadable, whoever holds the master key.
        assertThatThrownBy(() -> {
            try (InputStream in = SegmentedAead.decrypting(Files.newInputStream(backup), id -> f.keys.get(id).key())) {
                in.readAllBytes();
            }
        }).hasMessageContaining("destroyed");
        assertThatThrownBy(() -> f.keys.get(batch.dataKeyId())).isInstanceOf(IllegalStateException.class);
        // The linked dataset (pseudonymised) and the department's return stay until linkedData's date.
        assertThat(f.count("select count(*) from research_record where intake_id = ?", batch.id())).isEqualTo(30);
        assertThat(f.count("select count(*) from return_record where return_id = ?", returned.id())).isEqualTo(30);
        assertThat(Files.exists(f.home.root().resolve(returned.archivePath()))).isTrue();

        // The certificate lists what went, with the hash of the kept file as it was, and verifies with gpg alone.
        DestructionCertificates.Certificate certificate = f.certificates.find(outcome.certificateIds().get(0)).orElseThrow();
        JsonNode body = JSON.readTree(certificate.body());
        JsonNode item = body.get("items").get(0);
        assertThat(item.get("unit").asText()).isEqualTo("COUNCIL_DATA");
        assertThat(item.get("subject").asText()).isEqualTo(batch.id());
        assertThat(item.get("clause").asText()).contains("cl. 12.8").contains("2022-12-31");
        assertThat(item.get("receivedFile").get("sha256").asText()).isEqualTo(RetentionFixture.sha256Hex(batch.received()));
        assertThat(item.get("files").get(0).get("sha256").asText()).isEqualTo(backupSha256);
        assertThat(item.get("rows").get("identity_vault").asLong()).isEqualTo(30);
        assertThat(item.get("dataKeys")).hasSize(2);
        assertThat(item.get("files").findValuesAsText("place")).containsExactly("ARCHIVE", "UNCOLLECTED_EXTRACT");
        assertThat(body.get("run").get("trigger").asText()).isEqualTo("SCHEDULED");
        assertThat(certificate.body()).doesNotContain("Synthetic-Surname");
        assertGpgVerifies(f, certificate);

        // Recorded in the audit trail with its hash; the audit trail itself is untouched.
        assertThat(f.jdbc.queryForList("select event_type from audit_event where subject_id = ? order by seq", String.class,
                batch.id())).containsSubsequence("FILE_RECEIVED", "FILE_ACCEPTED", "FILE_ARCHIVED", "DATA_DESTROYED");
        assertThat(f.jdbc.queryForObject("select detail from audit_event where event_type = 'DESTRUCTION_CERTIFIED'",
                String.class)).contains("sha256=" + certificate.sha256());
        assertThat(certificate.sha256()).isEqualTo(DestructionCertificates.sha256(certificate.body()));

        // Nothing more is due: a rerun issues nothing.
        assertThat(f.job.runScheduled().certificateIds()).isEmpty();
        assertThat(f.certificates.list()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void afterLinkedDataRetentionTheLinkedDatasetAndReturnsGoToo(String name, Supplier<DataSource> database) throws Exception {
        RetentionFixture f = fixture(database);
        Batch batch = f.acceptedBatch(RetentionFixture.COUNCIL, 12);
        Batch returned = f.acceptedReturn(batch);
        long auditEvents = f.count("select count(*) from audit_event");

        f.today(LocalDate.of(2026, 1, 1));
        DestructionJob.Outcome outcome = f.job.runOnDemand("admin");
        assertThat(outcome.destroyed()).isEqualTo(3);
        for (String table : List.of("research_record", "research_family", "identity_vault", "extract_member")) {
            assertThat(f.count("select count(*) from " + table + " where intake_id = ?", batch.id())).as(table).isZero();
        }
        assertThat(f.count("select count(*) from return_record where return_id = ?", returned.id())).isZero();
        assertThat(f.count("select count(*) from linkage_quality")).isZero();
        assertThat(Files.exists(f.home.root().resolve(returned.archivePath()))).isFalse();
        assertThat(f.count("select count(*) from data_key where wrapped_key is not null")).isZero();
        // Ledger rows stay as metadata, marked; the audit trail only grew.
        assertThat(f.count("select count(*) from intake_file where council_data_destroyed_at is not null"
                + " and linked_data_destroyed_at is not null")).isEqualTo(1);
        assertThat(f.count("select count(*) from return_file where destroyed_at is not null")).isEqualTo(1);
        assertThat(f.count("select count(*) from audit_event")).isGreaterThan(auditEvents);

        DestructionCertificates.Certificate certificate = f.certificates.find(outcome.certificateIds().get(0)).orElseThrow();
        JsonNode body = JSON.readTree(certificate.body());
        assertThat(body.get("run").get("trigger").asText()).isEqualTo("ON_DEMAND");
        assertThat(body.get("run").get("operator").asText()).isEqualTo("admin");
        assertThat(body.get("totals").get("items").asInt()).isEqualTo(3);
        assertThat(body.get("items").findValuesAsText("unit")).containsExactlyInAnyOrder("COUNCIL_DATA", "LINKED_DATA",
                "RETURN_DATA");
        assertThat(f.jdbc.queryForObject("select actor from audit_event where event_type = 'DESTRUCTION_CERTIFIED'",
                String.class)).isEqualTo("admin");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aCrashMidDestructionResumesAndIsCertifiedOnce(String name, Supplier<DataSource> database) throws Exception {
        RetentionFixture f = fixture(database);
        Batch first = f.acceptedBatch(RetentionFixture.COUNCIL, 5);
        Batch second = f.acceptedBatch(RetentionFixture.OTHER_COUNCIL, 5);
        String firstSha = RetentionFixture.sha256Hex(Files.readAllBytes(f.home.root().resolve(first.archivePath())));
        f.today(LocalDate.of(2023, 1, 1));

        // The process dies after the first item's files and rows are deleted, before it is recorded DONE.
        f.job.beforeDone(() -> {
            throw new SimulatedCrash();
        });
        assertThatThrownBy(f.job::runScheduled).isInstanceOf(SimulatedCrash.class);
        assertThat(f.count("select count(*) from destruction where status = 'RUNNING'")).isEqualTo(1);
        assertThat(f.count("select count(*) from destruction_item where state = 'PREPARED'")).isEqualTo(1);
        assertThat(f.count("select count(*) from destruction_certificate")).isZero();
        assertThat(f.count("select count(*) from audit_event where event_type = 'DATA_DESTROYED'")).isZero();

        // A process that dies keeps its lease until it expires: meanwhile nobody else runs, even on demand.
        f.jdbc.update("update destruction_lease set holder = 'crashed-replica', expires_at = ?",
                java.sql.Timestamp.from(f.clock.instant().plus(DestructionLease.TERM)));
        DestructionJob restarted = f.newJob();
        assertThat(restarted.runScheduled().destroyed()).isZero();
        assertThatThrownBy(() -> restarted.runOnDemand("admin")).isInstanceOf(DestructionBusyException.class);
        assertThat(f.count("select count(*) from destruction_item where state = 'PREPARED'")).isEqualTo(1);

        // Once the lease has expired, the run left RUNNING is finished and certified once, with the evidence
        // taken before the crash.
        f.clock.set(f.clock.instant().plus(DestructionLease.TERM).plusSeconds(1));
        DestructionJob.Outcome resumed = restarted.runScheduled();
        assertThat(resumed.destroyed()).isEqualTo(2);
        assertThat(resumed.certificateIds()).hasSize(1);
        assertThat(restarted.runScheduled().certificateIds()).isEmpty();
        assertThat(f.count("select count(*) from destruction_certificate")).isEqualTo(1);
        assertThat(f.count("select count(*) from destruction_lease where holder is null")).isEqualTo(1);
        assertThat(f.count("select count(*) from destruction where status = 'COMPLETED'")).isEqualTo(1);
        assertThat(f.count("select count(*) from audit_event where event_type = 'DATA_DESTROYED'")).isEqualTo(2);
        assertThat(f.count("select count(*) from audit_event where event_type = 'DESTRUCTION_CERTIFIED'")).isEqualTo(1);
        for (Batch batch : List.of(first, second)) {
            assertThatThrownBy(() -> f.keys.get(batch.dataKeyId())).hasMessageContaining("destroyed");
            assertThat(f.count("select count(*) from identity_vault where intake_id = ?", batch.id())).isZero();
        }
        JsonNode body = JSON.readTree(f.certificates.find(resumed.certificateIds().get(0)).orElseThrow().body());
        assertThat(body.get("items").findValuesAsText("sha256")).contains(firstSha);
        assertGpgVerifies(f, f.certificates.find(resumed.certificateIds().get(0)).orElseThrow());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRunThatLosesItsLeaseStopsWithoutIncidentsOrACertificateAndTheNewHolderFinishes(String name,
            Supplier<DataSource> database) throws Exception {
        RetentionFixture f = fixture(database);
        Batch first = f.acceptedBatch(RetentionFixture.COUNCIL, 5);
        Batch second = f.acceptedBatch(RetentionFixture.OTHER_COUNCIL, 5);
        f.today(LocalDate.of(2023, 1, 1));

        // While the first item is being destroyed the lease expires and another replica takes it over.
        f.job.beforeDone(() -> f.jdbc.update("update destruction_lease set holder = 'other-replica', expires_at = ?",
                java.sql.Timestamp.from(f.clock.instant().plus(DestructionLease.TERM))));
        DestructionJob.Outcome stopped = f.job.runScheduled();
        assertThat(stopped.failed()).isZero();
        assertThat(stopped.certificateIds()).isEmpty();
        assertThat(f.count("select count(*) from incident")).isZero();
        assertThat(f.count("select count(*) from audit_event where event_type = 'DESTRUCTION_FAILED'")).isZero();
        assertThat(f.count("select count(*) from destruction_item where last_error is not null")).isZero();
        assertThat(f.count("select count(*) from destruction_certificate")).isZero();
        assertThat(Files.exists(f.home.destructionCertificatesDir())
                && Files.list(f.home.destructionCertificatesDir()).findAny().isPresent()).isFalse();
        assertThat(f.count("select count(*) from destruction where status = 'RUNNING'")).isEqualTo(1);
        assertThat(f.count("select count(*) from destruction_item where state = 'DONE'")).isEqualTo(1);
        // The lost lease is not released by the run that lost it.
        assertThat(f.jdbc.queryForObject("select holder from destruction_lease", String.class)).isEqualTo("other-replica");
        assertThatThrownBy(() -> f.job.runOnDemand("admin")).isInstanceOf(DestructionBusyException.class);

        // The new holder (here: a run after the lease expired) resumes the same run and certifies it once.
        f.job.beforeDone(null);
        f.clock.set(f.clock.instant().plus(DestructionLease.TERM).plusSeconds(1));
        DestructionJob resumedBy = f.newJob();
        DestructionJob.Outcome resumed = resumedBy.runScheduled();
        assertThat(resumed.destroyed()).isEqualTo(1);
        assertThat(resumed.certificateIds()).hasSize(1);
        assertThat(f.count("select count(*) from destruction_certificate")).isEqualTo(1);
        assertThat(f.count("select count(*) from destruction where status = 'COMPLETED'")).isEqualTo(1);
        assertThat(f.count("select count(*) from incident")).isZero();
        for (Batch batch : List.of(first, second)) {
            assertThat(f.count("select count(*) from identity_vault where intake_id = ?", batch.id())).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void terminationForAPartyStopsItsFlowsAndMakesItsDataDue(String name, Supplier<DataSource> database) throws Exception {
        RetentionFixture f = new RetentionFixture(database.get(), root,
                "[{party: E10000013, date: 2019-03-31, reason: \"notice (cl. 15.1)\"},"
                        + " {party: DWP, date: 2019-06-30, reason: \"notice (cl. 15.1)\"}]");
        Batch kept = f.acceptedBatch(RetentionFixture.COUNCIL, 4);
        Batch terminated = f.acceptedBatch(RetentionFixture.OTHER_COUNCIL, 4);
        Batch returned = f.acceptedReturn(kept);

        f.today(LocalDate.of(2019, 3, 30));
        assertThat(f.schedule.due(LocalDate.of(2019, 3, 30)).items()).isEmpty();
        LocalDate day = LocalDate.of(2019, 3, 31);
        f.today(day);
        // Flows stop (already enforced by the policy) and the council's data becomes due, nobody else's.
        assertThat(f.policy.intake(RetentionFixture.OTHER_COUNCIL, day).allowed()).isFalse();
        assertThat(f.policy.flow(RetentionFixture.OTHER_COUNCIL, "DWP", day).allowed()).isFalse();
        assertThat(f.policy.intake(RetentionFixture.COUNCIL, day).allowed()).isTrue();
        List<RetentionSchedule.DueItem> due = f.schedule.due(day).items();
        assertThat(due).extracting(RetentionSchedule.DueItem::subjectId).containsExactly(terminated.id());
        assertThat(due.get(0).clause()).contains("terminated for E10000013").contains("2019-03-31");

        f.job.runScheduled();
        assertThat(f.count("select count(*) from identity_vault where intake_id = ?", terminated.id())).isZero();
        assertThat(f.count("select count(*) from identity_vault where intake_id = ?", kept.id())).isEqualTo(4);
        assertThat(Files.exists(f.home.root().resolve(kept.archivePath()))).isTrue();

        // The department's termination makes its returns due.
        f.today(LocalDate.of(2019, 6, 30));
        assertThat(f.schedule.due(LocalDate.of(2019, 6, 30)).items()).extracting(RetentionSchedule.DueItem::subjectId)
                .containsExactly(returned.id());
        f.job.runScheduled();
        assertThat(f.count("select count(*) from return_record where return_id = ?", returned.id())).isZero();
        assertThat(f.count("select count(*) from research_record where intake_id = ?", kept.id())).isEqualTo(4);
        assertThat(f.certificates.list()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aFailedDestructionOpensAnIncidentAndIsRetried(String name, Supplier<DataSource> database) throws Exception {
        RetentionFixture f = fixture(database);
        Batch batch = f.acceptedBatch(RetentionFixture.COUNCIL, 3);
        // The kept file cannot be read or deleted: a directory with something in it stands in its place.
        Path archived = f.home.root().resolve(batch.archivePath());
        Path aside = root.resolve("aside.sealed");
        Files.move(archived, aside);
        Files.createDirectories(archived.resolve("blocker"));
        f.today(LocalDate.of(2023, 1, 1));

        DestructionJob.Outcome failed = f.job.runScheduled();
        assertThat(failed.failed()).isEqualTo(1);
        assertThat(failed.certificateIds()).isEmpty();
        assertThat(f.jdbc.queryForList("select category from incident", String.class)).containsExactly("DESTRUCTION_FAILURE");
        assertThat(f.jdbc.queryForObject("select summary from incident", String.class)).doesNotContain("Synthetic");
        assertThat(f.count("select count(*) from audit_event where event_type = 'DESTRUCTION_FAILED'")).isEqualTo(1);
        assertThat(f.keys.get(batch.dataKeyId())).isNotNull();

        // Put right, the next run takes the item over and certifies it.
        Files.delete(archived.resolve("blocker"));
        Files.delete(archived);
        Files.move(aside, archived);
        DestructionJob.Outcome retried = f.job.runScheduled();
        assertThat(retried.destroyed()).isEqualTo(1);
        assertThat(retried.certificateIds()).hasSize(1);
        assertThat(f.count("select attempts from destruction_item where subject_id = ?", batch.id())).isEqualTo(2);
        assertThatThrownBy(() -> f.keys.get(batch.dataKeyId())).hasMessageContaining("destroyed");
    }

    /** gpg, with only the gateway's exported public key, accepts the certificate and refuses it one byte changed. */
    void assertGpgVerifies(RetentionFixture f, DestructionCertificates.Certificate certificate) throws Exception {
        Assumptions.assumeTrue(GpgCli.isAvailable() || System.getenv("CI") != null, "gpg not installed");
        Path publicKey = root.resolve("gateway-public.asc");
        RetentionFixture.generated().writeArmoredPublic(publicKey);
        Path json = root.resolve(certificate.id() + ".json");
        Path signature = root.resolve(certificate.id() + ".json.asc");
        Files.writeString(json, certificate.body(), StandardCharsets.UTF_8);
        Files.writeString(signature, certificate.signature(), StandardCharsets.US_ASCII);
        // The files the gateway saved under its home are the same text.
        assertThat(Files.readString(f.home.destructionCertificatesDir().resolve(certificate.id() + ".json")))
                .isEqualTo(certificate.body());
        try (GpgCli gpg = GpgCli.inTempHome()) {
            gpg.importKey(publicKey, null);
            GpgCli.Result good = gpg.verifyDetached(signature, json);
            assertThat(good.succeeded()).as(good.stderr()).isTrue();
            assertThat(good.hasStatus("VALIDSIG " + f.gatewayKey.signingPublicKeyFingerprint())).isTrue();

            byte[] bytes = Files.readAllBytes(json);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(json, bytes);
            assertThat(gpg.verifyDetached(signature, json).succeeded()).isFalse();
        }
    }

    static final class SimulatedCrash extends Error {
        private static final long serialVersionUID = 1L;
    }
}
