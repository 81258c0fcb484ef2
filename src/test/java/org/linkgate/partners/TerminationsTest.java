package org.linkgate.partners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.linkgate.agreement.Agreement;
import org.linkgate.agreement.AgreementLoader;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.store.TestDatabases;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.InboundHarness;
import org.linkgate.support.TestCsv;

/**
 * Cl. 13.2 as a council and an auditor meet it: once an ADMIN terminates the agreement for a council, its very next
 * batch is refused unopened with a report naming the termination, no data flows from it to any department, every
 * party is sent a notice, the termination is audited, and it is still in force after a restart.
 */
class TerminationsTest {

    private static final String COUNCIL = "E10000012";
    private Path root;
    private DataSource database;
    private InboundHarness gateway;
    private Terminations terminations;

    @BeforeEach
    void start() {
        root = GatewayTestHome.create();
        database = TestDatabases.h2();
        gateway = new InboundHarness(database, Clock.systemUTC(), root);
        terminations = new Terminations(gateway.jdbc, gateway.agreement, gateway.registry,
                new PartnerNotices(gateway.jdbc, new ObjectMapper(), Clock.systemUTC()), gateway.audit, Clock.systemUTC());
    }

    private JsonNode sendBatch(String name) throws Exception {
        byte[] sealed = CouncilSide.encryptAndSign(new TestCsv().validRows(3).bytes(), gateway.gatewayKey.publicRing(),
                gateway.partnerKey(COUNCIL));
        Path file = Files.write(Files.createTempFile("batch", ".gpg"), sealed);
        return gateway.report(gateway.council(COUNCIL, file, name));
    }

    @Test
    void aTerminatedCouncilsNextBatchIsRefusedUnopenedAndNothingFlowsFromIt() throws Exception {
        assertThat(sendBatch("E10000012_2015-06_71.csv.gpg").path("status").asText()).isEqualTo("ACCEPTED");
        LocalDate today = AgreementPolicy.today(Clock.systemUTC());
        assertThat(gateway.agreement.flow(COUNCIL, "DFE", today).allowed()).isTrue();

        assertThat(terminations.terminate("e10000012", "one month's written notice given (cl. 15.1)", "admin"))
                .isEqualTo(Terminations.Outcome.TERMINATED);

        JsonNode refused = sendBatch("E10000012_2015-06_72.csv.gpg");
        assertThat(refused.path("status").asText()).isEqualTo("REJECTED");
        assertThat(refused.path("fileErrors").get(0).path("rule").asText()).isEqualTo("party_terminated");
        assertThat(refused.path("fileErrors").get(0).path("message").asText())
                .contains("terminated for E10000012 with effect from " + today);
        assertThat(gateway.jdbc.queryForObject("select signer_fingerprint from intake_file where file_name = ?",
                String.class, "E10000012_2015-06_72.csv.gpg")).as("never decrypted").isNull();
        assertThat(gateway.agreement.flow(COUNCIL, "DFE", today).code()).isEqualTo("party_terminated");
        assertThat(gateway.agreement.returns("DFE", today).allowed()).as("other parties go on").isTrue();

        assertThat(gateway.jdbc.queryForObject("select detail from audit_event where event_type = 'AGREEMENT_TERMINATED'",
                String.class)).isEqualTo("the agreement for E10000012 terminated with effect from " + today
                + " (cl. 13.2): one month's written notice given (cl. 15.1)");
        Set<String> told = new TreeSet<>(gateway.jdbc.queryForList("select partner_code from partner_notice"
                + " where kind = 'TERMINATION'", String.class));
        assertThat(told).as("every party").containsAll(gateway.agreement.agreement().codesOf(
                org.linkgate.agreement.Agreement.Kind.DEPARTMENT)).contains(COUNCIL, "DCLG", "ONS");
        assertThat(gateway.jdbc.queryForObject("select notice_status from partner_notice where kind = 'TERMINATION'"
                + " and partner_code = 'DCLG'", String.class)).as("no drop-zone: e-mail only").isEqualTo("NONE");

        assertThat(terminations.terminate(COUNCIL, "again", "admin")).isEqualTo(Terminations.Outcome.ALREADY_TERMINATED);
        assertThat(terminations.list()).hasSize(1);
    }

    @Test
    void aTerminationSurvivesARestart() {
        terminations.terminate(null, "the sponsor ended the programme", "admin");
        LocalDate today = AgreementPolicy.today(Clock.systemUTC());

        // A restart: the agreement read again from agreement.yaml, which knows nothing of it.
        Set<String> councils = new TreeSet<>(Set.of(COUNCIL));
        Set<String> departments = new TreeSet<>();
        gateway.registry.departments().forEach(d -> departments.add(d.code()));
        AgreementPolicy fresh = new AgreementPolicy(AgreementLoader.load(AgreementLoader.file(root), councils, departments));
        assertThat(fresh.intake(COUNCIL, today).allowed()).isTrue();
        new Terminations(gateway.jdbc, fresh, gateway.registry,
                new PartnerNotices(gateway.jdbc, new ObjectMapper(), Clock.systemUTC()), gateway.audit, Clock.systemUTC());
        assertThat(fresh.intake(COUNCIL, today).code()).isEqualTo("terminated");
        assertThat(fresh.returns("DFE", today).code()).isEqualTo("terminated");
    }

    @Test
    void aRecordedTerminationTakesEffectThoughAgreementYamlNamesALaterOne() {
        LocalDate today = AgreementPolicy.today(Clock.systemUTC());
        Agreement.Termination later = new Agreement.Termination(COUNCIL, today.plusMonths(1), "notice given");
        gateway.agreement.replace(gateway.agreement.agreement().withTermination(later));

        assertThat(terminations.terminate(COUNCIL, "material breach (cl. 15.2)", "admin"))
                .isEqualTo(Terminations.Outcome.TERMINATED);
        assertThat(gateway.agreement.intake(COUNCIL, today).code()).isEqualTo("party_terminated");

        // A reload (or restart) of an agreement.yaml that holds the later-dated one: the recorded one stays in force.
        Set<String> departments = new TreeSet<>();
        gateway.registry.departments().forEach(d -> departments.add(d.code()));
        Agreement reloaded = AgreementLoader.load(AgreementLoader.file(root), new TreeSet<>(Set.of(COUNCIL)), departments)
                .withTermination(later);
        AgreementPolicy fresh = new AgreementPolicy(terminations.withRecorded(reloaded));
        assertThat(fresh.intake(COUNCIL, today).code()).isEqualTo("party_terminated");
        assertThat(fresh.agreement().terminationOf(COUNCIL).orElseThrow().date()).isEqualTo(today);
    }

    @Test
    void aTerminationNeedsAPartyOfTheAgreementAndAReason() {
        assertThatThrownBy(() -> terminations.terminate("E99999999", "x", "admin"))
                .hasMessage("party is not a party to the agreement");
        assertThatThrownBy(() -> terminations.terminate(COUNCIL, " ", "admin")).hasMessageContaining("reason is required");
        assertThatThrownBy(() -> terminations.terminate(COUNCIL, "a\nb", "admin")).hasMessageContaining("one line");
        assertThat(terminations.list()).isEmpty();
        assertThat(gateway.agreement.intake(COUNCIL, AgreementPolicy.today(Clock.systemUTC())).allowed()).isTrue();
    }
}
