package org.linkgate.disclosure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.linkgate.store.TestDatabases;

/** The report and pack content built from synthetic linked data on H2 (the browser check is in FeedbackIT). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FeedbackReportTest {

    static final DisclosureRules RULES = DisclosureRules.agreementDefaults();
    List<OutcomeTable> tables;

    @BeforeAll
    void build() {
        var ds = TestDatabases.h2();
        LinkedDataFixture data = new LinkedDataFixture(ds, 5);
        data.batch("E10000012", "2015-06", 300, "ACCEPTED");
        tables = new TableBuilder(ds).buildAll(FeedbackPacks.standardTables("E10000012", "2015-06"), RULES);
    }

    @Test
    void oneChartPerTableSuppressedBarsLabelledNeverDrawnAsZero() throws IOException {
        String html = FeedbackReport.render("E10000012", "2015-06", "2026-11-24", RULES, tables);
        java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "screenshots"));
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "screenshots", "feedback-report-unit.html"), html);
        assertThat(count(html, "<svg class=\"chart\"")).isEqualTo((int) tables.stream().filter(t -> !t.refused()).count());
        long suppressedRates = tables.stream().flatMap(t -> t.rows().stream())
                .filter(r -> !r.cohort().equals(Dimension.TOTAL) && r.percentValue().isEmpty()).count();
        assertThat(count(html, "class=\"bar suppressed\"")).isEqualTo((int) suppressedRates).isPositive();
        assertThat(count(html, ">suppressed</text>")).isEqualTo((int) suppressedRates);
        assertThat(count(html, "class=\"bar published\"")).isPositive();
        // a published bar shows its released percentage, and only released ones appear
        for (OutcomeTable t : tables) {
            for (OutcomeTable.Row r : t.rows()) {
                if (!r.cohort().equals(Dimension.TOTAL) && r.percentValue().isPresent()) {
                    assertThat(html).contains(">" + r.percent() + "%</text>");
                }
            }
        }
        assertThat(html).doesNotContain("<script").doesNotContain("src=").doesNotContain("href=")
                .doesNotContain("NaN").contains("[c]");
    }

    @Test
    void thePackHoldsTheReportTheManifestAndOneCsvPerTable() throws IOException {
        byte[] zip = FeedbackPacks.zip("E10000012", "2015-06", "2026-11-24", RULES, tables, null);
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                entries.put(e.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        assertThat(entries).containsKeys(FeedbackPacks.REPORT, FeedbackPacks.MANIFEST);
        assertThat(entries).hasSize((int) tables.stream().filter(t -> !t.refused()).count() + 2);
        OutcomeTable first = tables.get(0);
        String csv = entries.get("tables/" + first.spec().name() + ".csv");
        assertThat(csv).startsWith("council,period,measure,cohort,persons,with_outcome,percent_with_outcome\r\n");
        assertThat(csv.split("\r\n")).hasSize(first.rows().size() + 1);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
