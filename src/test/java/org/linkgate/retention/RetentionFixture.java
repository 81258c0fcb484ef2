package org.linkgate.retention;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.AesGcm;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.GeneratedPgpKey;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.fanout.Extracts;
import org.linkgate.inbound.InboundLedger;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.inbound.TestLedgers;
import org.linkgate.incident.Incidents;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.MasterKey;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.linkage.LinkageRows;
import org.linkgate.pseudonymisation.AgeBand;
import org.linkgate.pseudonymisation.ResearchRecord;
import org.linkgate.release.ReleaseHoldings;
import org.linkgate.returns.ReturnFiles;
import org.linkgate.store.ResearchStore;
import org.linkgate.store.ResearchStoreWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** A retention set-up over a real database and a real gateway home: synthetic batches, returns, kept files. */
final class RetentionFixture {

    static final char[] PASSPHRASE = "test-only passphrase".toCharArray();
    static final String COUNCIL = "E10000012";
    static final String OTHER_COUNCIL = "E10000013";
    static final String DEPARTMENT = "DWP";
    private static GeneratedPgpKey generated;

    static String agreement(String terminations) {
        return """
                reference: DSA-TEST-RETENTION
                purpose: "Synthetic test agreement (research and statistics only)"
                parties:
                  - {code: E10000012, role: DATA_CONTROLLER, kind: COUNCIL}
                  - {code: E10000013, role: DATA_CONTROLLER, kind: COUNCIL}
                  - {code: DCLG, role: DATA_CONTROLLER, kind: SPONSOR}
                  - {code: ONS, role: PROCESSOR, kind: PROCESSOR}
                  - {code: DWP, role: DATA_PROVIDER, kind: DEPARTMENT}
                term: {start: 2015-05-22, end: 2022-12-31}
                terminations: %s
                flows:
                  - {from: E10000012, to: [DWP]}
                  - {from: E10000013, to: [DWP]}
                retention:
                  councilData: 2022-12-31
                  linkedData: 2025-12-31
                  auditTrail: 2030-12-31
                disclosure: {threshold: 5, zerosDisclosive: false}
                contacts: []
                icoWaiver: "retention tests: no breach is reported"
                """.formatted(terminations);
    }

    final DataSource ds;
    final JdbcTemplate jdbc;
    final TransactionTemplate tx;
    final MutableClock clock = new MutableClock(Instant.parse("2016-01-15T10:00:00Z"));
    final byte[] masterMaterial = new byte[32];
    final DataKeyStore keys;
    final GatewayHome home;
    final ReceivedFileCustody custody;
    final InboundLedger ledger;
    final AuditLog audit;
    final Incidents incidents;
    final AgreementPolicy policy;
    final HeldData held;
    final RetentionSchedule schedule;
    final DestructionCertificates certificates;
    final DestructionJob job;
    final GatewayPgpKey gatewayKey;

    RetentionFixture(DataSource ds, Path root, String terminations) throws PGPException {
        new SecureRandom().nextBytes(masterMaterial);
        this.ds = ds;
        this.jdbc = new JdbcTemplate(ds);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        this.keys = new DataKeyStore(jdbc, new MasterKey(masterMaterial), clock);
        this.home = new GatewayHome(root, root.resolve("secrets"));
        this.custody = new ReceivedFileCustody(home, keys, jdbc, tx, clock);
        this.audit = new AuditLog(jdbc, clock);
        this.ledger = TestLedgers.councils(jdbc, tx, clock, audit);
        this.policy = new AgreementPolicy(AgreementLoader.parse(agreement(terminations), "agreement.yaml",
                Set.of(COUNCIL, OTHER_COUNCIL), Set.of(DEPARTMENT)));
        java.time.Duration minute = java.time.Duration.ofMinutes(1);
        this.incidents = new Incidents(jdbc, audit, new Alerts(jdbc, clock),
                new org.linkgate.incident.IncidentRecipients(policy, new org.linkgate.agreement.PartnerRegistry(home),
                        new org.linkgate.incident.IncidentProperties(java.util.List.of("operators@example.invalid"),
                                "linkgate-incidents@localhost", minute, minute, minute, 3, minute, minute, minute, 5, minute)),
                clock);
        this.held = new HeldData(new IntakeFiles(jdbc), new ResearchStore(jdbc), new LinkageRows(jdbc), new Extracts(jdbc),
                new ReturnFiles(jdbc), new ReleaseHoldings(jdbc), custody);
        this.schedule = new RetentionSchedule(jdbc, policy, held);
        this.gatewayKey = new GatewayPgpKey(generated().secret(), PASSPHRASE);
        this.certificates = new DestructionCertificates(jdbc, tx, gatewayKey, home, policy, audit,
                new ReleaseHoldings(jdbc), clock);
        this.job = new DestructionJob(jdbc, tx, schedule, held, keys, audit, incidents, certificates, home, clock);
    }

