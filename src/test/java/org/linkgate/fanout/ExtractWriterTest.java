package org.linkgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.linkgate.fanout.ExtractFixture.person;
import static org.linkgate.fanout.ExtractFixture.personAged;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.agreement.Department.AgeFilter;
import org.linkgate.agreement.Department;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.store.TestDatabases;

/** ExtractWriter against both real databases (H2 and PostgreSQL), read back as the department reads it. */
class ExtractWriterTest {

    private static final Department PHE = ExtractFixture.department("PHE",
            List.of("initials", "date_of_birth", "sex"), AgeFilter.EVERYONE);
    private static final Department DFE = ExtractFixture.department("DFE",
            List.of("forename", "surname", "date_of_birth", "upn"), new AgeFilter(4, 19));
    private static final Department DWP = ExtractFixture.department("DWP",
            List.of("forename", "surname", "date_of_birth", "address_line_1", "address_line_2", "town", "postcode", "nino"),
            AgeFilter.EVERYONE);

    @TempDir
    Path dir;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    private Path target(Department department, String extractId) {
        return dir.resolve(ExtractWriter.fileName(department.code(), ExtractFixture.PERIOD, extractId));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void pheGetsItsTokenInitialsDateOfBirthAndSexOnly(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        Map<String, String> zoe = person("R1", "Zoë", "O'Connor", "2001-03-04", "f");
        zoe.put("postcode", "cm2 0ab");
        zoe.put("nino", "QQ123456C");
        String intake = store.intake(InboundStatus.ACCEPTED, List.of(zoe, person("R2", "Émile", "Łukasz", "1980-12-31", "M")));
        String extractId = store.planExtract(PHE, intake);
        Path target = target(PHE, extractId);

        ExtractResult result = store.writer().write(extractId, intake, PHE, target);

        List<List<String>> csv = ExtractFixture.readAll(target, "PHE");
        assertThat(csv.get(0)).containsExactly("pseudo_id", "initials", "date_of_birth", "sex");
        assertThat(csv.subList(1, csv.size())).extracting(r -> r.subList(1, 4))
                .containsExactly(List.of("ZO", "2001-03-04", "F"), List.of("EL", "1980-12-31", "M"));
        assertThat(csv).allSatisfy(r -> assertThat(r).hasSize(4));
        String clear = csv.toString();
        for (String other : List.of("Zoë", "Connor", "CM2", "QQ123456C", "Example", "TREATMENT", "Émile")) {
            assertThat(clear).as("PHE must not receive %s", other).doesNotContain(other);
        }

        assertThat(result.rows()).isEqualTo(2);
        byte[] encrypted = Files.readAllBytes(target);
        assertThat(result.sizeBytes()).isEqualTo(encrypted.length);
        assertThat(result.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encrypted)));
        assertThat(new String(encrypted, StandardCharsets.ISO_8859_1)).doesNotContain("pseudo_id");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void dfeFilterDropsToddlersAndAdults(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        List<Integer> ages = List.of(2, 3, 4, 11, 19, 20, 45);
        List<Map<String, String>> people = new ArrayList<>();
        for (int i = 0; i < ages.size(); i++) {
            people.add(personAged("A" + i, ages.get(i)));
        }
        String intake = store.intake(InboundStatus.ACCEPTED, people);
        String extractId = store.planExtract(DFE, intake);

        ExtractResult result = store.writer().write(extractId, intake, DFE, target(DFE, extractId));

        // Row numbers start at 2 (row 1 is the header): ages 4, 11 and 19 are rows 4, 5 and 6.
        assertThat(result.rows()).isEqualTo(3);
        assertThat(store.jdbc.queryForList("select row_number from extract_member where extract_id = ? order by row_number",
                Long.class, extractId)).containsExactly(4L, 5L, 6L);
        List<List<String>> csv = ExtractFixture.readAll(target(DFE, extractId), "DFE");
        assertThat(csv.get(0)).containsExactly("pseudo_id", "forename", "surname", "date_of_birth", "upn");
        assertThat(csv.subList(1, csv.size())).extracting(r -> r.get(1)).containsExactly("TestAc", "TestAd", "TestAe");
        assertThat(csv.subList(1, csv.size())).extracting(r -> r.get(4)).containsOnly("");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eachDepartmentHasItsOwnTokenAndTheMemberLedgerMapsItBack(String name, Supplier<DataSource> database)
            throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        Map<String, String> comparison = personAged("C1", 30);
        comparison.put("cohort", "COMPARISON");
        String intake = store.intake(InboundStatus.ACCEPTED, List.of(personAged("T1", 12), comparison, personAged("T2", 40)));
        String pheExtract = store.planExtract(PHE, intake);
        String dwpExtract = store.planExtract(DWP, intake);
        store.writer().write(pheExtract, intake, PHE, target(PHE, pheExtract));
        store.writer().write(dwpExtract, intake, DWP, target(DWP, dwpExtract));

        List<String> pseudoIds = store.jdbc.queryForList(
                "select pseudo_id from research_record where intake_id = ? order by row_number", String.class, intake);
        List<String> pheTokens = tokensInFile(target(PHE, pheExtract), "PHE");
        List<String> dwpTokens = tokensInFile(target(DWP, dwpExtract), "DWP");
        assertThat(pheTokens).hasSize(3).doesNotContainAnyElementsOf(dwpTokens).doesNotContainAnyElementsOf(pseudoIds)
                .allMatch(t -> t.matches("[0-9a-f]{64}"));
        assertThat(dwpTokens).hasSize(3).doesNotContainAnyElementsOf(pseudoIds);

        DepartmentTokens tokens = new DepartmentTokens(store.pseudonymisationKey);
        for (int i = 0; i < 3; i++) {
            assertThat(pheTokens.get(i)).isEqualTo(tokens.token("PHE", pseudoIds.get(i)));
            assertThat(dwpTokens.get(i)).isEqualTo(tokens.token("DWP", pseudoIds.get(i)));
            for (var sent : List.of(Map.entry(pheExtract, pheTokens.get(i)), Map.entry(dwpExtract, dwpTokens.get(i)))) {
                Map<String, Object> member = store.jdbc.queryForMap("select pseudo_id, intake_id, row_number, cohort"
                        + " from extract_member where extract_id = ? and department_token = ?", sent.getKey(), sent.getValue());
                assertThat(member.get("pseudo_id")).isEqualTo(pseudoIds.get(i));
                assertThat(member.get("intake_id")).isEqualTo(intake);
                assertThat(((Number) member.get("row_number")).longValue()).isEqualTo(i + 2L);
                assertThat(member.get("cohort")).isEqualTo(i == 1 ? "COMPARISON" : "TREATMENT");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void valuesThatLookLikeFormulasAreQuotePrefixed(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        Map<String, String> row = person("F1", "Ann", "Smith-Jones", "1990-01-01", "F");
        row.put("address_line_1", "=HYPERLINK(\"http://example.invalid/?x\",\"Click\")");
        row.put("address_line_2", "-1");
        row.put("town", "@SUM(1+1), \"Quoted\"");
        String intake = store.intake(InboundStatus.ACCEPTED, List.of(row));
        String extractId = store.planExtract(DWP, intake);

        store.writer().write(extractId, intake, DWP, target(DWP, extractId));

        List<String> cells = ExtractFixture.readAll(target(DWP, extractId), "DWP").get(1);
        assertThat(cells.subList(1, 8)).containsExactly("Ann", "Smith-Jones", "1990-01-01",
                "'=HYPERLINK(\"http://example.invalid/?x\",\"Click\")", "'-1", "'@SUM(1+1), \"Quoted\"", "CM1 1QH");
        assertThat(cells.get(8)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRetryRewritesTheMemberLedgerWithoutDuplicates(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        String intake = store.intake(InboundStatus.PARTIAL, List.of(personAged("P1", 5), personAged("P2", 50)));
        String extractId = store.planExtract(PHE, intake);
        ExtractWriter writer = store.writer();
        writer.write(extractId, intake, PHE, target(PHE, extractId));
        // What a crash mid-way could leave behind: a member of an attempt that never completed.
        store.jdbc.update("insert into extract_member (extract_id, department_token, pseudo_id, intake_id, row_number,"
                + " cohort) values (?, ?, ?, ?, ?, ?)", extractId, "f".repeat(64), "stale", intake, 99, "TREATMENT");

        ExtractResult again = writer.write(extractId, intake, PHE, target(PHE, extractId));

        assertThat(again.rows()).isEqualTo(2);
        assertThat(store.jdbc.queryForList("select row_number from extract_member where extract_id = ? order by row_number",
                Long.class, extractId)).containsExactly(2L, 3L);
        assertThat(tokensInFile(target(PHE, extractId), "PHE")).containsExactlyInAnyOrderElementsOf(store.jdbc.queryForList(
                "select department_token from extract_member where extract_id = ?", String.class, extractId));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aPersonOnTwoRowsOfOneIntakeIsSentOnce(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        // Same name and date of birth under two council refs: one pseudo id, one token.
        String intake = store.intake(InboundStatus.ACCEPTED, List.of(
                person("D1", "Kim", "Twice", "2005-06-07", "F"), personAged("D2", 9),
                person("D3", "Kim", "Twice", "2005-06-07", "F")));
        String extractId = store.planExtract(DFE, intake);

        ExtractResult result = store.writer().write(extractId, intake, DFE, target(DFE, extractId));

        assertThat(result.rows()).isEqualTo(2);
        assertThat(store.jdbc.queryForList("select row_number from extract_member where extract_id = ? order by row_number",
                Long.class, extractId)).containsExactly(2L, 3L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void unfinishedOrRejectedIntakesAreNeverExtracted(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        for (InboundStatus status : List.of(InboundStatus.RECEIVED, InboundStatus.REJECTED, InboundStatus.QUARANTINED)) {
            // Rows and data key left in place: only the status stands between them and a department.
            String intake = store.intake(status, List.of(personAged("X1", 10)));
            String extractId = store.planExtract(PHE, intake);

            assertThatThrownBy(() -> store.writer().write(extractId, intake, PHE, target(PHE, extractId)))
                    .as(status.name()).isInstanceOf(IllegalStateException.class).hasMessageContaining(status.name());

            assertThat(store.jdbc.queryForObject("select count(*) from extract_member where extract_id = ?",
                    Long.class, extractId)).isZero();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void refusesAnExtractPlannedForAnotherDepartmentOrIntake(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        String intake = store.intake(InboundStatus.ACCEPTED, List.of(personAged("Y1", 10)));
        String other = store.intake(InboundStatus.ACCEPTED, List.of(personAged("Y2", 10)));
        String pheExtract = store.planExtract(PHE, intake);
        ExtractWriter writer = store.writer();

        assertThatThrownBy(() -> writer.write(pheExtract, intake, DWP, target(DWP, pheExtract)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.write(pheExtract, other, PHE, target(PHE, pheExtract)))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> writer.write("nosuchextract", intake, PHE, target(PHE, "nosuchextract")))
                .isInstanceOf(IllegalStateException.class);
        Department greedy = ExtractFixture.department("PHE", List.of("initials", "cohort"), AgeFilter.EVERYONE);
        assertThatThrownBy(() -> writer.write(pheExtract, intake, greedy, target(PHE, pheExtract)))
                .isInstanceOf(IllegalArgumentException.class);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void fiftyThousandRowsStreamThrough(String name, Supplier<DataSource> database) throws Exception {
        ExtractFixture store = new ExtractFixture(database.get());
        int people = 50_000;
        String intake = store.intake(InboundStatus.ACCEPTED, people, add -> {
            for (int i = 0; i < people; i++) {
                add.accept(personAged("B" + i, i % 60));
            }
        });
        String extractId = store.planExtract(PHE, intake);

        ExtractResult result = store.writer().write(extractId, intake, PHE, target(PHE, extractId));

        assertThat(result.rows()).isEqualTo(people);
        long[] counted = ExtractFixture.openAsDepartment(target(PHE, extractId), "PHE", parser -> {
            long rows = 0;
            long tp = 0;
            for (var record : parser) {
                rows++;
                tp += record.get(1).equals("TP") ? 1 : 0;
            }
            return new long[] {rows, tp};
        });
        assertThat(counted[0]).isEqualTo(people + 1L);
        assertThat(counted[1]).isEqualTo(people);
        assertThat(store.jdbc.queryForObject("select count(distinct department_token) from extract_member"
                + " where extract_id = ?", Long.class, extractId)).isEqualTo(people);
    }

    private static List<String> tokensInFile(Path file, String departmentCode) throws Exception {
        List<List<String>> csv = ExtractFixture.readAll(file, departmentCode);
        return csv.subList(1, csv.size()).stream().map(r -> r.get(0)).toList();
    }
}
