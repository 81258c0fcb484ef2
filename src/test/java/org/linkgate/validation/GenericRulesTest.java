package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The generic rules {@code integer} and {@code pattern}, as schemas declare them. */
class GenericRulesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static DatasetSchema schema(String rules) {
        String yaml = "dataset: generic\nversion: 1\ncolumns:\n"
                + "  - name: v\n    required: true\n    value: mandatory\n    maxLength: 80\n    rules:\n" + rules;
        return DatasetSchemaLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> rulesBroken(DatasetSchema schema, String value) throws IOException {
        String csv = "v\n\"" + value + "\"\n";
        List<String> broken = new ArrayList<>();
        try (CsvBatchReader reader = new CsvBatchReader(
                new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), schema)) {
            RowValidator validator = new RowValidator(schema, CLOCK);
            for (Optional<CsvRow> row = reader.next(); row.isPresent(); row = reader.next()) {
                validator.validate(row.get()).forEach(p -> broken.add(p.rule()));
            }
        }
        return broken;
    }

    @Nested
    class Integer {

        private final DatasetSchema bounded = schema("      - integer: [0, 500]\n");
        private final DatasetSchema open = schema("      - integer\n");

        @ParameterizedTest
        @ValueSource(strings = {"0", "1", "365", "500"})
        void wholeNumbersInRangePass(String value) throws IOException {
            assertThat(rulesBroken(bounded, value)).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"-1", "501", "1.5", "01", "+3", "1 000", "1e3", "ten", "-0", "99999999999999999999"})
        void othersFail(String value) throws IOException {
            assertThat(rulesBroken(bounded, value)).containsExactly("integer");
        }

        @Test
        void withoutArgumentsAnyWholeNumberPasses() throws IOException {
            assertThat(rulesBroken(open, "-42")).isEmpty();
            assertThat(rulesBroken(open, "9223372036854775807")).isEmpty();
            assertThat(rulesBroken(open, "4.2")).containsExactly("integer");
        }

        @Test
        void anOpenBoundIsAStar() throws IOException {
            DatasetSchema atLeastOne = schema("      - integer: [1, '*']\n");
            assertThat(rulesBroken(atLeastOne, "123456789")).isEmpty();
            assertThat(rulesBroken(atLeastOne, "0")).containsExactly("integer");
        }

        @Test
        void badBoundsFailToLoad() {
            assertThatThrownBy(() -> schema("      - integer: [5, 1]\n")).isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("min greater than max");
            assertThatThrownBy(() -> schema("      - integer: [a, 1]\n")).isInstanceOf(SchemaLoadException.class);
            assertThatThrownBy(() -> schema("      - integer: 3\n")).isInstanceOf(SchemaLoadException.class);
        }
    }

    @Nested
    class PatternRule {

        private final DatasetSchema hex64 = schema("      - pattern: '[0-9a-f]{64}'\n");

        @Test
        void theWholeValueMustMatch() throws IOException {
            assertThat(rulesBroken(hex64, "0123456789abcdef".repeat(4))).isEmpty();
            assertThat(rulesBroken(hex64, "0123456789ABCDEF".repeat(4))).containsExactly("pattern");
            assertThat(rulesBroken(hex64, "0123456789abcdef".repeat(4) + "0")).containsExactly("pattern");
            assertThat(rulesBroken(hex64, "x" + "0123456789abcdef".repeat(4))).containsExactly("pattern");
        }

        @Test
        void anInvalidExpressionFailsToLoad() {
            assertThatThrownBy(() -> schema("      - pattern: '[0-9'\n")).isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("invalid regular expression");
            assertThatThrownBy(() -> schema("      - pattern\n")).isInstanceOf(SchemaLoadException.class);
        }
    }
}
