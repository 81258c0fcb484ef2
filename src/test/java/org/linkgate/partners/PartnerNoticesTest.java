package org.linkgate.partners;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkgate.crypto.GpgCli;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.inbound.InboundContext;
import org.linkgate.kernel.GatewaySecrets;
import org.linkgate.kernel.SealedReports;
import org.linkgate.kernel.SecretFiles;
import org.linkgate.store.TestDatabases;
import org.linkgate.support.InboundHarness;
import org.linkgate.transfer.ExtractDelivery;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Cl. 7.4 as the council meets it: a file the gateway gives up on after max-attempts, and a file it rejects, are told
 * to the council — an encrypted notice in its {@code outbound/} (opened with {@code gpg} and the council's key, the
 * gateway's signature checked) and an e-mail to its contact (a real SMTP server, GreenMail). The outbox sends each
 * once, even when a crash loses the record of a notice already placed; without mail the notice alone goes.
 */
class PartnerNoticesTest {

    private static final String COUNCIL = "E10000012";
    private static final String CONTACT = "representative@e10000012.example.invalid";

    private final GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
    private InboundHarness gateway;
    private PartnerNoticeSender sender;

    @BeforeEach
    void start() {
        smtp.start();
        gateway = new InboundHarness(TestDatabases.h2(), Clock.systemUTC());
        JavaMailSenderImpl mail = new JavaMailSenderImpl();
        mail.setHost("127.0.0.1");
        mail.setPort(smtp.getSmtp().getPort());
        sender = sender(mail);
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    private PartnerNoticeSender sender(JavaMailSender mail) {
        StaticListableBeanFactory beans = new StaticListableBeanFactory(mail == null ? Map.of() : Map.of("mail", mail));
        PartnersProperties properties = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("linkgate.partners", PartnersProperties.class);
        return new PartnerNoticeSender(gateway.jdbc, gateway.registry, gateway.agreement, gateway.home,
                new SealedReports(gateway.home, gateway.gatewayKey), new ExtractDelivery(gateway.home),
                beans.getBeanProvider(JavaMailSender.class), gateway.audit, gateway.alerts, properties, Clock.systemUTC());
    }

    /** A council's file that fails every attempt: claimed past max-attempts (3), as the route does at each poll. */
    private String quarantineAfterMaxAttempts(String name) throws Exception {
        Path source = Files.write(Files.createTempFile("batch", ".gpg"), "not even OpenPGP".getBytes(StandardCharsets.UTF_8));
        Path custody = gateway.takeIn.takeIn(COUNCIL, source, name, "test " + name, false);
        for (int attempt = 1; attempt <= gateway.properties.intake().maxAttempts() + 1; attempt++) {
            gateway.councils.claim(COUNCIL, custody).close();
        }
        return gateway.jdbc.queryForObject("select id from intake_file where file_name = ? and status = 'QUARANTINED'",
                String.class, name);
    }

    @Test
    void aFileQuarantinedAfterMaxAttemptsIsNotifiedToTheCouncilOnceEncryptedAndByEmail() throws Exception {
        String name = "E10000012_2015-06_61.csv.gpg";
        String id = quarantineAfterMaxAttempts(name);
        assertThat(gateway.jdbc.queryForObject("select count(*) from partner_notice where kind = 'FILE_QUARANTINED'"
                + " and subject_id = ?", Long.class, id)).as("queued with the quarantine").isEqualTo(1);

        sender.sendDue();
        sender.sendDue();

        Path notice = gateway.home.outbound(COUNCIL).resolve(name + "." + id + ".quarantined.notice.json.pgp");
        assertThat(notice).exists();
        JsonNode body = new ObjectMapper().readTree(openWithGpg(notice));
        assertThat(body.path("kind").asText()).isEqualTo("FILE_QUARANTINED");
        assertThat(body.path("fileName").asText()).isEqualTo(name);
        assertThat(body.path("fileId").asText()).isEqualTo(id);
        assertThat(body.path("reason").asText()).isEqualTo("processing failed 3 times");
        assertThat(body.path("agreementClause").asText()).startsWith("7.4");

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getAllRecipients()).extracting(Object::toString).containsExactly(CONTACT);
        assertThat(received[0].getSubject()).isEqualTo("[Linkgate] a file you sent could not be processed - E10000012");
        String text = GreenMailUtil.getBody(received[0]);
        assertThat(text).contains(name).contains(id).contains("clause 7.4").contains("holds no personal data");
        assertThat(gateway.jdbc.queryForList("select detail from audit_event where event_type in ('NOTICE_SENT',"
                + " 'NOTICE_EMAILED') and subject_id = ? order by seq", String.class, id)).containsExactly(
                "FILE_QUARANTINED outbound/" + notice.getFileName(), "FILE_QUARANTINED e-mailed to 1 contact(s) of E10000012");

        // A crash after the notice was placed but before it was recorded: placed again means found, not doubled.
        byte[] placed = Files.readAllBytes(notice);
        gateway.jdbc.update("update partner_notice set notice_status = 'PENDING' where subject_id = ?", id);
        sender.sendDue();
        assertThat(Files.readAllBytes(notice)).isEqualTo(placed);
        assertThat(notices()).hasSize(1);
        assertThat(smtp.getReceivedMessages()).hasSize(1);
    }

    @Test
    void aRejectionIsEmailedWithItsCountsByRuleAndNoValue() throws Exception {
        Path source = Files.write(Files.createTempFile("batch", ".gpg"), "x".getBytes(StandardCharsets.UTF_8));
        InboundContext rejected = gateway.council(COUNCIL, source, "batch-from-a-spreadsheet.csv.gpg");
        assertThat(gateway.report(rejected).path("status").asText()).isEqualTo("REJECTED");

        sender.sendDue();

        MimeMessage[] received = smtp.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).contains("a file you sent was rejected");
        assertThat(GreenMailUtil.getBody(received[0])).contains("batch-from-a-spreadsheet.csv.gpg")
                .contains("status: REJECTED").contains("file error: file_name")
                .contains("outbound/batch-from-a-spreadsheet.csv.gpg");
        assertThat(notices()).as("the report itself is the encrypted notice").isEmpty();
    }

    @Test
    void theEmailGoesThoughTheNoticeCannotBePlacedAndTheNoticeFollowsAlone() throws Exception {
        String id = quarantineAfterMaxAttempts("E10000012_2015-06_63.csv.gpg");
        Path outbound = gateway.home.outbound(COUNCIL);
        Path aside = outbound.resolveSibling("outbound-aside");
        if (Files.exists(outbound)) {
            Files.move(outbound, aside);
        }
        Files.createDirectories(outbound.getParent());
        Files.writeString(outbound, "not a folder"); // the notice cannot be placed

        sender.sendDue();

        assertThat(smtp.getReceivedMessages()).as("the e-mail is not held back").hasSize(1);
        assertThat(gateway.jdbc.queryForMap("select notice_status, email_status, attempts from partner_notice"
                + " where subject_id = ?", id)).containsEntry("notice_status", "PENDING")
                .containsEntry("email_status", "SENT").containsEntry("attempts", 1);

        Files.delete(outbound);
        if (Files.exists(aside)) {
            Files.move(aside, outbound);
        }
        gateway.jdbc.update("update partner_notice set next_attempt_at = ? where subject_id = ?",
                java.sql.Timestamp.from(java.time.Instant.now()), id);
        sender.sendDue();
        assertThat(notices()).hasSize(1);
        assertThat(smtp.getReceivedMessages()).as("e-mailed once").hasSize(1);
    }

    @Test
    void withoutMailTheEncryptedNoticeAloneGoes() throws Exception {
        String id = quarantineAfterMaxAttempts("E10000012_2015-06_62.csv.gpg");
        sender(null).sendDue();
        assertThat(notices()).hasSize(1);
        assertThat(smtp.getReceivedMessages()).isEmpty();
        assertThat(gateway.jdbc.queryForMap("select email_status, last_error from partner_notice where subject_id = ?", id))
                .containsEntry("email_status", "NONE").containsEntry("last_error", "no mail configured (spring.mail.host)");
    }

    private List<Path> notices() throws Exception {
        try (Stream<Path> files = Files.list(gateway.home.outbound(COUNCIL))) {
            return files.filter(f -> f.getFileName().toString().endsWith(PartnerNotices.NOTICE_SUFFIX)).toList();
        }
    }

    private String openWithGpg(Path sealed) throws Exception {
        if (!GpgCli.isAvailable()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("gpg must be installed in CI");
            }
            Assumptions.abort("gpg not installed");
        }
        Path side = gateway.home.demoDir().resolve(COUNCIL);
        char[] passphrase = SecretFiles.readText(side.resolve(DemoPartnerFiles.PGP_PASSPHRASE)).toCharArray();
        try (GpgCli gpg = GpgCli.inTempHome()) {
            gpg.importKey(side.resolve(DemoPartnerFiles.PGP_SECRET_KEY), passphrase);
            gpg.importKey(gateway.home.gatewayKeyDir().resolve(GatewaySecrets.GATEWAY_PUBLIC_KEY), null);
            Path out = Files.createTempFile("notice", ".json");
            Files.delete(out);
            GpgCli.Result result = gpg.decrypt(sealed, out, passphrase);
            assertThat(result.succeeded()).as(result.stderr()).isTrue();
            assertThat(result.hasStatus("GOODSIG")).as("signed by the gateway").isTrue();
            return Files.readString(out);
        }
    }

}
