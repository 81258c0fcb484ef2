package org.linkgate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.fanout.ExtractWriter;
import org.linkgate.fanout.FanoutService;
import org.linkgate.inbound.DropZoneTakeIn;
import org.linkgate.inbound.InboundLifecycle;
import org.linkgate.intake.CouncilBatchStages;
import org.linkgate.kernel.PartnerHeaders;
import org.linkgate.kernel.RecentRouteFailures;
import org.linkgate.kernel.RouteFailureHandler;
import org.linkgate.returns.ReturnStages;
import org.linkgate.store.TestDatabases;
import org.linkgate.support.InboundHarness;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.ExtractDelivery;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The production route templates and error handling (routes/templates, routes/shared) in a Camel
 * context of their own, with the real beans they call built on H2 and a throw-away home — no
 * gateway, no SFTP server, no HTTP. Each template is instantiated as the installers do, its consumer
 * replaced by a direct: endpoint (AdviceWith), and files are sent through it: every stage runs in
 * the order the route shows, failures are handled as the route configuration says. Camel's test kit
 * (AdviceWith, NotifyBuilder, MockEndpoint) on a plain Spring Boot test: the routes are installed and
 * advised before the context starts, as the gateway's installers do, which is the start that
 * camel-test-spring's execution listener would hold back.
 */