    /** The job as another replica, or the same gateway restarted, would run it: its own lease holder. */
    DestructionJob newJob() {
        return new DestructionJob(jdbc, tx, schedule, held, keys, audit, incidents, certificates, home, clock);
    }

    static synchronized GeneratedPgpKey generated() throws PGPException {
        if (generated == null) {
            generated = new PgpKeyPairGenerator().generate("Linkgate Test Gateway <gateway@example.invalid>", PASSPHRASE);
        }
        return generated;
    }

    /** What a batch left behind: its id, its data key, its kept file, the ciphertext received. */
    record Batch(String id, String dataKeyId, String archivePath, byte[] received) {
    }

    /** An accepted council batch: research records, sealed identities, an extract with members, an archived file. */
    Batch acceptedBatch(String council, int rows) throws IOException {
        String name = council + "_2016-0" + (1 + (int) (Math.random() * 8)) + "_" + UUID.randomUUID().toString().substring(0, 4) + ".csv.gpg";
        byte[] received = ("-----BEGIN PGP MESSAGE-----\nsynthetic " + UUID.randomUUID() + "\n").repeat(4000)
                .getBytes(StandardCharsets.US_ASCII);
        String id = TestLedgers.claimBatch(ledger, council, name, sha256Hex(received), received.length, "2016-01");
        DataKeyStore.DataKey key = tx.execute(t -> keys.create("council-identity"));
        jdbc.update("update intake_file set data_key_id = ? where id = ?", key.id(), id);
        ResearchStoreWriter writer = new ResearchStoreWriter(jdbc, tx, id);
        for (int row = 2; row < rows + 2; row++) {
            String pseudo = sha256Hex(("p" + council + row + id).getBytes(StandardCharsets.UTF_8));
            byte[] identity = ("Synthetic-Surname-" + row).getBytes(StandardCharsets.UTF_8);
            writer.add(new ResearchRecord(row, pseudo, "fam" + row / 3, "ref" + row, council, "2016-01", "TREATMENT",
                    "F", 30, AgeBand.of(30), "2015-12", new ResearchRecord.ProblemFlags(1, 0, 1, 0, 0, 0), "v1"),
                    AesGcm.seal(key.key(), identity, ("vault:" + id + ":" + row).getBytes(StandardCharsets.UTF_8)));
        }
        writer.flush();
        writer.computeFamilySizes();
        TestLedgers.complete(ledger, tx, id, council, InboundStatus.ACCEPTED, rows, rows);
        String extractId = UUID.randomUUID().toString().replace("-", "");
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at)"
                + " values (?, ?, ?, '2016-01', ?, 'SENT', ?)", extractId, DEPARTMENT, id, "f" + extractId, now());
        jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number, cohort)"
                + " select ?, substring(concat('t', pseudo_id), 1, 64), pseudo_id, intake_id, row_number, cohort from research_record"
                + " where intake_id = ?", extractId, id);
        jdbc.update("insert into linkage_quality (extract_id, dataset, cohort, sent, matched) values (?, 'WPLS', 'TREATMENT', ?, 1)",
                extractId, rows);
        Path drop = Files.createDirectories(home.root().resolve("sftp").resolve(council.toLowerCase()).resolve("inbound"))
                .resolve(name);
        Files.write(drop, received);
        String path = custody.archive(council, id, drop, false);
        ledger.archived(id, council, path);
        return new Batch(id, key.id(), path, received);
    }

    /** An accepted return from the department with rows and an archived file. */
    Batch acceptedReturn(Batch batch) throws IOException {
        String id = UUID.randomUUID().toString();
        byte[] received = ("-----BEGIN PGP MESSAGE-----\nreturn " + id + "\n").getBytes(StandardCharsets.US_ASCII);
        jdbc.update("insert into return_file (id, department_code, dataset, file_name, sha256, size_bytes, status,"
                        + " received_at, completed_at) values (?, ?, 'WPLS', ?, ?, ?, 'ACCEPTED', ?, ?)", id, DEPARTMENT,
                DEPARTMENT + "_WPLS_" + id.replace("-", "") + ".csv.pgp", sha256Hex(received), received.length, now(), now());
        jdbc.update("insert into return_record (return_id, row_number, department_code, dataset, pseudo_id, data)"
                + " select ?, row_number, 'DWP', 'WPLS', pseudo_id, '{\"benefit\":\"JSA\"}' from research_record"
                + " where intake_id = ?", id, batch.id());
        Path work = Files.createDirectories(home.root().resolve("work/returns/dwp")).resolve(id + ".pgp");
        Files.write(work, received);
        String path = custody.archive(DEPARTMENT, id, work, false);
        jdbc.update("update return_file set archived_at = ?, archive_path = ? where id = ?", now(), path, id);
        return new Batch(id, null, path, received);
    }

    void today(LocalDate day) {
        clock.set(day.atTime(12, 0).atZone(ZoneId.of("Europe/London")).toInstant());
    }

    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A clock tests move: past retention dates and terminations. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            this.now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
