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
import org.linkgate.ops.GatewayHome;
import org.linkgate.ops.GatewaySecrets;
import org.linkgate.ops.SecretFiles;
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
        packs = new FeedbackPacks(jdbc, new TableBuilder(ds), DisclosureSettings.fixed(DisclosureRules.agreementDefaults()),
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
        jdbc.update("update return_file set rows_loaded = rows_loaded + 5 where extract_id = ?", extractId);
        assertThat(packs.sendDue()).as("same period, changed data: not resent automatically").isZero();
        assertThat(jdbc.queryForObject("select count(*) from feedback_release where council_code = ?", Long.class, COUNCIL))
                .isEqualTo(1);

        Path first = home.outbound(COUNCIL).resolve("feedback-" + COUNCIL + "-20260304-01.zip.pgp");
        assertThat(first).exists();
        List<String> entries = entries(Files.readAllBytes(first));
        assertThat(entries).contains(FeedbackPacks.REPORT, FeedbackPacks.MANIFEST, "tables/any_offence-by-age_band.csv");
        assertThat(Files.list(home.outgoingStaging()).toList()).as("nothing left in staging").isEmpty();

        FeedbackPacks.Release onRequest = packs.send(COUNCIL, "2015-06", "ann", FeedbackPacks.Trigger.REQUEST);
        assertThat(onRequest.fileName()).isEqualTo("feedback-" + COUNCIL + "-20260304-02.zip.pgp");
        assertThat(onRequest.sha256()).isEqualTo(FeedbackPacks.sha256(Files.readAllBytes(home.outbound(COUNCIL)
                .resolve(onRequest.fileName()))));
        assertThat(jdbc.queryForList("select trigger_kind from feedback_release where council_code = ? order by file_name",
                String.class, COUNCIL)).containsExactly("BATCH", "REQUEST");
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

    private List<String> entries(byte[] sealed) throws Exception {
        GatewayPgpKey councilKey = DemoPartnerFiles.pgpKey(home.demoDir().resolve(COUNCIL));
        VerifiedPlaintext message = new PgpDecryptVerifier().open(new ByteArrayInputStream(sealed), councilKey,
                gatewayKey.publicRing(), new PgpLimits(64L << 20, 1000, sealed.length));
        byte[] zip = message.plaintext().readAllBytes();
        message.verify();
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
