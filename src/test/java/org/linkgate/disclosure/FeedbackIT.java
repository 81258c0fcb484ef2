package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.agreement.Department;
import org.linkgate.agreement.PartnerRegistry;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.GpgCli;
import org.linkgate.demo.DemoBootstrap;
import org.linkgate.demo.DemoPartnerFiles;
import org.linkgate.demo.DemoReturns;
import org.linkgate.demo.PartnerSftpClient;
import org.linkgate.demo.SyntheticBatchGenerator;
import org.linkgate.intake.GatewayTestHome;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.SecretFiles;
import org.linkgate.support.CouncilSide;
import org.linkgate.support.DepartmentSide;
import org.linkgate.support.GatewayHttp;
import org.linkgate.support.HeadlessChromium;
import org.linkgate.transfer.SftpServerLifecycle;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Disclosure-controlled outputs end to end on a real gateway: a council batch in over SFTP, the
 * six departments' returns in, then (1) the council's feedback pack arrives by itself in its
 * {@code outbound/}, is opened with the gpg CLI using the council's key, its signature checked,
 * its CSVs compared with the protected tables and its report rendered in headless Chromium; (2)
 * an ad-hoc table goes through the two-person rule over HTTP with CSRF; (3) a pack on request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedbackIT {

    static final Path HOME = GatewayTestHome.create();
    static final Duration WAIT = Duration.ofSeconds(90);
    static final String COUNCIL = DemoBootstrap.DEMO_COUNCIL;
    static final String PERIOD = "2015-06";
    static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        GatewayTestHome.register(registry, HOME);
        registry.add("linkgate.departments.poll-interval", () -> "300ms");
        registry.add("linkgate.departments.stable-for", () -> "300ms");
        registry.add("linkgate.feedback.check-interval", () -> "500");
        registry.add("linkgate.feedback.initial-delay", () -> "500");
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
    TableBuilder builder;
    @Autowired
    DisclosureSettings settings;
    @Autowired
    GatewayPgpKey gatewayKey;
    @Autowired
    org.apache.camel.CamelContext camel;
    @LocalServerPort
    int httpPort;

    CouncilSide council;
    String batchCsv;
    String packName;
    byte[] sealedPack;
    final Map<String, byte[]> pack = new LinkedHashMap<>();

    @BeforeAll
    void linkABatchAndAwaitThePack() throws Exception {
        council = new CouncilSide(COUNCIL, home, sftp.port());
        StringWriter csv = new StringWriter();
        new SyntheticBatchGenerator(33, LocalDate.of(2015, 6, 30)).write(csv, 400);
        batchCsv = csv.toString();
        String name = COUNCIL + "_" + PERIOD + "_01.csv.gpg";
        council.upload(name, council.encryptAndSign(batchCsv.getBytes(StandardCharsets.UTF_8)));
        assertThat(council.awaitReport(name, WAIT).get("status").asText()).isIn("ACCEPTED", "PARTIAL");
        Random random = new Random(8);
        for (Department department : registry.departments()) {
            DepartmentSide side = new DepartmentSide(department.code(), home, sftp.port());
            DepartmentSide.Extract extract = side.awaitExtract(WAIT);
            for (Department.ReturnDataset dataset : department.returnDatasets()) {
                String returnName = department.code() + "_" + dataset.name() + "_" + extract.extractId() + ".csv.gpg";
                side.uploadReturn(returnName, side.encryptAndSign(new DemoReturns(random).returnFile(dataset, extract.sentValues(), 70)));
                String status = side.awaitReport(returnName, WAIT).get("status").asText();
                assertThat(status).isEqualTo("ACCEPTED");
            }
        }
        // No request: the feedback-packs route sends the pack once every extract is back.
        Instant deadline = Instant.now().plus(WAIT);
        try (PartnerSftpClient client = council.connect()) {
            while (packName == null) {
                packName = client.list("outbound").stream().filter(f -> f.startsWith(FeedbackPacks.PREFIX)).findFirst().orElse(null);
                assertThat(Instant.now()).as("a feedback pack within " + WAIT).isBefore(deadline);
                Thread.sleep(200);
            }
            sealedPack = client.download("outbound/" + packName);
        }
        byte[] zipBytes = openWithGpg(sealedPack);
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(zipBytes))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                pack.put(entry.getName(), zip.readAllBytes());
            }
        }
    }

    /** Decrypts with the council's secret key in a throw-away gpg home and checks the gateway signed it. */
    byte[] openWithGpg(byte[] sealed) throws Exception {
        if (!GpgCli.isAvailable()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("gpg must be installed in CI");
            }
            Assumptions.abort("gpg not installed");
        }
        Path side = home.demoDir().resolve(COUNCIL);
        char[] passphrase = SecretFiles.readText(side.resolve(DemoPartnerFiles.PGP_PASSPHRASE)).toCharArray();
        try (GpgCli gpg = GpgCli.inTempHome()) {
            gpg.importKey(side.resolve(DemoPartnerFiles.PGP_SECRET_KEY), passphrase);
            gpg.importKey(home.gatewayKeyDir().resolve(org.linkgate.kernel.GatewaySecrets.GATEWAY_PUBLIC_KEY), null);
            Path in = Files.createTempFile("pack", ".pgp");
            Path out = in.resolveSibling(in.getFileName() + ".zip");
            Files.write(in, sealed);
            GpgCli.Result result = gpg.decrypt(in, out, passphrase);
            assertThat(result.succeeded()).as(result.stderr()).isTrue();
            assertThat(result.hasStatus("DECRYPTION_OKAY")).isTrue();
            assertThat(result.hasStatus("GOODSIG")).isTrue();
            assertThat(result.status()).anySatisfy(line -> assertThat(line)
                    .startsWith("VALIDSIG " + gatewayKey.signingPublicKeyFingerprint()));
            byte[] zip = Files.readAllBytes(out);
            Files.delete(in);
            Files.delete(out);
            return zip;
        }
    }

    @Nested
    class FeedbackPack {

        @Test
        void arrivesOnceAfterTheLinkedBatchNamedAsDocumented() throws Exception {
            assertThat(camel.getRoute("feedback-packs")).as("route feedback-packs from routes/ops").isNotNull();
            assertThat(packName).matches("feedback-" + COUNCIL + "-\\d{8}-01\\.zip\\.pgp");
            Thread.sleep(1500); // several route runs: the same linked data gives no second batch pack
            assertThat(jdbc.queryForObject("select count(*) from feedback_release where council_code = ? and trigger_kind = 'BATCH'",
                    Long.class, COUNCIL)).isEqualTo(1);
            Map<String, Object> release = jdbc.queryForMap("select * from feedback_release where file_name = ?", packName);
            assertThat(release.get("sha256")).isEqualTo(FeedbackPacks.sha256(sealedPack));
            String detail = jdbc.queryForObject("select detail from audit_event where event_type = 'FEEDBACK_RELEASED'"
                    + " and subject_id = ?", String.class, release.get("id"));
            assertThat(detail).contains("to council " + COUNCIL).contains(packName).contains("28 standard tables")
                    .contains("zip sha256=");
        }

        @Test
        void csvFilesAreTheProtectedTablesWithSuppressedCellsMarked() throws Exception {
            List<TableSpec> specs = FeedbackPacks.standardTables(COUNCIL, PERIOD);
            List<OutcomeTable> expected = builder.buildAll(specs, settings.rules());
            JsonNode manifest = new ObjectMapper().readTree(pack.get(FeedbackPacks.MANIFEST));
            assertThat(manifest.get("tables")).hasSize(specs.size());
            int suppressedShown = 0;
            int published = 0;
            for (OutcomeTable table : expected) {
                byte[] file = pack.get("tables/" + table.spec().name() + ".csv");
                if (table.refused()) {
                    assertThat(file).as("a withheld table has no CSV").isNull();
                    continue;
                }
                assertThat(table.safeTable().audit().passed()).isTrue();
                assertThat(file).as(table.spec().name()).isNotNull();
                List<List<String>> records = new ArrayList<>();
                for (CSVRecord r : CSVFormat.RFC4180.parse(new InputStreamReader(new ByteArrayInputStream(file), StandardCharsets.UTF_8))) {
                    records.add(r.toList());
                }
                assertThat(records).isEqualTo(table.csvRecords());
                // every withheld figure is [c]; every shown figure is not a small count
                for (OutcomeTable.Row row : table.rows()) {
                    for (String figure : List.of(row.persons(), row.withOutcome())) {
                        if (figure.equals(SafeCell.NOT_APPLICABLE_SYMBOL)) {
                            continue;
                        }
                        if (figure.equals(SafeCell.SUPPRESSED_SYMBOL)) {
                            suppressedShown++;
                        } else {
                            assertThat(settings.rules().isSensitive(Long.parseLong(figure))).isFalse();
                            published++;
                        }
                    }
                }
            }
            assertThat(suppressedShown).as("small cells exist and are marked").isPositive();
            assertThat(published).as("some figures are useful").isPositive();
        }

        /**
         * The council attacks the pack it received (opened with gpg), knowing its batch as the
         * gateway derived it (cohort, sex, age, problems of every person it sent): no withheld
         * with-outcome cell narrower than the rule, no group all or none of whom have an outcome.
         */
        @Test
        void theCouncilRecoversNothingFromThePackItReceived() throws Exception {
            List<CouncilKnowledge.Known> known = jdbc.query("select r.period, r.cohort, r.sex, r.age_at_identification,"
                    + " r.problem_count from research_person r where r.council_code = ?", (rs, n) -> new CouncilKnowledge.Known(
                    rs.getString(1), CouncilKnowledge.cohort(rs.getString(2)), rs.getString(3), rs.getInt(4), rs.getInt(5)),
                    COUNCIL);
            Map<String, List<List<String>>> release = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> file : pack.entrySet()) {
                if (!file.getKey().startsWith("tables/")) {
                    continue;
                }
                List<List<String>> records = new ArrayList<>();
                for (CSVRecord r : CSVFormat.RFC4180.parse(new InputStreamReader(new ByteArrayInputStream(file.getValue()),
                        StandardCharsets.UTF_8))) {
                    records.add(r.toList());
                }
                release.put(file.getKey(), records);
            }
            CouncilAttacker attacker = new CouncilAttacker();
            attacker.attack(known, List.of(release));
            assertThat(attacker.groups).as("groups whose outcome the council can tell").isEmpty();
            Map<TableSpec, FrequencyTable> truth = builder.count(FeedbackPacks.standardTables(COUNCIL, PERIOD));
            int checked = 0;
            for (CouncilAttacker.Finding f : attacker.cells) {
                TableSpec spec = truth.keySet().stream().filter(t -> t.measure().key().equals(f.measure())
                        && (f.breakdown().isEmpty() ? t.breakdowns().isEmpty() : t.breakdownName().equals(f.breakdown())))
                        .findFirst().orElseThrow();
                FrequencyTable counts = truth.get(spec);
                long y = spec.breakdowns().isEmpty() ? counts.count(f.cohort(), TableSpec.WITH_OUTCOME)
                        : counts.count(f.cohort(), f.category(), TableSpec.WITH_OUTCOME);
                long n = f.persons();
                int t = settings.rules().threshold();
                if (y <= t) {
                    assertThat(f.lower()).as("%s (true %d of %d)", f, y, n).isZero();
                    assertThat(f.upper()).as("%s (true %d of %d)", f, y, n).isGreaterThanOrEqualTo(Math.min(n, t + 1));
                }
                if (n - y <= t) {
                    assertThat(f.upper()).as("%s (true %d of %d)", f, y, n).isEqualTo(n);
                    assertThat(f.lower()).as("%s (true %d of %d)", f, y, n).isLessThanOrEqualTo(Math.max(0, n - t - 1));
                }
                checked++;
            }
            assertThat(checked).as("the pack withholds cells").isPositive();
            JsonNode manifest = new ObjectMapper().readTree(pack.get(FeedbackPacks.MANIFEST));
            assertThat(manifest.path("protection").path("primarySuppressed").asInt()).isPositive();
            System.out.println("demo pack (400 rows): " + manifest.get("protection") + "; withheld tables "
                    + java.util.stream.StreamSupport.stream(manifest.get("tables").spliterator(), false)
                            .filter(t -> t.get("withheld").asBoolean()).count() + "; attacker checked " + checked
                    + " withheld cells, " + attacker.cp.solves() + " solves");
        }

        @Test
        void noPseudoIdTokenOrIdentifierInsideThePack() {
            List<String> pseudoIds = jdbc.queryForList("select pseudo_id from research_record", String.class);
            List<String> tokens = jdbc.queryForList("select department_token from extract_member", String.class);
            assertThat(pseudoIds).isNotEmpty();
            List<String> identifiers = new ArrayList<>();
            try {
                for (CSVRecord r : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                        .parse(new StringReader(batchCsv))) {
                    identifiers.add(r.get("person_ref"));
                    identifiers.add(r.get("postcode"));
                    identifiers.add(r.get("date_of_birth"));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            for (Map.Entry<String, byte[]> file : pack.entrySet()) {
                String text = new String(file.getValue(), StandardCharsets.UTF_8);
                assertThat(HEX64.matcher(text).find()).as(file.getKey()).isFalse();
                for (String id : pseudoIds.subList(0, Math.min(50, pseudoIds.size()))) {
                    assertThat(text).doesNotContain(id);
                }
                for (String token : tokens.subList(0, Math.min(50, tokens.size()))) {
                    assertThat(text).doesNotContain(token);
                }
                for (String identifier : identifiers) {
                    assertThat(text).as(file.getKey()).doesNotContain(identifier);
                }
            }
        }

        @Test
        void reportRendersInHeadlessChromiumWithChartsAndSuppressionLabels() throws Exception {
            String html = new String(pack.get(FeedbackPacks.REPORT), StandardCharsets.UTF_8);
            assertThat(html).doesNotContain("<script").doesNotContain("src=")
                    .doesNotContain("href=");
            HeadlessChromium.requireOrSkip();
            Path dir = Files.createDirectories(Path.of("target", "screenshots"));
            Path report = dir.resolve("feedback-report.html").toAbsolutePath();
            Files.writeString(report, html);
            Path png = dir.resolve("feedback-report.png").toAbsolutePath();
            Files.deleteIfExists(png);
            String dom;
            try (HeadlessChromium chromium = HeadlessChromium.start(1280, 2000);
                 HeadlessChromium.Page page = chromium.open(report.toUri())) {
                assertThat(page.navigationError()).isNull();
                assertThat(page.requestedUrls()).as("a self-contained report loads nothing else")
                        .hasSize(1).allSatisfy(url -> assertThat(url).endsWith("/feedback-report.html"));
                page.screenshot(png);
                dom = page.dom();
            }
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image.getWidth()).isEqualTo(1280);
            assertThat(image.getHeight()).as("the whole report").isGreaterThan(2000);
            assertThat(pixels(image, 0x1d70b8)).as("treatment bars drawn").isGreaterThan(500);
            assertThat(pixels(image, 0xf47738)).as("comparison bars drawn").isGreaterThan(500);
            assertThat(pixels(image, 0xa0a4a8)).as("hatched suppressed bars drawn").isGreaterThan(200);

            assertThat(dom).contains("<svg class=\"chart\"");
            int published = count(dom, "class=\"bar published\"");
            int suppressed = count(dom, "class=\"bar suppressed\"");
            assertThat(published).isPositive();
            assertThat(suppressed).isPositive();
            assertThat(count(dom, ">suppressed</text>")).isEqualTo(suppressed);
            assertThat(dom).contains("id=\"disclosure-note\"").contains(SafeCell.SUPPRESSED_SYMBOL);
            // one chart per standard table, two bars per group
            long released = builder.buildAll(FeedbackPacks.standardTables(COUNCIL, PERIOD), settings.rules()).stream()
                    .filter(t -> !t.refused()).count();
            assertThat(count(dom, "<svg class=\"chart\"")).isEqualTo((int) released).isPositive();
        }

        /** Pixels within a small tolerance of a colour (anti-aliasing blends the edges of thin stripes). */
        private static int pixels(BufferedImage image, int rgb) {
            int n = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int p = image.getRGB(x, y);
                    if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 12
                            && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) <= 12
                            && Math.abs((p & 0xff) - (rgb & 0xff)) <= 12) {
                        n++;
                    }
                }
            }
            return n;
        }
    }

    @Nested
    class TwoPersonRule {

        final GatewayHttp analyst = new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
        final GatewayHttp admin = new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
        final GatewayHttp auditor = new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
        final GatewayHttp operator = new GatewayHttp(httpPort, home.demoDir().resolve("http-users.txt"));
        static final String REQUEST = "{\"measure\":\"any_offence\",\"breakdowns\":[\"sex\"],\"filter\":{\"period\":\"" + PERIOD
                + "\"},\"council\":\"" + COUNCIL + "\",\"purpose\":\"Programme evaluation\"}";

        @Test
        void aTableIsReleasedOnlyAfterASecondPersonApprovesIt() {
            HttpResponse<String> asked = analyst.post("/api/disclosure/tables", "analyst", REQUEST);
            assertThat(asked.statusCode()).as(asked.body()).isEqualTo(201);
            JsonNode request = GatewayHttp.json(asked);
            String id = request.get("id").asText();
            assertThat(request.get("status").asText()).isEqualTo("PENDING_APPROVAL");
            assertThat(request.get("check").get("passed").asBoolean()).isTrue();
            assertThat(request.get("check").get("suppressedCells").asInt()).isNotNegative();
            assertThat(request.has("table")).isFalse();
            assertThat(request.has("tableForReview")).isFalse();
            assertThat(GatewayHttp.json(analyst.get("/api/disclosure/tables/" + id, "analyst")).has("table")).isFalse();

            // the requester cannot approve; other roles cannot either; nor without the CSRF token
            assertThat(analyst.post("/api/disclosure/tables/" + id + "/approve", "analyst", null).statusCode()).isEqualTo(403);
            assertThat(auditor.post("/api/disclosure/tables/" + id + "/approve", "auditor", null).statusCode()).isEqualTo(403);
            assertThat(admin.postWithoutCsrf("/api/disclosure/tables/" + id + "/approve", "admin", null).statusCode()).isEqualTo(403);
            assertThat(GatewayHttp.json(analyst.get("/api/disclosure/tables/" + id, "analyst")).get("status").asText())
                    .isEqualTo("PENDING_APPROVAL");

            JsonNode review = GatewayHttp.json(admin.get("/api/disclosure/tables/" + id, "admin"));
            assertThat(review.has("tableForReview")).isTrue();
            HttpResponse<String> approved = admin.post("/api/disclosure/tables/" + id + "/approve", "admin", null);
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            assertThat(admin.post("/api/disclosure/tables/" + id + "/approve", "admin", null).statusCode()).isEqualTo(409);

            JsonNode released = GatewayHttp.json(analyst.get("/api/disclosure/tables/" + id, "analyst"));
            assertThat(released.get("status").asText()).isEqualTo("RELEASED");
            assertThat(released.get("decidedBy").asText()).isEqualTo("admin");
            JsonNode rows = released.get("table").get("rows");
            // exactly the table the checker reviewed, no sensitive figure shown, and in the release ledger
            assertThat(released.get("table")).isEqualTo(review.get("tableForReview"));
            assertThat(rows).hasSize(3 * 4);
            for (JsonNode row : rows) {
                String y = row.get("withOutcome").asText();
                String n = row.get("persons").asText();
                if (y.chars().allMatch(Character::isDigit) && n.chars().allMatch(Character::isDigit)) {
                    assertThat(settings.rules().isSensitiveOutcome(Long.parseLong(y), Long.parseLong(n))).as(row.toString())
                            .isFalse();
                }
            }
            assertThat(jdbc.queryForObject("select count(*) from released_cell where release_id = ?", Integer.class, id))
                    .isEqualTo(rows.size());
            assertThat(released.get("table").toString()).doesNotContainPattern("[0-9a-f]{64}\"");

            List<String> events = jdbc.queryForList("select event_type from audit_event where subject_id = ? order by seq",
                    String.class, id);
            assertThat(events).containsExactly("TABLE_REQUESTED", "TABLE_CHECKED", "TABLE_APPROVED", "TABLE_RELEASED");
            assertThat(jdbc.queryForObject("select actor from audit_event where subject_id = ? and event_type = 'TABLE_APPROVED'",
                    String.class, id)).isEqualTo("http:admin");
            assertThat(jdbc.queryForObject("select detail from audit_event where subject_id = ? and event_type = 'TABLE_RELEASED'",
                    String.class, id)).contains("released to analyst").contains(released.get("tableSha256").asText());
        }

        @Test
        void aRejectedTableIsNeverShown() {
            String id = GatewayHttp.json(analyst.post("/api/disclosure/tables", "analyst",
                    "{\"measure\":\"drug_treatment\",\"breakdowns\":[\"age_band\"],\"purpose\":\"official statistics\"}"))
                    .get("id").asText();
            HttpResponse<String> rejected = admin.post("/api/disclosure/tables/" + id + "/reject", "admin", "{\"reason\":\"not needed\"}");
            assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(200);
            JsonNode view = GatewayHttp.json(analyst.get("/api/disclosure/tables/" + id, "analyst"));
            assertThat(view.get("status").asText()).isEqualTo("REJECTED");
            assertThat(view.has("table")).isFalse();
            assertThat(admin.post("/api/disclosure/tables/" + id + "/approve", "admin", null).statusCode()).isEqualTo(409);
        }

        @Test
        void onlyWhitelistedNamesAndValuesAreAccepted() {
            HttpResponse<String> catalogue = analyst.get("/api/disclosure/catalogue", "analyst");
            assertThat(catalogue.statusCode()).isEqualTo(200);
            assertThat(GatewayHttp.json(catalogue).get("measures").findValuesAsText("measure"))
                    .contains("any_offence", "persistent_absence", "drug_treatment");
            assertThat(auditor.get("/api/disclosure/catalogue", "auditor").statusCode()).isEqualTo(403);
            HttpResponse<String> listed = admin.get("/api/disclosure/tables", "admin");
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).doesNotContain("rows").doesNotContain("table_json");
            assertThat(analyst.post("/api/disclosure/tables", "analyst", "{\"measure\":\"min_age\"}").statusCode()).isEqualTo(400);
            assertThat(analyst.post("/api/disclosure/tables", "analyst",
                    "{\"measure\":\"any_offence\",\"breakdowns\":[\"pseudo_id\"]}").statusCode()).isEqualTo(400);
            assertThat(analyst.post("/api/disclosure/tables", "analyst",
                    "{\"measure\":\"any_offence\",\"filter\":{\"sex\":\"F' or '1'='1\"}}").statusCode()).isEqualTo(400);
            assertThat(analyst.post("/api/disclosure/tables", "analyst",
                    "{\"measure\":\"any_offence\",\"council\":\"E99999999\"}").statusCode()).isEqualTo(400);
            assertThat(operator.post("/api/disclosure/tables", "operator", REQUEST).statusCode()).isEqualTo(403);
            assertThat(admin.post("/api/disclosure/tables", "admin", REQUEST).statusCode()).as("admins approve, analysts ask")
                    .isEqualTo(403);
        }

        @Test
        void aPackOnRequestIsSentAndAudited() throws Exception {
            assertThat(operator.post("/api/disclosure/feedback/" + COUNCIL, "operator", null).statusCode()).isEqualTo(403);
            assertThat(analyst.post("/api/disclosure/feedback/" + COUNCIL, "analyst", null).statusCode())
                    .as("a resend on request is an ADMIN's decision").isEqualTo(403);
            HttpResponse<String> sent = admin.post("/api/disclosure/feedback/" + COUNCIL + "?period=" + PERIOD, "admin", null);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(201);
            String file = GatewayHttp.json(sent).get("fileName").asText();
            assertThat(file).matches("feedback-" + COUNCIL + "-\\d{8}-\\d{2}\\.zip\\.pgp").isNotEqualTo(packName);
            assertThat(Files.exists(home.outbound(COUNCIL).resolve(file))).isTrue();
            assertThat(jdbc.queryForObject("select count(*) from audit_event where event_type = 'FEEDBACK_RELEASED'"
                    + " and actor = 'http:admin' and detail like ?", Long.class, "%" + file + "%")).isEqualTo(1);
            assertThat(admin.post("/api/disclosure/feedback/E99999999", "admin", null).statusCode()).isEqualTo(400);
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
