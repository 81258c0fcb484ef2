package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpDecryptVerifier;
import org.linkgate.crypto.PgpKeys;
import org.linkgate.crypto.PgpLimits;
import org.linkgate.crypto.VerifiedPlaintext;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.SecretFiles;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * When packs go out and what is recorded, on a real database: not while an extract is awaited,
 * once when the batch is linked, not again for the same data, again on request; the file in
 * the council's outbound opens with the council's key and is signed by the gateway.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FeedbackPacksContract {

    static final String COUNCIL = DemoBootstrap.DEMO_COUNCIL;
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-04T10:00:00Z"), ZoneOffset.UTC);
    JdbcTemplate jdbc;
    GatewayHome home;
    GatewayPgpKey gatewayKey;
    FeedbackPacks packs;
    LinkedDataFixture data;
    String intakeId;

    abstract DataSource database();

    @BeforeAll
    void setUp() throws Exception {
        DataSource ds = database();
        jdbc = new JdbcTemplate(ds);
        Path dir = GatewayTestHome.create();
        home = new GatewayHome(dir, dir.resolve("secrets"));
        gatewayKey = new GatewayPgpKey(PgpKeys.readSecretKeyRing(home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_SECRET_KEY)),
                SecretFiles.readText(home.secretsDir().resolve(GatewaySecrets.GATEWAY_PASSPHRASE)).toCharArray());
        packs = new FeedbackPacks(jdbc, new TableBuilder(ds), progress(jdbc), DisclosureSettings.fixed(DisclosureRules.agreementDefaults()),
                new PartnerRegistry(home), home, gatewayKey, new AuditLog(jdbc, CLOCK), CLOCK);
        data = new LinkedDataFixture(ds, 21);
        intakeId = data.batch(COUNCIL, "2015-06", 150, "ACCEPTED");
    }

    @Test
    void onePackPerLinkedBatchThenOnRequest() throws Exception {
        assertThat(packs.sendDue()).as("no accepted return tied to an extract yet").isZero();
        String extractId = data.extract(intakeId, "2015-06", "SENT");
        assertThat(packs.sendDue()).as("an extract is still awaited").isZero();
        jdbc.update("update extract set status = 'RETURNED' where id = ?", extractId);
        assertThat(packs.sendDue()).isEqualTo(1);
        assertThat(packs.sendDue()).as("same linked data: no second pack").isZero();
        // a late change to the same period's data (more rows loaded from a return): the period
        // had its batch pack, so no second one goes out by itself (two would invite differencing)
        jdbc.update("update return_file set rows_accepted = rows_accepted + 5 where extract_id = ?", extractId);
        assertThat(packs.sendDue()).as("same period, changed data: not resent automatically").isZero();
        assertThat(jdbc.queryForObject("select count(*) from feedback_release where council_code = ?", Long.class, COUNCIL))
                .isEqualTo(1);

        Path first = home.outbound(COUNCIL).resolve("feedback-" + COUNCIL + "-20260304-01.zip.pgp");
        assertThat(first).exists();
        List<String> entries = entries(Files.readAllBytes(first));
        assertThat(entries).contains(FeedbackPacks.REPORT, FeedbackPacks.MANIFEST, "tables/any_offence-by-sex.csv");
        assertThat(Files.list(home.outgoingStaging()).toList()).as("nothing left in staging")
                .containsExactly(packs.pendingDirectory());
        assertThat(Files.list(packs.pendingDirectory()).toList()).as("nothing left waiting").isEmpty();

        FeedbackPacks.Release onRequest = packs.send(COUNCIL, "2015-06", "ann", FeedbackPacks.Trigger.REQUEST);
        assertThat(onRequest.fileName()).isEqualTo("feedback-" + COUNCIL + "-20260304-02.zip.pgp");
        assertThat(onRequest.sha256()).isEqualTo(FeedbackPacks.sha256(Files.readAllBytes(home.outbound(COUNCIL)
                .resolve(onRequest.fileName()))));
        assertThat(jdbc.queryForList("select trigger_kind from feedback_release where council_code = ? order by file_name",
                String.class, COUNCIL)).containsExactly("BATCH", "REQUEST");
        // the ledger: every row shown recorded once; the re-send repeats the period's figures exactly
        assertThat(jdbc.queryForObject("select count(*) from released_cell where council_code = ? and period = '2015-06'",
                Long.class, COUNCIL)).isPositive();
        assertThat(jdbc.queryForObject("select count(distinct release_id) from released_cell where council_code = ?",
                Long.class, COUNCIL)).isEqualTo(1);
        assertThat(zipOf(Files.readAllBytes(home.outbound(COUNCIL).resolve(onRequest.fileName()))))
                .isEqualTo(zipOf(Files.readAllBytes(first)));
        assertThat(jdbc.queryForList("select actor from audit_event where event_type = 'FEEDBACK_RELEASED' order by seq",
                String.class)).containsExactly("gateway", "http:ann");

        // new linked data (a second batch's return) makes the council due again
        String second = data.batch(COUNCIL, "2016-01", 40, "ACCEPTED");
        data.extract(second, "2016-01", "RETURNED");
        assertThat(packs.sendDue()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select period from feedback_release where file_name like ?", String.class,
                "%-03.zip.pgp")).isEqualTo("2016-01");
    }

    @Test
    void unknownCouncilOrNoDataIsRefused() {
        assertThatThrownBy(() -> packs.send("E99999999", null, "ann", FeedbackPacks.Trigger.REQUEST))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPackIsPublishedOnlyAfterItsRecordCommitsAndARecordedPackIsPublishedByTheNextRun() throws Exception {
        // its own database and home, so the other test's counts are untouched
        DataSource real = database();
        java.util.concurrent.atomic.AtomicBoolean failCommit = new java.util.concurrent.atomic.AtomicBoolean();
        DataSource failing = failingCommits(real, failCommit);
        Path dir = GatewayTestHome.create();
        GatewayHome ownHome = new GatewayHome(dir, dir.resolve("secrets"));
        GatewayPgpKey key = new GatewayPgpKey(PgpKeys.readSecretKeyRing(ownHome.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_SECRET_KEY)),
                SecretFiles.readText(ownHome.secretsDir().resolve(GatewaySecrets.GATEWAY_PASSPHRASE)).toCharArray());
        JdbcTemplate ownJdbc = new JdbcTemplate(failing);
        FeedbackPacks own = new FeedbackPacks(ownJdbc, new TableBuilder(real), progress(ownJdbc), DisclosureSettings.fixed(DisclosureRules.agreementDefaults()),
                new PartnerRegistry(ownHome), ownHome, key, new AuditLog(ownJdbc, CLOCK), CLOCK);
        new LinkedDataFixture(real, 5).batch(COUNCIL, "2015-06", 60, "ACCEPTED");
        Path outbound = GatewayHome.ensureDirectory(ownHome.outbound(COUNCIL));

        // the commit fails: nothing recorded, so nothing may reach the council
        failCommit.set(true);
        assertThatThrownBy(() -> own.send(COUNCIL, "2015-06", "ann", FeedbackPacks.Trigger.REQUEST))
                .isInstanceOf(RuntimeException.class);
        failCommit.set(false);
        assertThat(Files.list(outbound).toList()).as("no pack without its record").isEmpty();
        assertThat(new JdbcTemplate(real).queryForObject("select count(*) from feedback_release", Long.class)).isZero();
        assertThat(Files.list(own.pendingDirectory()).toList()).as("the unrecorded pack is not kept").isEmpty();

        // recorded, then "crashed" before publishing: the next run publishes it, under its recorded name
        FeedbackPacks.Release release = own.send(COUNCIL, "2015-06", "ann", FeedbackPacks.Trigger.REQUEST);
        Path published = outbound.resolve(release.fileName());
        assertThat(published).exists();
        Files.move(published, own.pendingDirectory().resolve(release.id() + FeedbackPacks.SUFFIX));
        own.sendDue();
        assertThat(published).exists();
        assertThat(FeedbackPacks.sha256(Files.readAllBytes(published))).isEqualTo(release.sha256());
        assertThat(Files.list(own.pendingDirectory()).toList()).isEmpty();

        // an existing outbound file is never overwritten
        Path waiting = own.pendingDirectory().resolve(release.id() + FeedbackPacks.SUFFIX);
        Files.copy(published, waiting);
        Files.writeString(published, "the council's copy");
        own.sendDue();
        assertThat(Files.readString(published)).isEqualTo("the council's copy");
        assertThat(waiting).as("kept for an operator").exists();
    }

    /** The database, except that a commit fails (rolled back) while {@code fail} is set. */
    private static DataSource failingCommits(DataSource real, java.util.concurrent.atomic.AtomicBoolean fail) {
        return (DataSource) java.lang.reflect.Proxy.newProxyInstance(DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    if (!"getConnection".equals(method.getName())) {
                        return result;
                    }
                    java.sql.Connection connection = (java.sql.Connection) result;
                    return java.lang.reflect.Proxy.newProxyInstance(java.sql.Connection.class.getClassLoader(),
                            new Class<?>[] {java.sql.Connection.class}, (p, m, a) -> {
                                if ("commit".equals(m.getName()) && fail.get()) {
                                    connection.rollback();
                                    throw new java.sql.SQLException("commit failed (test)");
                                }
                                return invoke(connection, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private byte[] zipOf(byte[] sealed) throws Exception {
        GatewayPgpKey councilKey = DemoPartnerFiles.pgpKey(home.demoDir().resolve(COUNCIL));
        VerifiedPlaintext message = new PgpDecryptVerifier().open(new ByteArrayInputStream(sealed), councilKey,
                gatewayKey.publicRing(), new PgpLimits(64L << 20, 1000, sealed.length));
        byte[] zip = message.plaintext().readAllBytes();
        message.verify();
        return zip;
    }

    private List<String> entries(byte[] sealed) throws Exception {
        byte[] zip = zipOf(sealed);
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }

    static CouncilDataProgress progress(JdbcTemplate jdbc) {
        return new CouncilDataProgress(new org.linkgate.intake.IntakeFiles(jdbc), new org.linkgate.fanout.Extracts(jdbc),
                new org.linkgate.returns.ReturnFiles(jdbc));
    }
}
