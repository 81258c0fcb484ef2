package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentifierChecksTest {

    @Nested
    class Postcodes {

        @ParameterizedTest
        @ValueSource(strings = {"CM1 1QH", "cm11qh", " Cm1   1qH ", "SW1A 1AA", "EC1A 1BB", "W1A 0AX", "M1 1AE",
                "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA", "sw1a\t1aa"})
        void acceptsValidFormatsInAnyCaseAndSpacing(String postcode) {
            assertThat(UkPostcode.isValid(postcode)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "CM1", "1QH", "CM1 1Q", "QM1 1QH", "VM1 1AA", "XM1 1AA", "AI1 1AA", "CM1 1CH",
                "CM1 1QI", "CM1 QQH", "CM11 1QHX", "C-M1 1QH", "SW1A 1AA1", "AA1C 1AA"})
        void rejectsInvalidFormats(String postcode) {
            assertThat(UkPostcode.isValid(postcode)).isFalse();
        }

        @Test
        void rejectsNull() {
            assertThat(UkPostcode.isValid(null)).isFalse();
        }

        @Test
        void normalisesToUpperCaseOutwardSpaceInward() {
            assertThat(UkPostcode.normalise("cm11qh")).isEqualTo("CM1 1QH");
            assertThat(UkPostcode.normalise("  sw1a   1aa ")).isEqualTo("SW1A 1AA");
            assertThat(UkPostcode.normalise("DN551PT")).isEqualTo("DN55 1PT");
        }

        @Test
        void givesOutwardCode() {
            assertThat(UkPostcode.outwardCode("cm1 1qh")).isEqualTo("CM1");
            assertThat(UkPostcode.outwardCode("SW1A1AA")).isEqualTo("SW1A");
        }

        @Test
        void invalidInputIsNotEchoed() {
            assertThatThrownBy(() -> UkPostcode.normalise("ZZ99 9ZZX"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageNotContaining("ZZ99");
        }
    }

    @Nested
    class NationalInsuranceNumbers {

        @ParameterizedTest
        @ValueSource(strings = {"AB123456C", "ab 12 34 56 c", "JG 10 37 59 A", "CE123456D", "AB123456A"})
        void acceptsValidNumbers(String nino) {
            assertThat(NationalInsuranceNumber.isValid(nino)).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "DA123456A", "FA123456A", "IA123456A", "QA123456A", "UA123456A", "VA123456A", // bad first letter
                "AD123456A", "AF123456A", "AI123456A", "AQ123456A", "AU123456A", "AV123456A", // bad second letter
                "AO123456A", // O never second
                "BG123456A", "GB123456A", "NK123456A", "KN123456A", "TN123456A", "NT123456A", "ZZ123456A",
                "QQ123456C", // the HMRC documentation example is not allocatable
                "AB123456E", "AB123456", "AB12345C", "AB1234567C", "A1123456C", "", "AB-12-34-56-C"})
        void rejectsInvalidNumbers(String nino) {
            assertThat(NationalInsuranceNumber.isValid(nino)).isFalse();
        }

        @Test
        void normalisesToUpperCaseWithoutSpaces() {
            assertThat(NationalInsuranceNumber.normalise(" ab 12 34 56 c ")).isEqualTo("AB123456C");
        }
    }

    @Nested
    class NhsNumbers {

        @Test
        void acceptsWellKnownTestNumber() {
            assertThat(NhsNumber.isValid("9434765919")).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"943 476 5919", "943-476-5919", " 9434765919 "})
        void acceptsSpacesAndHyphensAsSeparators(String value) {
            assertThat(NhsNumber.isValid(value)).isTrue();
            assertThat(NhsNumber.normalise(value)).isEqualTo("9434765919");
        }

        @Test
        void acceptsNumbersGeneratedFromTheAlgorithm() {
            int generated = 0;
            for (int i = 0; i < 200; i++) {
                String nhs = SyntheticIds.nhsNumber(String.format("999%06d", i * 4999 % 1_000_000));
                if (nhs != null && !nhs.chars().allMatch(c -> c == nhs.charAt(0))) {
                    assertThat(NhsNumber.isValid(nhs)).as("generated %s", nhs).isTrue();
                    generated++;
                }
            }
            assertThat(generated).isGreaterThan(150);
        }

        @Test
        void rejectsWrongCheckDigit() {
            assertThat(NhsNumber.isValid("9434765918")).isFalse();
        }

        @Test
        void rejectsWhenCheckWouldBeTen() {
            String firstNine = findNineDigitsWithCheckTen();
            assertThat(NhsNumber.checkDigit(firstNine)).isEqualTo(-1);
            for (int d = 0; d <= 9; d++) {
                assertThat(NhsNumber.isValid(firstNine + d)).isFalse();
            }
        }

        @Test
        void rejectsRepeatedDigitsThatPassTheModulus() {
            assertThat(NhsNumber.checkDigit("444444444")).isEqualTo(4);
            assertThat(NhsNumber.isValid("4444444444")).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "943476591", "94347659190", "943476591X", "9434.765919", "９４３４７６５９１９"})
        void rejectsMalformedInput(String value) {
            assertThat(NhsNumber.isValid(value)).isFalse();
        }

        private String findNineDigitsWithCheckTen() {
            for (int i = 0; i < 1000; i++) {
                String candidate = String.format("999%06d", i);
                if (SyntheticIds.nhsNumber(candidate) == null) {
                    return candidate;
                }
            }
            throw new AssertionError("no prefix with check value 10 found");
        }
    }

    @Nested
    class UniquePupilNumbers {

        @ParameterizedTest
        @ValueSource(strings = {"801200001001", "938401112345", "000000000000", "999999999999"})
        void acceptsGeneratedPermanentUpns(String lastTwelve) {
            String upn = SyntheticIds.upn(lastTwelve);
            assertThat(UniquePupilNumber.isValid(upn)).isTrue();
            assertThat(UniquePupilNumber.checkLetter(lastTwelve)).isEqualTo(upn.charAt(0));
        }

        @ParameterizedTest
        @ValueSource(strings = {"80120000100A", "93840111234Z", "80120000100H"})
        void acceptsGeneratedTemporaryUpns(String lastTwelve) {
            assertThat(UniquePupilNumber.isValid(SyntheticIds.upn(lastTwelve))).isTrue();
        }

        @Test
        void acceptsLowerCase() {
            assertThat(UniquePupilNumber.isValid(SyntheticIds.upn("80120000100A").toLowerCase())).isTrue();
        }

        @Test
        void rejectsWrongCheckLetter() {
            String upn = SyntheticIds.upn("801200001001");
            char wrong = upn.charAt(0) == 'A' ? 'B' : 'A';
            assertThat(UniquePupilNumber.isValid(wrong + upn.substring(1))).isFalse();
        }

        @Test
        void rejectsAChangedDigit() {
            String upn = SyntheticIds.upn("801200001001");
            assertThat(UniquePupilNumber.isValid(upn.substring(0, 5) + '9' + upn.substring(6))).isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"80120000100I", "80120000100O", "80120000100S"})
        void rejectsExcludedTemporaryLetters(String lastTwelve) {
            for (char check : UniquePupilNumber.ALPHABET.toCharArray()) {
                assertThat(UniquePupilNumber.isValid(check + lastTwelve)).isFalse();
            }
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "A80120000100", "A8012000010011", "A8012000A1001", "1801200001001"})
        void rejectsMalformedInput(String value) {
            assertThat(UniquePupilNumber.isValid(value)).isFalse();
        }
    }
}