@SpringBootTest(classes = RouteTemplatesTest.Wiring.class, properties = {
        "camel.main.routes-include-pattern=file:routes/templates/*.camel.yaml,file:routes/shared/*.camel.yaml",
        "camel.main.jmx-enabled=false", "camel.springboot.main-run-controller=false", "camel.routecontroller.enabled=false"})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteTemplatesTest {

    static final String COUNCIL = "E10000012";

    /** The beans the templates call, by the names they call them: real ones, on H2. */
    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    static class Wiring {

        @Bean
        InboundHarness harness() {
            return new InboundHarness(TestDatabases.h2(), Clock.systemUTC());
        }

        @Bean
        InboundLifecycle councilInbound(InboundHarness harness) {
            return harness.councils;
        }

        @Bean
        CouncilBatchStages councilBatch(InboundHarness harness) {
            return harness.councilStages;
        }

        @Bean
        InboundLifecycle returnInbound(InboundHarness harness) {
            return harness.returns;
        }

        @Bean
        ReturnStages departmentReturn(InboundHarness harness) {
            return harness.returnStages;
        }

        @Bean
        DropZoneTakeIn dropZoneTakeIn(InboundHarness harness) {
            return harness.takeIn;
        }

        @Bean
        SimpleMeterRegistry meters() {
            return new SimpleMeterRegistry();
        }

        @Bean
        RecentRouteFailures recentRouteFailures() {
            return new RecentRouteFailures();
        }

        @Bean
        RouteFailureHandler routeFailureHandler(SimpleMeterRegistry meters, RecentRouteFailures recent) {
            return new RouteFailureHandler(meters, recent, Clock.systemUTC());
        }

        @Bean
        CamelContextConfiguration templatedRoutes(InboundHarness harness) {
            return new CamelContextConfiguration() {
                @Override
                public void beforeApplicationStart(CamelContext camel) {
                    try {
                        instantiateTemplates(camel, harness);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public void afterApplicationStart(CamelContext camel) {
                }
            };
        }

        @Bean
        FanoutService fanoutService(InboundHarness h) throws Exception {
            return new FanoutService(new org.linkgate.fanout.ExtractLedger(h.jdbc, h.transactions, h.audit, h.alerts,
                    h.properties, h.clock), h.registry, new ExtractWriter(h.jdbc, new org.linkgate.store.ResearchStore(h.jdbc),
                    new org.linkgate.intake.IntakeFiles(h.jdbc), h.transactions, h.dataKeys, h.pseudonymisationKey,
                    h.gatewayKey), new ExtractDelivery(h.home), h.home, h.agreement, h.metrics, h.clock);
        }
    }

    /**
     * Routes made from the templates as the installers make them (before the context starts), their
     * consumers replaced by direct: endpoints, so no folder is polled and no cluster leadership is needed.
     */
    static void instantiateTemplates(CamelContext camel, InboundHarness gateway) throws Exception {
        route(camel, "council-dropzone", "dropzone-e10000012", "councilCode", COUNCIL, "inboundDir",
                gateway.home.inbound(COUNCIL).toString());
        route(camel, "council-intake", "intake-e10000012", "councilCode", COUNCIL, "custodyDir",
                gateway.home.inboundCustody(COUNCIL).toString());
        route(camel, "council-intake", "intake-failing", "councilCode", COUNCIL, "custodyDir",
                gateway.home.inboundCustody(COUNCIL).toString());
        route(camel, "department-collect", "collect-dwp", "departmentCode", "DWP", "fromUri", "direct:unused");
        route(camel, "department-returns", "returns-dwp", "departmentCode", "DWP", "custodyDir",
                gateway.home.inboundCustody("DWP").toString());
        route(camel, "department-fanout", "fanout-dwp", "departmentCode", "DWP", "timerName", "fanout-dwp");
        for (String id : List.of("dropzone-e10000012", "intake-e10000012", "intake-failing", "collect-dwp",
                "returns-dwp", "fanout-dwp")) {
            AdviceWith.adviceWith(camel, id, a -> {
                a.replaceFromWith("direct:" + id);
                a.weaveAddLast().to("mock:" + id + "-end");
            });
        }
        AdviceWith.adviceWith(camel, "intake-e10000012", a -> a.weaveById("store").after().to("mock:council-stored"));
        AdviceWith.adviceWith(camel, "returns-dwp", a -> a.weaveById("store").after().to("mock:return-stored"));
        AdviceWith.adviceWith(camel, "fanout-dwp", a -> a.weaveById("send-due").before().to("mock:fanout-due"));
        // A stage that fails the way a full disk or a lost database would.
        AdviceWith.adviceWith(camel, "intake-failing", a -> a.weaveById("store").replace()
                .throwException(new IllegalStateException("store unavailable")));
    }

    private static void route(CamelContext camel, String template, String routeId, String... parameters) {
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(camel, template).routeId(routeId).prefixId(routeId + "-")
                .parameter("clusterNamespace", "test-" + routeId);
        for (int i = 0; i < parameters.length; i += 2) {
            builder.parameter(parameters[i], parameters[i + 1]);
        }
        builder.add();
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    InboundHarness gateway;
    @Autowired
    SimpleMeterRegistry meters;
    @Autowired
    RecentRouteFailures failures;

    @BeforeEach
    void resetMocks() {
        MockEndpoint.resetMocks(camel);
    }

    /** The ids of a route's steps, depth first, as Hawtio lists its nodes. */
    List<String> stepIds(String routeId) {
        RouteDefinition route = ((ModelCamelContext) camel).getRouteDefinition(routeId);
        List<String> ids = new ArrayList<>();
        collect(route.getOutputs(), ids);
        return ids;
    }

    private static void collect(List<ProcessorDefinition<?>> outputs, List<String> ids) {
        for (ProcessorDefinition<?> step : outputs) {
            if (step.hasCustomIdAssigned()) {
                ids.add(step.getId());
            }
            collect(step.getOutputs(), ids);
        }
    }

    Path signedBatch(String csv) throws Exception {
        GatewayPgpKey council = gateway.partnerKey(COUNCIL);
        Path file = Files.createTempFile("batch", ".gpg");
        try (var out = Files.newOutputStream(file)) {
            new PgpEncryptSigner().encryptAndSign(new java.io.ByteArrayInputStream(
                    csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)), out, gateway.gatewayKey.publicRing(),
                    council, "batch.csv");
        }
        return file;
    }

    Exchange sendCustodyFile(String routeId, Path custody) {
        return producer.send("direct:" + routeId, e -> e.getIn().setHeader(PartnerHeaders.FILE_PATH, custody.toString()));
    }

    JsonNode ledgerReport(String name) throws Exception {
        return new ObjectMapper().readTree(gateway.jdbc.queryForObject("select report_json from intake_file"
                + " where file_name = ? order by received_at desc limit 1", String.class, name));
    }

    @Test
    void everyTemplateAndErrorHandlingIsLoaded() {
        ModelCamelContext model = (ModelCamelContext) camel;
        assertThat(model.getRouteTemplateDefinitions()).extracting(t -> t.getId()).contains("council-dropzone",
                "council-intake", "department-fanout", "department-collect", "department-returns");
        assertThat(model.getRouteConfigurationDefinitions()).extracting(c -> c.getId())
                .contains("gateway-error-handling", "dropzone-error-handling");
        assertThat(model.getRouteDefinition("intake-e10000012").getRouteConfigurationId())
                .isEqualTo("gateway-error-handling");
        assertThat(model.getRouteDefinition("dropzone-e10000012").getRouteConfigurationId())
                .isEqualTo("dropzone-error-handling");
        assertThat(model.getRouteDefinition("collect-dwp").getRouteConfigurationId()).isEqualTo("dropzone-error-handling");
    }

    @Test
    void intakeAndReturnsShowTheirStagesInOrder() {
        assertThat(stepIds("intake-e10000012")).containsSubsequence("partner", "claim", "to-process", "admit",
                "admitted", "verify", "verified", "decrypt", "validate", "pseudonymise", "store", "commit",
                "to-report", "report", "archive");
        assertThat(stepIds("returns-dwp")).containsSubsequence("partner", "claim", "to-process", "admit", "admitted",
                "verify", "verified", "decrypt", "validate", "guard", "store", "commit", "to-report", "report",
                "archive");
        assertThat(stepIds("dropzone-e10000012")).containsSubsequence("partner", "take-in");
        assertThat(stepIds("fanout-dwp")).containsSubsequence("partner", "send-due");
    }

    @Test
    void aBatchGoesThroughEveryStageAndEndsArchivedWithItsReport() throws Exception {
        MockEndpoint stored = camel.getEndpoint("mock:council-stored", MockEndpoint.class);
        stored.expectedMessageCount(1);
        String name = "E10000012_2015-06_41.csv.gpg";
        Path custody = gateway.takeIn.takeIn(COUNCIL, signedBatch(new String(new TestCsv().validRows(5).bytes(), java.nio.charset.StandardCharsets.UTF_8)), name,
                "route test " + name, false);

        Exchange done = sendCustodyFile("intake-e10000012", custody);

        assertThat(done.getException()).isNull();
        stored.assertIsSatisfied();
        assertThat(done.getIn().getHeader(PartnerHeaders.INBOUND_NEXT)).isEqualTo("END");
        assertThat(ledgerReport(name).path("status").asText()).isEqualTo("ACCEPTED");
        assertThat(gateway.home.outbound(COUNCIL).resolve(name + ".report.json.pgp")).exists();
        assertThat(custody).doesNotExist();
    }

    @Test
    void aRejectedBatchLeavesNothingStagedInTheStoreOrInLinkage() throws Exception {
        String name = "E10000012_2015-06_44.csv.gpg";
        TestCsv csv = new TestCsv().validRows(3).rowWith("sex", "X").rowWith("cohort", "BOTH");
        Path custody = gateway.takeIn.takeIn(COUNCIL, signedBatch(new String(csv.bytes(),
                java.nio.charset.StandardCharsets.UTF_8)), name, "route test rejected", false);

        sendCustodyFile("intake-e10000012", custody);

        assertThat(ledgerReport(name).path("status").asText()).isEqualTo("REJECTED");
        String id = gateway.jdbc.queryForObject("select id from intake_file where file_name = ?", String.class, name);
        for (String table : List.of("research_record", "identity_vault", "linkage_key", "linkage_row")) {
            assertThat(gateway.jdbc.queryForObject("select count(*) from " + table + " where intake_id = ?", Long.class,
                    id)).as(table).isZero();
        }
    }

    @Test
    void aFileRefusedAtAdmissionIsReportedWithoutBeingOpened() throws Exception {
        MockEndpoint stored = camel.getEndpoint("mock:council-stored", MockEndpoint.class);
        stored.expectedMessageCount(0);
        MockEndpoint end = camel.getEndpoint("mock:intake-e10000012-end", MockEndpoint.class);
        end.expectedMessageCount(1);
        Path custody = gateway.takeIn.takeIn(COUNCIL, signedBatch(new String(new TestCsv().validRows(2).bytes(), java.nio.charset.StandardCharsets.UTF_8)),
                "batch-from-a-spreadsheet.csv.gpg", "route test refused", false);

        sendCustodyFile("intake-e10000012", custody);

        end.assertIsSatisfied();
        stored.assertIsSatisfied();
        JsonNode report = ledgerReport("batch-from-a-spreadsheet.csv.gpg");
        assertThat(report.path("fileErrors").get(0).path("rule").asText()).isEqualTo("file_name");
        assertThat(gateway.jdbc.queryForObject("select signer_fingerprint from intake_file where file_name = ?",
                String.class, "batch-from-a-spreadsheet.csv.gpg")).as("never decrypted").isNull();
    }

    @Test
    void aFailingStageLeavesTheFileInCustodyUntilItIsQuarantinedWithAnAlert() throws Exception {
        String name = "E10000012_2015-06_42.csv.gpg";
        Path custody = gateway.takeIn.takeIn(COUNCIL, signedBatch(new String(new TestCsv().validRows(2).bytes(), java.nio.charset.StandardCharsets.UTF_8)), name,
                "route test failing", false);
        double before = meters.counter("linkgate.route.failures", "route", "intake-failing").count();
        NotifyBuilder attempts = new NotifyBuilder(camel).fromRoute("intake-failing").whenDone(3).create();

        for (int attempt = 1; attempt <= 3; attempt++) {
            Exchange done = sendCustodyFile("intake-failing", custody);
            // Handled by gateway-error-handling: logged, counted, the file left where it was.
            assertThat(done.getException()).isNull();
            assertThat(custody).exists();
            assertThat(gateway.jdbc.queryForObject("select attempts from intake_file where file_name = ?",
                    Integer.class, name)).isEqualTo(attempt);
        }
        assertThat(attempts.matches(10, TimeUnit.SECONDS)).isTrue();
        assertThat(meters.counter("linkgate.route.failures", "route", "intake-failing").count() - before)
                .isEqualTo(3.0);
        assertThat(failures.newestFirst()).anySatisfy(f -> assertThat(f.route()).isEqualTo("intake-failing"));
        assertThat(gateway.jdbc.queryForObject("select status from intake_file where file_name = ?", String.class,
                name)).isEqualTo("RECEIVED");

        // Out of attempts (linkgate.intake.max-attempts = 3): quarantined with an alert, no report.
        sendCustodyFile("intake-failing", custody);
        assertThat(gateway.jdbc.queryForObject("select status from intake_file where file_name = ?", String.class,
                name)).isEqualTo("QUARANTINED");
        assertThat(gateway.jdbc.queryForObject("select count(*) from alert where category = 'FILE_QUARANTINED'"
                + " and subject_id = (select id from intake_file where file_name = ?)", Long.class, name)).isEqualTo(1);
        assertThat(custody).doesNotExist();
        assertThat(gateway.home.outbound(COUNCIL).resolve(name + ".report.json.pgp")).doesNotExist();
    }

    @Test
    void anUploadIsTakenIntoCustodyAndLeavesTheDropZone() throws Exception {
        Path upload = Files.createDirectories(gateway.home.inbound(COUNCIL)).resolve("E10000012_2015-06_43.csv.gpg");
        Files.write(upload, new byte[] {1, 2, 3});

        Exchange done = producer.send("direct:dropzone-e10000012", e -> {
            e.getIn().setHeader(PartnerHeaders.FILE_PATH, upload.toString());
            e.getIn().setHeader(Exchange.FILE_NAME_ONLY, upload.getFileName().toString());
        });

        assertThat(done.getException()).isNull();
        assertThat(upload).doesNotExist();
        try (Stream<Path> custody = Files.list(gateway.home.inboundCustody(COUNCIL))) {
            assertThat(custody.map(p -> p.getFileName().toString()))
                    .anySatisfy(n -> assertThat(n).matches("[0-9a-f]{32}--E10000012_2015-06_43\\.csv\\.gpg"));
        }
    }

    @Test
    void aFailedTakeInIsNotHandledSoTheConsumerKeepsThePartnersFile() throws Exception {
        // The department's custody folder cannot be made: a file stands where it should be.
        Path custody = gateway.home.inboundCustody("DWP");
        Path aside = custody.resolveSibling("DWP.aside");
        Files.createDirectories(custody);
        Files.move(custody, aside);
        Files.write(custody, new byte[0]);
        Path upload = Files.createTempFile("return", ".gpg");
        try {
            Exchange done = producer.send("direct:collect-dwp", e -> {
                e.getIn().setHeader(PartnerHeaders.FILE_PATH, upload.toString());
                e.getIn().setHeader(Exchange.FILE_NAME_ONLY, "DWP_WPLS_" + "0".repeat(32) + ".csv.gpg");
            });
            assertThat(done.isFailed()).as("the failure reaches the consumer, which rolls back").isTrue();
            assertThat(upload).exists();
            assertThat(meters.counter("linkgate.route.failures", "route", "collect-dwp").count()).isPositive();
        } finally {
            Files.delete(custody);
            Files.move(aside, custody);
        }
    }

    @Test
    void aReturnGoesThroughEveryStageAndItsReportGoesToTheDepartment() throws Exception {
        MockEndpoint stored = camel.getEndpoint("mock:return-stored", MockEndpoint.class);
        stored.expectedMessageCount(1);
        String name = "DWP_WPLS_" + "a".repeat(32) + ".csv.gpg";
        Path file = Files.createTempFile("return", ".gpg");
        try (var out = Files.newOutputStream(file)) {
            new PgpEncryptSigner().encryptAndSign(new java.io.ByteArrayInputStream(
                    "pseudo_id,benefit_type,spell_start,spell_end\n".getBytes()), out,
                    gateway.gatewayKey.publicRing(), gateway.partnerKey("DWP"), "r.csv");
        }
        Path custody = gateway.takeIn.takeIn("DWP", file, name, "route test return", false);

        sendCustodyFile("returns-dwp", custody);

        stored.assertIsSatisfied();
        String reportName = gateway.jdbc.queryForObject("select report_name from return_file where file_name = ?",
                String.class, name);
        assertThat(reportName).matches(java.util.regex.Pattern.quote(name) + "\\.[0-9a-f-]{36}\\.report\\.json\\.pgp");
        assertThat(gateway.home.sftpHome("dwp").resolve("upload").resolve(reportName)).exists();
        assertThat(gateway.jdbc.queryForObject("select status from return_file where file_name = ?", String.class,
                name)).as("no such extract").isEqualTo("REJECTED");
    }

    @Test
    void aReportThatCannotBeDeliveredIsRetriedAndAlertedButTheOutcomeStands() throws Exception {
        String name = "DWP_WPLS_" + "b".repeat(32) + ".csv.gpg";
        Path file = Files.createTempFile("return", ".gpg");
        try (var out = Files.newOutputStream(file)) {
            new PgpEncryptSigner().encryptAndSign(new java.io.ByteArrayInputStream(
                    "pseudo_id,benefit_type,spell_start,spell_end\n".getBytes()), out,
                    gateway.gatewayKey.publicRing(), gateway.partnerKey("DWP"), "r.csv");
        }
        Path custody = gateway.takeIn.takeIn("DWP", file, name, "route test undeliverable", false);
        // The department's upload folder cannot be written: a file stands where it should be.
        Path upload = gateway.home.sftpHome("dwp").resolve("upload");
        Path aside = upload.resolveSibling("upload.aside");
        Files.createDirectories(upload);
        Files.move(upload, aside);
        Files.write(upload, new byte[0]);
        try {
            for (int attempt = 1; attempt <= 4; attempt++) {
                sendCustodyFile("returns-dwp", custody);
            }
            assertThat(gateway.jdbc.queryForObject("select status from return_file where file_name = ?", String.class,
                    name)).as("the outcome is kept, not quarantined").isEqualTo("REJECTED");
            assertThat(gateway.jdbc.queryForObject("select count(*) from alert where category = 'REPORT_UNDELIVERABLE'"
                    + " and subject_id = (select id from return_file where file_name = ?)", Long.class, name)).isEqualTo(1);
            assertThat(custody).exists();
        } finally {
            Files.delete(upload);
            Files.move(aside, upload);
        }
        sendCustodyFile("returns-dwp", custody);
        assertThat(gateway.jdbc.queryForObject("select report_sent_at is not null and archived_at is not null"
                + " from return_file where file_name = ?", Boolean.class, name)).isTrue();
        assertThat(custody).doesNotExist();
    }

    @Test
    void theFanOutRouteAsksForTheDepartmentsDueExtracts() throws Exception {
        MockEndpoint due = camel.getEndpoint("mock:fanout-due", MockEndpoint.class);
        due.expectedHeaderReceived(PartnerHeaders.DEPARTMENT, "DWP");
        Exchange done = producer.send("direct:fanout-dwp", e -> { });
        assertThat(done.getException()).isNull();
        due.assertIsSatisfied();
    }
}
