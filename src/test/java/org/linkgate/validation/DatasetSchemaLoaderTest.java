package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DatasetSchemaLoaderTest {

    private static DatasetSchema load(String yaml) {
        return DatasetSchemaLoader.load(CouncilBatchFixture.utf8(yaml));
    }

    private static String oneColumn(String columnBody) {
        return "dataset: test-set\nversion: 2\ncolumns:\n  - name: a_col\n" + columnBody;
    }

    @Nested
    class CouncilBatchV1 {

        private final DatasetSchema schema = CouncilBatchFixture.SCHEMA;

        @Test
        void describesTheDataset() {
            assertThat(schema.datasetId()).isEqualTo("council-batch");
            assertThat(schema.version()).isEqualTo(1);
        }

        @Test
        void declaresEveryContractColumnInOrder() {
            assertThat(schema.columnNames()).containsExactly(
                    "person_ref", "family_ref", "forename", "middle_names", "surname", "date_of_birth", "sex",
                    "address_line_1", "address_line_2", "town", "postcode", "nino", "nhs_number", "upn", "cohort",
                    "date_identified", "crime_asb", "education", "children_in_need", "worklessness",
                    "domestic_abuse", "health");
        }

        @Test
        void requiresTheContractsRequiredColumns() {
            assertThat(schema.requiredColumns()).containsExactlyInAnyOrder(
                    "person_ref", "family_ref", "forename", "surname", "date_of_birth", "sex", "postcode", "cohort",
                    "date_identified", "crime_asb", "education", "children_in_need", "worklessness",
                    "domestic_abuse", "health");
        }

        @Test
        void exposesUniqueColumnsForTheCaller() {
            assertThat(schema.uniqueColumns()).containsExactly("person_ref");
        }

        @Test
        void readsRuleArgumentsAsStrings() {
            ColumnSpec dob = schema.column("date_of_birth").orElseThrow();
            assertThat(dob.rules()).containsExactly(RuleSpec.of("iso_date"), RuleSpec.of("not_in_future"),
                    new RuleSpec("not_before", List.of("1900-01-01")));
            assertThat(schema.column("sex").orElseThrow().rules())
                    .containsExactly(new RuleSpec("one_of", List.of("M", "F", "U")));
            assertThat(dob.maxLength()).isEqualTo(OptionalInt.of(10));
            assertThat(dob.mandatory()).isTrue();
            assertThat(schema.column("nino").orElseThrow().mandatory()).isFalse();
        }

        @Test
        void isImmutable() {
            assertThatThrownBy(() -> schema.columns().clear()).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class Failures {

        @Test
        void unknownRuleNameFailsClearly() {
            assertThatThrownBy(() -> load(oneColumn("    required: true\n    value: mandatory\n    rules: [iso_dat]\n")))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("columns[0].rules[0]")
                    .hasMessageContaining("unknown rule 'iso_dat'");
        }

        @Test
        void aListedValueLongerThanMaxLengthFails() {
            assertThatThrownBy(() -> load(oneColumn("    required: true\n    value: mandatory\n    maxLength: 5\n"
                    + "    rules:\n      - one_of: [SHORT, TOO_LONG]\n")))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("TOO_LONG");
        }

        @Test
        void unknownColumnKeyFails() {
            assertThatThrownBy(() -> load(oneColumn("    required: true\n    value: mandatory\n    maxLen: 3\n")))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("unknown key 'maxLen'");
        }

        @Test
        void unknownTopLevelKeyFails() {
            assertThatThrownBy(() -> load("dataset: x\nversion: 1\ncolums: []\n"))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("unknown key 'colums'");
        }

        @Test
        void ruleArgumentsAreChecked() {
            assertThatThrownBy(() -> load(oneColumn(
                    "    required: true\n    value: mandatory\n    rules: [iso_date, {not_before: yesterday}]\n")))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("not_before");
            assertThatThrownBy(() -> load(oneColumn("    required: true\n    value: mandatory\n    rules: [{flag: 1}]\n")))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("takes no arguments");
        }

        @Test
        void dateComparisonNeedsIsoDate() {
            assertThatThrownBy(() -> load(oneColumn("    required: true\n    value: mandatory\n    rules: [not_in_future]\n")))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("iso_date");
        }

        @Test
        void mandatoryValueInOptionalColumnFails() {
            assertThatThrownBy(() -> load(oneColumn("    required: false\n    value: mandatory\n")))
                    .isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("must be required");
        }

        @Test
        void duplicateColumnFails() {
            String yaml = "dataset: x\nversion: 1\ncolumns:\n"
                    + "  - {name: a, required: true, value: optional}\n"
                    + "  - {name: a, required: true, value: optional}\n";
            assertThatThrownBy(() -> load(yaml)).isInstanceOf(SchemaLoadException.class)
                    .hasMessageContaining("declared twice");
        }

        @Test
        void badBooleanAndVersionFail() {
            assertThatThrownBy(() -> load(oneColumn("    required: yes\n    value: mandatory\n")))
                    .isInstanceOf(SchemaLoadException.class).hasMessageContaining("true or false");
            assertThatThrownBy(() -> load("dataset: x\nversion: one\ncolumns: []\n"))
                    .isInstanceOf(SchemaLoadException.class).hasMessageContaining("version");
        }

        @Test
        void notYamlOrMissingResourceFails() {
            assertThatThrownBy(() -> load("dataset: [unclosed\n")).isInstanceOf(SchemaLoadException.class);
            assertThatThrownBy(() -> DatasetSchemaLoader.loadClasspath("schemas/no-such-v9.yaml"))
                    .isInstanceOf(SchemaLoadException.class).hasMessageContaining("not found");
        }

        @Test
        void arbitraryTypesAreNotConstructed() {
            assertThatThrownBy(() -> load("!!java.io.File ['/tmp']\n")).isInstanceOf(SchemaLoadException.class);
        }
    }

    @Nested
    class NewVersions {

        @Test
        void aNewVersionIsJustAnotherDocument() {
            DatasetSchema schema = load("dataset: council-batch\nversion: 2\ncolumns:\n"
                    + "  - {name: person_ref, required: true, value: mandatory, maxLength: 64, rules: [unique]}\n"
                    + "  - {name: flag_col, required: true, value: mandatory, rules: [{one_of: [0, 1]}]}\n");
            assertThat(schema.version()).isEqualTo(2);
            assertThat(schema.column("flag_col").orElseThrow().rules())
                    .containsExactly(new RuleSpec("one_of", List.of("0", "1")));
        }
    }
}
