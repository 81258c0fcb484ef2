package org.linkgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.CryptoFaults;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoReturns;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.DepartmentSide;
import org.linkgate.support.TestCsv;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The department round trip end to end, through the external contract only: a council batch
 * in over SFTP; an extract out to each of the six departments, each read by the department over
 * SFTP with its own key; returns in from each; the linked dataset in the store. Then bad
 * returns, each with the outcome the contract promises.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DepartmentRoundTripIT {

    static final Path HOME = GatewayTestHome.create("E10000013");
    static final Duration WAIT = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
        registry.add("linkgate.departments.poll-interval", () -> "300ms");
        registry.add("linkgate.departments.stable-for", () -> "300ms");
    }

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    SftpServerLifecycle sftp;
    @Autowired
    GatewayHome home;
    @Autowired
    PartnerRegistry registry;
    @Autowired
    CamelContext camel;
    @org.springframework.boot.test.web.server.LocalServerPort
    int httpPort;

    String intakeId;
    final Map<String, DepartmentSide.Extract> extracts = new LinkedHashMap<>();
    final Map<String, DepartmentSide> departments = new LinkedHashMap<>();
    final Map<String, JsonNode> returnReports = new LinkedHashMap<>();

    @BeforeAll
    void roundTrip() throws Exception {
        CouncilSide council = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        StringWriter csv = new StringWriter();
        new SyntheticBatchGenerator(21, LocalDate.of(2015, 6, 30)).write(csv, 90);
        String name = "E10000012_2015-06_01.csv.gpg";
        council.upload(name, council.encryptAndSign(csv.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(council.awaitReport(name, WAIT).get("status").asText()).isEqualTo("ACCEPTED");
        intakeId = jdbc.queryForObject("select id from intake_file where file_name = ?", String.class, name);

        for (DemoBootstrap.DemoDepartment demo : DemoBootstrap.DemoDepartment.values()) {
            DepartmentSide side = new DepartmentSide(demo.name(), home, sftp.port());
            departments.put(demo.name(), side);
            extracts.put(demo.name(), side.awaitExtract(WAIT));
        }
        Random random = new Random(5);
        for (Department department : registry.departments()) {
            DepartmentSide side = departments.get(department.code());
            DepartmentSide.Extract extract = extracts.get(department.code());
            for (Department.ReturnDataset dataset : department.returnDatasets()) {
                String returnName = department.code() + "_" + dataset.name() + "_" + extract.extractId() + ".csv.gpg";
                byte[] plaintext = new DemoReturns(random).returnFile(dataset, extract.sentValues(), 75);
                side.uploadReturn(returnName, side.encryptAndSign(plaintext));
                returnReports.put(returnName, side.awaitReport(returnName, WAIT));
            }
        }
    }

    @Test
    void everyDepartmentHasItsRoutes() {
        for (DemoBootstrap.DemoDepartment demo : DemoBootstrap.DemoDepartment.values()) {
            assertThat(camel.getRoute("fanout-" + demo.name().toLowerCase())).isNotNull();
            assertThat(camel.getRoute("returns-" + demo.name().toLowerCase())).isNotNull();
            assertThat(camel.getRoute("collect-" + demo.name().toLowerCase())).isNotNull();
        }
    }

    @Test
    void eachDepartmentGetsOnlyItsFieldsForOnlyItsPeople() {
        for (Department department : registry.departments()) {
            DepartmentSide.Extract extract = extracts.get(department.code());
            List<String> expectedHeader = new ArrayList<>(List.of("pseudo_id"));
            expectedHeader.addAll(department.matchFields());
            assertThat(extract.header()).as(department.code()).containsExactlyElementsOf(expectedHeader);

            StringBuilder where = new StringBuilder("intake_id = ?");
            Department.AgeFilter filter = department.filter();
            if (filter.minAge() != null) {
                where.append(" and age_at_identification >= ").append(filter.minAge());
            }
            if (filter.maxAge() != null) {
                where.append(" and age_at_identification <= ").append(filter.maxAge());
            }
            Long expected = jdbc.queryForObject("select count(*) from research_person where " + where, Long.class, intakeId);
            assertThat((long) extract.rows().size()).as(department.code() + " people").isEqualTo(expected).isPositive();
        }
        // PHE matches on initials, date of birth and sex only.
        for (Map<String, String> row : extracts.get("PHE").rows()) {
            assertThat(row.get("initials")).matches("[A-Z]{2}");
        }
        assertThat(extracts.get("DFE").rows().size()).isLessThan(extracts.get("HSCIC").rows().size());
    }

    @Test
    void departmentsCannotJoinTheirExtractsAndNeverSeeThePseudoId() {
        Set<String> pseudoIds = new HashSet<>(jdbc.queryForList("select pseudo_id from research_record where intake_id = ?",
                String.class, intakeId));
        Set<String> all = new HashSet<>();
        for (DepartmentSide.Extract extract : extracts.values()) {
            for (String token : extract.tokens()) {
                assertThat(pseudoIds).doesNotContain(token);
                assertThat(all.add(token)).as("a token shared between departments").isTrue();
            }
        }
        // And the gateway maps each department's token back to the same person.
        Long people = jdbc.queryForObject("select count(distinct m.pseudo_id) from extract_member m join extract e"
                + " on e.id = m.extract_id where e.intake_id = ? and e.department_code in ('DWP', 'HSCIC')", Long.class, intakeId);
        Long tokens = jdbc.queryForObject("select count(*) from extract_member m join extract e on e.id = m.extract_id"
                + " where e.intake_id = ? and e.department_code in ('DWP', 'HSCIC')", Long.class, intakeId);
        assertThat(tokens).isGreaterThan(people);
    }

    @Test
    void returnsAreLinkedAndTheirQualityMeasured() {
        assertThat(returnReports.values()).allSatisfy(report -> assertThat(report.get("status").asText()).isEqualTo("ACCEPTED"));
        assertThat(jdbc.queryForList("select status from extract where intake_id = ?", String.class, intakeId))
                .hasSize(6).containsOnly("RETURNED");
        List<String> linkedDepartments = jdbc.queryForList("select distinct department_code from linked_dataset"
                + " where department_code is not null order by department_code", String.class);
        assertThat(linkedDepartments).containsExactly("BIS", "DFE", "DWP", "HSCIC", "MOJ", "PHE");
        Map<String, Object> linked = jdbc.queryForList("select * from linked_dataset where department_code = 'DFE'").get(0);
        assertThat((String) linked.get("data")).contains("sessions_absent");
        assertThat(linked.get("age_band")).isNotNull();
        Long qualityRows = jdbc.queryForObject("select count(*) from linkage_quality q join extract e on e.id = q.extract_id"
                + " where e.intake_id = ?", Long.class, intakeId);
        assertThat(qualityRows).isGreaterThanOrEqualTo(11); // eleven datasets, per cohort present

        // Every movement of the round trip is in the audit trail, in order: each extract sent,
        // each return received, opened, loaded, reported on and archived.
        for (String extractId : jdbc.queryForList("select id from extract where intake_id = ?", String.class, intakeId)) {
            assertThat(jdbc.queryForList("select event_type from audit_event where subject_id = ? order by seq",
                    String.class, extractId)).startsWith("EXTRACT_SENT");
            List<String> returnIds = jdbc.queryForList("select id from return_file where extract_id = ? and status = 'ACCEPTED'",
                    String.class, extractId);
            assertThat(returnIds).isNotEmpty();
            for (String returnId : returnIds) {
                assertThat(jdbc.queryForList("select event_type from audit_event where subject_id = ? order by seq",
                        String.class, returnId)).containsExactly("RETURN_RECEIVED", "FILE_VERIFIED", "RETURN_ACCEPTED",
                        "REPORT_SENT", "RETURN_ARCHIVED");
            }
        }
    }

    @Nested
    class BadReturns {

        DepartmentSide dfe() {
            return departments.get("DFE");
        }

        String name(String dataset) {
            return "DFE_" + dataset + "_" + extracts.get("DFE").extractId() + ".csv.gpg";
        }

        byte[] goodReturn() throws Exception {
            return new DemoReturns(new Random(9)).returnFile(registry.requireDepartment("DFE").returnDataset("NPD").orElseThrow(),
                    extracts.get("DFE").sentValues(), 100);
        }

        JsonNode send(byte[] content) throws Exception {
            // Each bad file is a distinct upload; the contract name repeats, so wait for each report in turn.
            dfe().uploadReturn(name("NPD"), content);
            return dfe().awaitReport(name("NPD"), WAIT);
        }

        /** Events counted on incidents: a repeated condition (e.g. signature failures) counts on one open incident. */
        long incidents(String category) {
            return jdbc.queryForObject("select coalesce(sum(occurrences), 0) from incident where category = ?", Long.class,
                    category);
        }

        List<String> rules(JsonNode report) {
            List<String> rules = new ArrayList<>(report.get("fileErrors").findValuesAsText("rule"));
            rules.addAll(report.get("findings").findValuesAsText("rule"));
            return rules;
        }

        @Test
        void unsigned() throws Exception {
            long before = incidents("SIGNATURE_FAILURE");
            JsonNode report = send(CryptoFaults.unsigned(goodReturn(), gatewayPublic()));
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(rules(report)).contains("unsigned");
            assertThat(incidents("SIGNATURE_FAILURE")).isEqualTo(before + 1);
        }

        @Test
        void signedByAnotherDepartment() throws Exception {
            byte[] sealed = CouncilSide.encryptAndSign(goodReturn(), gatewayPublic(), departments.get("MOJ").key());
            JsonNode report = send(sealed);
            assertThat(rules(report)).contains("wrong_signer");
        }

        @Test
        void identifierColumn() throws Exception {
            long before = incidents("IDENTIFIERS_IN_RETURN");
            String csv = new String(goodReturn(), StandardCharsets.UTF_8);
            String withSurname = csv.lines().findFirst().orElseThrow() + ",surname\r\n"
                    + csv.lines().skip(1).map(l -> l + ",Testperson").reduce("", (a, b) -> a + b + "\r\n");
            JsonNode report = send(dfe().encryptAndSign(withSurname.getBytes(StandardCharsets.UTF_8)));
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(rules(report)).contains("identifier_column");
            assertThat(report.toString()).doesNotContain("Testperson");
            assertThat(incidents("IDENTIFIERS_IN_RETURN")).isEqualTo(before + 1);
        }

        @Test
        void identifierValueUnderAnInnocentName() throws Exception {
            long before = incidents("IDENTIFIERS_IN_RETURN");
            String csv = new String(goodReturn(), StandardCharsets.UTF_8);
            String withNotes = csv.lines().findFirst().orElseThrow() + ",notes\r\n"
                    + csv.lines().skip(1).map(l -> l + ",AB123456C").reduce("", (a, b) -> a + b + "\r\n");
            JsonNode report = send(dfe().encryptAndSign(withNotes.getBytes(StandardCharsets.UTF_8)));
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
            assertThat(rules(report)).contains("identifier_value");
            assertThat(report.toString()).doesNotContain("AB123456C");
            assertThat(incidents("IDENTIFIERS_IN_RETURN")).isEqualTo(before + 1);
        }

        @Test
        void unknownPseudoId() throws Exception {
            String csv = new String(goodReturn(), StandardCharsets.UTF_8);
            String token = extracts.get("DFE").tokens().get(0);
            JsonNode report = send(dfe().encryptAndSign(csv.replace(token, "f".repeat(64)).getBytes(StandardCharsets.UTF_8)));
            assertThat(rules(report)).contains("unknown_pseudo_id");
        }

        @Test
        void pseudoIdOfAnotherDepartment() throws Exception {
            String csv = new String(goodReturn(), StandardCharsets.UTF_8);
            String token = extracts.get("DFE").tokens().get(0);
            String theirs = extracts.get("HSCIC").tokens().get(0);
            JsonNode report = send(dfe().encryptAndSign(csv.replace(token, theirs).getBytes(StandardCharsets.UTF_8)));
            assertThat(rules(report)).contains("unknown_pseudo_id");
        }

        @Test
        void schemaViolation() throws Exception {
            String csv = new String(goodReturn(), StandardCharsets.UTF_8);
            String[] lines = csv.split("\r\n");
            lines[1] = lines[1].substring(0, lines[1].lastIndexOf(',')) + ",lots";
            JsonNode report = send(dfe().encryptAndSign(String.join("\r\n", lines).getBytes(StandardCharsets.UTF_8)));
            assertThat(report.get("status").asText()).isEqualTo("REJECTED");
        }

        @Test
        void sameFileTwiceIsLoadedOnce() throws Exception {
            byte[] sealed = dfe().encryptAndSign(goodReturn());
            JsonNode first = send(sealed);
            JsonNode second = send(sealed);
            assertThat(first.get("status").asText()).isEqualTo("ACCEPTED");
            assertThat(rules(second)).contains("duplicate");
            Long loads = jdbc.queryForObject("select count(*) from return_file where department_code = 'DFE'"
                    + " and sha256 = ? and status = 'ACCEPTED'", Long.class, sha256(sealed));
            assertThat(loads).isEqualTo(1);
        }

        org.bouncycastle.openpgp.PGPPublicKeyRing gatewayPublic() throws Exception {
            return org.linkgate.crypto.PgpKeys.readPublicKeyRing(home.gatewayKeyDir()
                    .resolve(org.linkgate.kernel.GatewaySecrets.GATEWAY_PUBLIC_KEY));
        }
    }

    /** The analysts' API over real HTTP, with the users and roles of the gateway home. */
    @Nested
    class AnalystApi {

        final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

        java.net.http.HttpResponse<String> get(String path, String user) throws Exception {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path));
            if (user != null) {
                String password = Files.readAllLines(home.demoDir().resolve("http-users.txt")).stream()
                        .filter(l -> l.startsWith(user + " ")).findFirst().orElseThrow().split(" ")[1];
                request.header("Authorization", "Basic " + java.util.Base64.getEncoder()
                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            return http.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        }

        @Test
        void healthIsOpenEverythingElseIsNot() throws Exception {
            assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
            assertThat(get("/api/linked", null).statusCode()).isEqualTo(401);
            assertThat(get("/api/linked", "operator").statusCode()).isEqualTo(403);
            assertThat(get("/api/linkage/quality", "auditor").statusCode()).isEqualTo(403);
            assertThat(get("/api/nothing-here", "admin").statusCode()).isEqualTo(403);
            // Refusals are recorded too.
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'API_ACCESS'"
                    + " and actor = 'http:operator' and detail = 'GET /api/linked -> 403'", Long.class)).isPositive();
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'API_ACCESS'"
                    + " and actor = 'anonymous' and detail = 'GET /api/linked -> 401'", Long.class)).isPositive();
        }

        @Test
        void stateChangingRequestsNeedTheCsrfToken() {
            var client = new org.linkgate.support.GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
            String exported = client.get("/api/audit/head", "auditor").body();
            assertThat(client.postWithoutCsrf("/api/audit/verify-head", "auditor", exported).statusCode()).isEqualTo(403);
            var verified = client.post("/api/audit/verify-head", "auditor", exported);
            assertThat(verified.statusCode()).isEqualTo(200);
            assertThat(org.linkgate.support.GatewayHttp.json(verified).get("intact").asBoolean()).isTrue();
            assertThat(client.get("/api/csrf", null).statusCode()).isEqualTo(401);
        }

        @Test
        void analystReadsTheLinkedDatasetWithoutIdentifiers() throws Exception {
            var response = get("/api/linked?department=DFE&limit=5", "analyst");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
            assertThat(page.get("total").asLong()).isPositive();
            assertThat(page.get("rows")).hasSize(5);
            JsonNode row = page.get("rows").get(0);
            assertThat(row.get("pseudo_id").asText()).matches("[0-9a-f]{64}");
            assertThat(row.get("data").asText()).contains("sessions_absent");
            assertThat(response.body()).doesNotContain("forename", "surname", "date_of_birth", "postcode");
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'API_ACCESS'"
                    + " and actor = 'http:analyst' and detail like 'GET /api/linked -> 200'", Long.class)).isPositive();
        }

        @Test
        void operatorsSeeDepartmentsIncidentsAndAlerts() throws Exception {
            var departmentsResponse = get("/api/ops/departments", "operator");
            assertThat(departmentsResponse.statusCode()).isEqualTo(200);
            JsonNode departmentsJson = new com.fasterxml.jackson.databind.ObjectMapper().readTree(departmentsResponse.body());
            assertThat(departmentsJson.findValuesAsText("department_code")).contains("DFE", "DWP", "PHE");
            assertThat(get("/api/ops/incidents", "operator").statusCode()).isEqualTo(200);
            assertThat(get("/api/ops/alerts", "operator").statusCode()).isEqualTo(200);
            assertThat(get("/api/ops/alerts", "analyst").statusCode()).isEqualTo(403);
        }

        @Test
        void auditorVerifiesTheChainAfterTheWholeRoundTrip() throws Exception {
            var verify = get("/api/audit/verify", "auditor");
            assertThat(verify.statusCode()).isEqualTo(200);
            JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(verify.body());
            assertThat(result.get("intact").asBoolean()).as(verify.body()).isTrue();
            assertThat(result.get("eventsChecked").asLong()).isGreaterThan(50);
            var csv = get("/api/audit/events?partner=DFE&format=csv", "auditor");
            assertThat(csv.statusCode()).isEqualTo(200);
            assertThat(csv.body()).contains("EXTRACT_SENT", "RETURN_ACCEPTED");
            assertThat(get("/api/audit/verify", "analyst").statusCode()).isEqualTo(403);
        }

        @Test
        void analystSeesMatchRatesByCohort() throws Exception {
            var response = get("/api/linkage/quality", "analyst");
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode quality = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
            assertThat(quality.size()).isGreaterThanOrEqualTo(11);
            JsonNode first = quality.get(0);
            assertThat(first.has("cohortGapFlagged")).isTrue();
            assertThat(first.has("treatment") || first.has("comparison")).isTrue();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void samePersonInTwoCouncilsHasOnePseudoIdButTwoDepartmentTokens() throws Exception {
        byte[] plaintext = new TestCsv().validRows(1).bytes();
        CouncilSide other = new CouncilSide("E10000013", home, sftp.port());
        CouncilSide demo = new CouncilSide(DemoBootstrap.DEMO_COUNCIL, home, sftp.port());
        demo.upload("E10000012_2016-01_01.csv.gpg", demo.encryptAndSign(plaintext));
        other.upload("E10000013_2016-01_01.csv.gpg", other.encryptAndSign(plaintext));
        demo.awaitReport("E10000012_2016-01_01.csv.gpg", WAIT);
        other.awaitReport("E10000013_2016-01_01.csv.gpg", WAIT);
        List<String> pseudoIds = jdbc.queryForList("select distinct r.pseudo_id from research_record r join intake_file f"
                + " on f.id = r.intake_id where f.file_name in ('E10000012_2016-01_01.csv.gpg', 'E10000013_2016-01_01.csv.gpg')",
                String.class);
        assertThat(pseudoIds).hasSize(1);
        java.time.Instant deadline = java.time.Instant.now().plus(WAIT);
        List<String> tokens;
        do {
            Thread.sleep(200);
            tokens = jdbc.queryForList("select distinct department_token from extract_member where pseudo_id = ?"
                    + " and extract_id in (select id from extract where department_code in ('DWP', 'MOJ'))", String.class,
                    pseudoIds.get(0));
        } while (tokens.size() < 2 && java.time.Instant.now().isBefore(deadline));
        assertThat(tokens).hasSize(2);
    }
}
