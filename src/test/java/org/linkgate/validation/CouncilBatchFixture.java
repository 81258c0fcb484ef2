package org.linkgate.validation;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Invented council-batch data for tests; no real people. */
final class CouncilBatchFixture {

    static final DatasetSchema SCHEMA = DatasetSchemaLoader.loadClasspath("schemas/council-batch-v1.yaml");

    /** 1 July 2015, mid-morning, in the zone councils work in. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2015-07-01T09:30:00Z"), ZoneId.of("Europe/London"));

    private CouncilBatchFixture() {
    }

    /** A valid row in schema column order, editable. */
    static Map<String, String> validRow(String personRef) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("person_ref", personRef);
        row.put("family_ref", "FAM-0001");
        row.put("forename", "Testy");
        row.put("middle_names", "Quentin Example");
        row.put("surname", "McTestface");
        row.put("date_of_birth", "2008-04-01");
        row.put("sex", "m");
        row.put("address_line_1", "1 Example Road");
        row.put("address_line_2", "");
        row.put("town", "Testville");
        row.put("postcode", "cm11qh");
        row.put("nino", "AB 12 34 56 C");
        row.put("nhs_number", "943 476 5919");
        row.put("upn", SyntheticIds.upn("801200001001"));
        row.put("cohort", "TREATMENT");
        row.put("date_identified", "2015-06-01");
        row.put("crime_asb", "1");
        row.put("education", "0");
        row.put("children_in_need", "0");
        row.put("worklessness", "1");
        row.put("domestic_abuse", "0");
        row.put("health", "1");
        return row;
    }

    /** CSV text (LF line ends) with the header taken from the first row's keys. */
    static String csv(List<Map<String, String>> rows) {
        List<String> columns = new ArrayList<>(rows.get(0).keySet());
        StringBuilder out = new StringBuilder(String.join(",", columns)).append('\n');
        for (Map<String, String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (String column : columns) {
                cells.add(quote(row.getOrDefault(column, "")));
            }
            out.append(String.join(",", cells)).append('\n');
        }
        return out.toString();
    }

    static String quote(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }

    static InputStream utf8(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    static CsvBatchReader reader(String text) {
        return new CsvBatchReader(utf8(text), SCHEMA);
    }
}
