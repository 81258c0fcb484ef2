package org.linkgate.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.linkgate.kernel.SpreadsheetFormulaGuard;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.pseudonymisation.Pseudonymiser;

/** The small pieces of an extract: tokens, file names, initials, field values, the formula guard. */
class ExtractPartsTest {

    private static final PseudonymisationKey KEY = new PseudonymisationKey(new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

    @Nested
    class Tokens {
        @Test
        void isTheKeyedHashOfTheVersionedDepartmentAndPseudoId() {
            String pseudoId = new Pseudonymiser(KEY).hash("someone");
            assertThat(new DepartmentTokens(KEY).token("DFE", pseudoId))
                    .isEqualTo(new Pseudonymiser(KEY).hash("dept-v1|DFE|" + pseudoId))
                    .matches("[0-9a-f]{64}")
                    .isNotEqualTo(pseudoId)
                    .isNotEqualTo(new DepartmentTokens(KEY).token("PHE", pseudoId))
                    .isEqualTo(new DepartmentTokens(KEY).token("dfe", pseudoId));
        }

        @Test
        void refusesCodesThatCouldHideASeparatorAndBlankIds() {
            DepartmentTokens tokens = new DepartmentTokens(KEY);
            assertThatThrownBy(() -> tokens.token("DFE|X", "p")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tokens.token("", "p")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> tokens.token("DFE", " ")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class FileNames {
        @Test
        void followTheContract() {
            assertThat(ExtractWriter.fileName("DFE", "2015-06", "0a1b2c3d")).isEqualTo("DFE_2015-06_0a1b2c3d.csv.pgp");
        }

        @ParameterizedTest
        @ValueSource(strings = {"../x", "a_b", "a/b", "", "0123456789abcdef0123456789abcdef0"})
        void refuseExtractIdsThatBreakTheName(String extractId) {
            assertThatThrownBy(() -> ExtractWriter.fileName("DFE", "2015-06", extractId))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void refuseBadPeriodsAndCodes() {
            assertThatThrownBy(() -> ExtractWriter.fileName("DFE", "2015-13", "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ExtractWriter.fileName("D/E", "2015-06", "x")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class FieldValues {
        @Test
        void initialsAreUpperCaseWithoutAccents() {
            assertThat(MatchFieldValues.initials("Zoë", "O'Connor")).isEqualTo("ZO");
            assertThat(MatchFieldValues.initials("émile", "'t Hooft")).isEqualTo("ET");
            assertThat(MatchFieldValues.initials("Łucja", "Ørsted")).isEqualTo("LO");
            assertThat(MatchFieldValues.initials("iris", "İnce")).isEqualTo("II");
            assertThat(MatchFieldValues.initials(null, "Smith")).isEqualTo("S");
        }

        @Test
        void absentValuesAreEmptyAndUnknownFieldsRefused() {
            IdentityRecord identity = new IdentityRecord("Ann", null, "Smith", "1990-01-01", "F", null, null, null,
                    "ZZ99 3AA", null, null, null);
            assertThat(MatchFieldValues.value("middle_names", identity)).isEmpty();
            assertThat(MatchFieldValues.value("postcode", identity)).isEqualTo("ZZ99 3AA");
            assertThatThrownBy(() -> MatchFieldValues.value("cohort", identity)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> MatchFieldValues.requireExtractable(List.of("sex", "sex")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> MatchFieldValues.requireExtractable(List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class FormulaGuard {
        @ParameterizedTest
        @ValueSource(strings = {"=1+1", "+44 20", "-1", "@SUM(A1)", "\tx", "\rx"})
        void prefixesValuesThatStartLikeAFormula(String value) {
            assertThat(SpreadsheetFormulaGuard.neutralise(value)).isEqualTo("'" + value);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Smith", "O'Connor", "1990-01-01", "a=b", "", "'=already"})
        void leavesOtherValuesAlone(String value) {
            assertThat(SpreadsheetFormulaGuard.neutralise(value)).isEqualTo(value);
        }
    }
}
