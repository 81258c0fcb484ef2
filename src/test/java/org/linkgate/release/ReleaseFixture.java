package org.linkgate.release;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.GeneratedPgpKey;
import org.linkgate.crypto.PgpKeyPairGenerator;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.fanout.DepartmentTokens;
import org.linkgate.intake.IntakeFiles;
import org.linkgate.kernel.Alerts;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.LinkgateProperties;
import org.linkgate.pseudonymisation.AgeBand;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.ResearchRecord;
import org.linkgate.store.ResearchStoreWriter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A release set-up over a real database and a real gateway home: a demo DWP and the demo DCLG
 * (keys generated, DCLG's private key in {@code demo/DCLG/}), synthetic accepted batches with research
 * records, a DWP extract of each (real department tokens) and an accepted DWP return. The people
 * are skewed on purpose: a few in rare groups (sex U, 65+, large families, the small council) so
 * k-anonymity has classes to deal with.
 */
final class ReleaseFixture {

    static final char[] PASSPHRASE = "test-only passphrase".toCharArray();
    static final String COUNCIL = "E10000012";
    static final String SMALL_COUNCIL = "E10000013";
    static final String PURPOSE = "Synthetic test agreement (research and statistics only)";
    static final String LONGITUDINAL = "Longitudinal follow-up of the synthetic cohort";
    static final String SPEC = """
            name: Department for Communities and Local Government
            endpoint: {type: embedded}
            release:
              variables: [cohort, sex, age_band, council_code, problem_count, identified_month]
              datasets: [DWP/WPLS]
              maxSuppressedShare: %s
            """;
    private static GeneratedPgpKey gateway;

    final DataSource ds;
    final JdbcTemplate jdbc;
    final TransactionTemplate tx;
    final MovableClock clock = new MovableClock(Instant.parse("2016-03-15T10:00:00Z"));
    final GatewayHome home;
    final PseudonymisationKey pseudonymisationKey;
    final GatewayPgpKey gatewayKey;
    final AuditLog audit;
    final Alerts alerts;
    final AgreementPolicy policy;
    PartnerRegistry registry;
    ReleaseRecipients recipients;
    Releases releases;
    /** What delivers releases: the real one, or one a test wraps to act at the moment of delivery. */
    ReleaseDelivery delivery;
    private final Random random = new Random(20151);

    ReleaseFixture(DataSource ds, Path root) throws Exception {
        this.ds = ds;
        this.jdbc = new JdbcTemplate(ds);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        this.home = new GatewayHome(root, root.resolve("secrets"));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.pseudonymisationKey = new PseudonymisationKey(key);
        this.gatewayKey = new GatewayPgpKey(gateway().secret(), PASSPHRASE);
        this.audit = new AuditLog(jdbc, clock);
        this.alerts = new Alerts(jdbc, clock);
        this.policy = new AgreementPolicy(AgreementLoader.parse(agreement(), "agreement.yaml",
                Set.of(COUNCIL, SMALL_COUNCIL), Set.of("DWP")));
        DemoBootstrap.createDemoDepartment(home, DemoBootstrap.DemoDepartment.DWP);
        DemoBootstrap.createDemoRecipient(home);
        this.delivery = new ReleaseDelivery(home);
        configure(SPEC.formatted("0.10"));
    }

    static String agreement() {
        return """
                reference: DSA-TEST-RELEASE
                purpose: "%s"
                parties:
                  - {code: E10000012, role: DATA_CONTROLLER, kind: COUNCIL}
                  - {code: E10000013, role: DATA_CONTROLLER, kind: COUNCIL}
                  - {code: DCLG, role: DATA_CONTROLLER, kind: SPONSOR}
                  - {code: ONS, role: PROCESSOR, kind: PROCESSOR}
                  - {code: DWP, role: DATA_PROVIDER, kind: DEPARTMENT}
                term: {start: 2015-05-22, end: 2022-12-31}
                flows:
                  - {from: E10000012, to: [DWP]}
                  - {from: E10000013, to: [DWP]}
                retention:
                  councilData: 2022-12-31
                  linkedData: 2025-12-31
                  auditTrail: 2030-12-31
                disclosure: {threshold: 5, zerosDisclosive: false}
                release: {k: 5, purposes: ["%s"]}
                contacts: []
                icoWaiver: "release tests: no breach is reported"
                """.formatted(PURPOSE, LONGITUDINAL);
    }

    /** Rewrites DCLG's recipient.yaml and rebuilds what reads it, as a restart would. */
    void configure(String recipientYaml) throws IOException {
        Files.writeString(home.recipientDir("DCLG").resolve("recipient.yaml"), recipientYaml, StandardCharsets.UTF_8);
        registry = new PartnerRegistry(home);
        recipients = new ReleaseRecipients(registry, policy);
        rebuildReleases();
    }

    /** What retention does when it destroys a batch's linked data: intake's ledger and release's are both told. */
    void linkedDataDestroyed(String batch) {
        new IntakeFiles(jdbc).markLinkedDataDestroyed(batch, clock.instant());
        new ReleaseHoldings(jdbc).linkedDataDestroyed(batch, clock.instant());
    }

    /** Rebuilds {@link #releases} over the current recipients and {@link #delivery}. */
    void rebuildReleases() {
        releases = new Releases(jdbc, tx, recipients, policy, pseudonymisationKey, gatewayKey, delivery,
                new IntakeFiles(jdbc), home, audit, alerts, new LinkgateProperties.Departments(Duration.ofSeconds(5), Duration.ofSeconds(30),
                        Duration.ofHours(1), 3, Duration.ofSeconds(2)), clock);
    }

    static synchronized GeneratedPgpKey gateway() throws Exception {
        if (gateway == null) {
            gateway = new PgpKeyPairGenerator().generate("Linkgate Test Gateway <gateway@example.invalid>", PASSPHRASE);
        }
        return gateway;
    }

    /** One synthetic person of a batch, as the test knows it. */
    record Person(String pseudoId, String council, String sex, int age, int familySize, int problems) {
    }

    final List<Person> people = new ArrayList<>();
    /** DWP's token for every person sent to it, as its extract holds them. */
    final List<String> dwpTokens = new ArrayList<>();

    /**
     * An accepted batch of {@code count} synthetic people (families of 1-4, a few of 7), with a DWP
     * extract (members under real department tokens) and an accepted DWP return of one benefit spell each.
     */
    String batch(String council, String period, int count) {
        String intakeId = UUID.randomUUID().toString();
        jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, period, status, received_at,"
                        + " archived_at) values (?, ?, ?, ?, 0, ?, 'ACCEPTED', ?, ?)", intakeId, council,
                council + "_" + period + "_01.csv.gpg", hex(32), period, now(), now());
        ResearchStoreWriter writer = new ResearchStoreWriter(jdbc, tx, intakeId);
        List<String[]> members = new ArrayList<>();
        int row = 2;
        int family = 0;
        while (row < count + 2) {
            int size = random.nextInt(20) == 0 ? 7 : 1 + random.nextInt(4);
            family++;
            for (int m = 0; m < size && row < count + 2; m++, row++) {
                String pseudo = hex(32);
                String sex = random.nextInt(40) == 0 ? "U" : random.nextBoolean() ? "M" : "F";
                int age = random.nextInt(30) == 0 ? 70 + random.nextInt(20) : 18 + random.nextInt(30);
                int[] f = new int[6];
                for (int i = 0; i < 6; i++) {
                    f[i] = random.nextInt(3) == 0 ? 1 : 0;
                }
                ResearchRecord.ProblemFlags flags = new ResearchRecord.ProblemFlags(f[0], f[1], f[2], f[3], f[4], f[5]);
                writer.add(new ResearchRecord(row, pseudo, "fam-" + intakeId + "-" + family, hex(32), council, period,
                        random.nextBoolean() ? "TREATMENT" : "COMPARISON", sex, age, AgeBand.of(age), period, flags, "v1"),
                        new byte[] {1});
                members.add(new String[] {pseudo, String.valueOf(row)});
                people.add(new Person(pseudo, council, sex, age, 0, flags.count()));
            }
        }
        writer.flush();
        writer.computeFamilySizes();
        String extractId = UUID.randomUUID().toString().replace("-", "");
        jdbc.update("insert into extract (id, department_code, intake_id, period, file_name, status, created_at, sent_at)"
                + " values (?, 'DWP', ?, ?, ?, 'SENT', ?, ?)", extractId, intakeId, period, "DWP_" + period + "_" + extractId
                + ".csv.pgp", now(), now());
        DepartmentTokens tokens = new DepartmentTokens(pseudonymisationKey);
        String returnId = UUID.randomUUID().toString();
        jdbc.update("insert into return_file (id, department_code, dataset, extract_id, file_name, sha256, size_bytes,"
                        + " status, received_at, completed_at, archived_at) values (?, 'DWP', 'WPLS', ?, ?, ?, 0, 'ACCEPTED',"
                        + " ?, ?, ?)", returnId, extractId, "DWP_WPLS_" + extractId + ".csv.pgp", hex(32), now(), now(), now());
        List<Object[]> memberRows = new ArrayList<>();
        List<Object[]> returnRows = new ArrayList<>();
        int returned = 0;
        for (String[] member : members) {
            String token = tokens.token("DWP", member[0]);
            dwpTokens.add(token);
            memberRows.add(new Object[] {extractId, token, member[0], intakeId, Long.parseLong(member[1])});
            returned++;
            returnRows.add(new Object[] {returnId, returned, member[0], "{\"benefit_type\":\"JSA\",\"spell_start\":\"2015-0"
                    + (1 + returned % 9) + "-1" + returned % 10 + "\",\"spell_end\":\"\"}"});
        }
        tx.executeWithoutResult(t -> {
            jdbc.batchUpdate("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                    + " cohort) values (?, ?, ?, ?, ?, 'TREATMENT')", memberRows);
            jdbc.batchUpdate("insert into return_record (return_id, row_number, department_code, dataset, pseudo_id, data)"
                    + " values (?, ?, 'DWP', 'WPLS', ?, ?)", returnRows);
        });
        return intakeId;
    }

    long count(String sql, Object... args) {
        Long n = jdbc.queryForObject(sql, Long.class, args);
        return n == null ? 0 : n;
    }

    String status(String releaseId) {
        return jdbc.queryForObject("select status from data_release where id = ?", String.class, releaseId);
    }

    Path uploadDir() {
        return home.sftpHome("dclg").resolve("upload");
    }

    Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A clock the test moves forward (retries wait for their next attempt). */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
