package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A department may return codes, counts and dates, never free text: a return schema must be closed. */
class ClosedColumnsTest {

    private static DatasetSchema schema(String column) {
        String yaml = "dataset: test-return\nversion: 1\ncolumns:\n"
                + "  - {name: pseudo_id, required: true, value: mandatory, maxLength: 64, rules: [{pattern: '[0-9a-f]{64}'}]}\n"
                + column;
        return DatasetSchemaLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dwp-wpls-v1", "hmrc-paye-v1", "moj-pnc-v1", "moj-prisons-v1", "dfe-npd-v1", "bis-ilr-v1",
        "hscic-hes-v1", "hscic-mhmds-v1", "hscic-iapt-v1", "hscic-mcds-v1", "phe-ndtms-v1"})
    void everyReturnSchemaShippedIsClosed(String name) {
        assertThat(ClosedColumns.problems(DatasetSchemaLoader.loadClasspath("schemas/returns/" + name + ".yaml")))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "  - {name: notes, required: false, value: optional, maxLength: 200}\n",
        "  - {name: notes, required: false, value: optional, rules: [{one_of: [A, B]}]}\n",
        "  - {name: notes, required: false, value: optional, maxLength: 200, rules: [{pattern: '.*'}]}\n",
        "  - {name: notes, required: false, value: optional, maxLength: 200, rules: [{pattern: '[A-Za-z0-9 ]+'}]}\n",
        "  - {name: notes, required: false, value: optional, maxLength: 20, rules: [{pattern: '[0-9]{10}'}]}\n"})
    void aColumnThatCouldCarryTextIsRefusedByName(String column) {
        List<String> problems = ClosedColumns.problems(schema(column));
        assertThat(problems).singleElement().asString().startsWith("column notes:");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "  - {name: code, required: true, value: mandatory, maxLength: 4, rules: [{one_of: [A, B]}]}\n",
        "  - {name: sessions, required: true, value: mandatory, maxLength: 6, rules: [{integer: [0, 999999]}]}\n",
        "  - {name: start, required: true, value: mandatory, maxLength: 10, rules: [iso_date]}\n",
        "  - {name: year, required: true, value: mandatory, maxLength: 7, rules: [{pattern: '[0-9]{4}-[0-9]{2}'}]}\n"})
    void codesCountsDatesAndNarrowPatternsAreClosed(String column) {
        assertThat(ClosedColumns.problems(schema(column))).isEmpty();
    }
}
