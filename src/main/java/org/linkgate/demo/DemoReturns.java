package org.linkgate.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.linkgate.agreement.Department;
import org.linkgate.validation.ColumnSpec;
import org.linkgate.validation.DatasetSchema;
import org.linkgate.validation.DatasetSchemaLoader;
import org.linkgate.validation.RuleSpec;

/**
 * DEMO and tests: invents the administrative data a department would return for the tokens in
 * its extract, with values drawn from what each dataset's schema allows. Synthetic only.
 */
public final class DemoReturns {

    private final Random random;

    public DemoReturns(Random random) {
        this.random = random;
    }

    /** A return CSV (plaintext) in which about {@code matchPercent}% of the people are found. */
    public byte[] returnFile(Department.ReturnDataset dataset, List<String> tokens, int matchPercent) throws IOException {
        Map<String, Collection<String>> nothingSent = new LinkedHashMap<>();
        tokens.forEach(token -> nothingSent.put(token, Set.of()));
        return returnFile(dataset, nothingSent, matchPercent);
    }

    /**
     * As above, for the people of an extract with the values sent about each ({@code token ->
     * values}). A real department never returns a person's own identifiers, so an invented value
     * that happens to equal one of them (a random date equal to a date of birth, say) is drawn
     * again: otherwise the gateway's identifier guard would rightly reject the file.
     */
    public byte[] returnFile(Department.ReturnDataset dataset, Map<String, ? extends Collection<String>> sentValuesByToken,
            int matchPercent) throws IOException {
        DatasetSchema schema = DatasetSchemaLoader.loadClasspath("schemas/returns/" + dataset.schema() + ".yaml");
        List<ColumnSpec> columns = schema.columns();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(out, StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
            printer.printRecord(columns.stream().map(ColumnSpec::name).toList());
            for (Map.Entry<String, ? extends Collection<String>> person : sentValuesByToken.entrySet()) {
                if (random.nextInt(100) >= matchPercent) {
                    continue; // not found in this dataset
                }
                String token = person.getKey();
                List<String> values = new ArrayList<>();
                for (ColumnSpec column : columns) {
                    values.add(column.name().equals("pseudo_id") ? token : inventAvoiding(column, person.getValue()));
                }
                printer.printRecord(values);
            }
        }
        return out.toByteArray();
    }

    private String inventAvoiding(ColumnSpec column, Collection<String> sent) {
        String value = invent(column);
        for (int attempt = 0; attempt < 20 && !value.isEmpty() && sent.contains(value); attempt++) {
            value = invent(column);
        }
        return value;
    }

    private String invent(ColumnSpec column) {
        if (!column.mandatory() && random.nextInt(4) == 0) {
            return "";
        }
        for (RuleSpec rule : column.rules()) {
            switch (rule.name()) {
                case "one_of":
                    return rule.arguments().get(random.nextInt(rule.arguments().size()));
                case "flag":
                    return String.valueOf(random.nextInt(2));
                case "iso_date":
                    return LocalDate.of(2014, 1, 1).plusDays(random.nextInt(900)).toString();
                case "pattern": {
                    // The return schemas' only patterns besides pseudo_id are years like 2015-16.
                    int year = 2013 + random.nextInt(4);
                    return year + "-" + String.format("%02d", (year + 1) % 100);
                }
                case "integer": {
                    int min = rule.arguments().isEmpty() ? 0 : Integer.parseInt(rule.arguments().get(0));
                    int max = rule.arguments().size() < 2 ? min + 100 : Integer.parseInt(rule.arguments().get(1));
                    return String.valueOf(min + random.nextInt(Math.max(1, Math.min(max - min, 400) + 1)));
                }
                default:
                    break;
            }
        }
        return column.mandatory() ? "1" : "";
    }
}
