package org.linkgate.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linkgate.demo.SyntheticBatchGenerator;

/** Small council batches with hand-placed faults; every value is invented. */
public final class TestCsv {

    private final List<String> columns = new ArrayList<>(SyntheticBatchGenerator.COLUMNS);
    private final List<Map<String, String>> rows = new ArrayList<>();

    public static Map<String, String> validRow(int n) {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("person_ref", "P" + n);
        row.put("family_ref", "F" + (n / 3));
        row.put("forename", "Testy");
        row.put("middle_names", "");
        row.put("surname", "Mctestface" + (char) ('a' + n % 26));
        row.put("date_of_birth", "1990-01-" + String.format("%02d", 1 + n % 28));
        row.put("sex", n % 2 == 0 ? "F" : "m");
        row.put("address_line_1", n + " Example Street");
        row.put("address_line_2", "");
        row.put("town", "Testbury");
        row.put("postcode", "cm1 1qh");
        row.put("nino", "");
        row.put("nhs_number", "");
        row.put("upn", "");
        row.put("cohort", n % 2 == 0 ? "TREATMENT" : "COMPARISON");
        row.put("date_identified", "2015-05-01");
        for (String flag : List.of("crime_asb", "education", "children_in_need", "worklessness", "domestic_abuse", "health")) {
            row.put(flag, n % 2 == 0 ? "1" : "0");
        }
        return row;
    }

    public TestCsv withoutColumn(String column) {
        columns.remove(column);
        return this;
    }

    public TestCsv validRows(int count) {
        for (int i = 0; i < count; i++) {
            rows.add(validRow(rows.size() + 1));
        }
        return this;
    }

    /** Adds a valid row with one value changed. */
    public TestCsv rowWith(String column, String value) {
        Map<String, String> row = validRow(rows.size() + 1);
        row.put(column, value);
        rows.add(row);
        return this;
    }

    public byte[] bytes() {
        StringBuilder out = new StringBuilder(String.join(",", columns)).append("\r\n");
        for (Map<String, String> row : rows) {
            List<String> values = new ArrayList<>();
            for (String column : columns) {
                String value = row.getOrDefault(column, "");
                values.add(value.contains(",") || value.contains("\"") ? '"' + value.replace("\"", "\"\"") + '"' : value);
            }
            out.append(String.join(",", values)).append("\r\n");
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
