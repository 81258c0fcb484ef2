package org.linkgate.agreement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The agreement enforced end to end: a council whose part in the agreement was terminated has
 * its batch refused unopened, with a report saying why; data goes only along the flows the
 * agreement lists, and a refused flow is recorded.
 */
@SpringBootTest
class AgreementEnforcementIT {

    static final Path HOME = GatewayTestHome.create("E10000013");
    static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        // E10000013 was terminated yesterday; E10000012's data may go to DFE only, not to PHE.
        LocalDate today = LocalDate.now(ZoneId.of("Europe/London"));
        Path file = AgreementLoader.file(HOME);
        String yaml = DemoAgreement.demoYaml(List.of("E10000012", "E10000013"),
                List.of("BIS", "DFE", "DWP", "HSCIC", "MOJ", "PHE"), today)
                .replace("  - {from: E10000012, to: [BIS, DFE, DWP, HSCIC, MOJ, PHE]}", "  - {from: E10000012, to: [DFE]}")
                .replace("retention:", "terminations:\n  - {party: E10000013, date: " + today.minusDays(1)
                        + ", reason: \"withdrew from the programme\"}\nretention:");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        GatewayTestHome.register(registry, HOME);
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome home;

    @Test
    void aTerminatedCouncilsBatchIsRefusedUnopened() throws Exception {
        CouncilSide terminated = new CouncilSide("E10000013", home, sftp.port());
        terminated.upload("E10000013_2016-05_01.csv.gpg", terminated.encryptAndSign(new TestCsv().validRows(3).bytes()));
        JsonNode report = terminated.awaitReport("E10000013_2016-05_01.csv.gpg", WAIT);
        assertThat(report.get("status").asText()).isEqualTo("REJECTED");
        assertThat(report.get("fileErrors").get(0).get("rule").asText()).isEqualTo("party_terminated");
        assertThat(report.get("fileErrors").get(0).get("message").asText()).contains("cl.");
        assertThat(jdbc.queryForObject("select count(*) from research_record r join intake_file f on f.id = r.intake_id"
                + " where f.council_code = 'E10000013'", Long.class)).isZero();
        // Never opened: no signer was recorded because the file was not decrypted.
        assertThat(jdbc.queryForObject("select signer_fingerprint from intake_file where file_name = ?", String.class,
                "E10000013_2016-05_01.csv.gpg")).isNull();
    }

    @Test
    void dataGoesOnlyAlongTheFlowsTheAgreementLists() throws Exception {
        CouncilSide council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        council.upload("E10000012_2016-06_01.csv.gpg", council.encryptAndSign(new TestCsv().validRows(3).bytes()));
        assertThat(council.awaitReport("E10000012_2016-06_01.csv.gpg", WAIT).get("status").asText()).isEqualTo("ACCEPTED");
        String intake = jdbc.queryForObject("select id from intake_file where file_name = ?", String.class,
                "E10000012_2016-06_01.csv.gpg");
        assertThat(jdbc.queryForList("select department_code from extract where intake_id = ?", String.class, intake))
                .containsExactly("DFE");
        assertThat(jdbc.queryForList("select partner_code from audit_event where event_type = 'FLOW_REFUSED'"
                + " and subject_id = ? order by partner_code", String.class, intake))
                .containsExactly("BIS", "DWP", "HSCIC", "MOJ", "PHE");
    }
}
