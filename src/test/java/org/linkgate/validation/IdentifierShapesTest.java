package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.linkgate.validation.IdentifierShapes.Shape.EMAIL;
import static org.linkgate.validation.IdentifierShapes.Shape.NHS_NUMBER;
import static org.linkgate.validation.IdentifierShapes.Shape.NINO;
import static org.linkgate.validation.IdentifierShapes.Shape.POSTCODE;
import static org.linkgate.validation.IdentifierShapes.Shape.UPN;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Identifiers hidden inside free text are found; codes that only look alike are not. Synthetic values only. */
class IdentifierShapesTest {

    @Nested
    class Finds {

        @Test
        void aPostcodeInsideASentenceInAnyCaseOrSpacing() {
            assertThat(IdentifierShapes.find("Lives at SW1A 1AA")).containsExactly(POSTCODE);
            assertThat(IdentifierShapes.find("moved to sw1a1aa last year")).containsExactly(POSTCODE);
            assertThat(IdentifierShapes.find("(CM1\u00A01QH)")).containsExactly(POSTCODE);
            assertThat(IdentifierShapes.find("GIR 0AA")).containsExactly(POSTCODE);
            assertThat(IdentifierShapes.find("b1 1aa,")).containsExactly(POSTCODE);
        }

        @Test
        void anNhsNumberInsideTextWithOrWithoutSeparators() {
            assertThat(IdentifierShapes.find("NHS 9434765919")).containsExactly(NHS_NUMBER);
            assertThat(IdentifierShapes.find("nhs no: 943 476 5919.")).containsExactly(NHS_NUMBER);
            assertThat(IdentifierShapes.find("ref 943-476-5919")).containsExactly(NHS_NUMBER);
        }

        @Test
        void aNinoAUpnAndAnEmail() {
            assertThat(IdentifierShapes.find("NI AB123456C")).containsExactly(NINO);
            assertThat(IdentifierShapes.find("ni: ab 12 34 56 c")).containsExactly(NINO);
            String upn = UniquePupilNumber.checkLetter("801200001001") + "801200001001";
            assertThat(IdentifierShapes.find("pupil " + upn + " left")).containsExactly(UPN);
            assertThat(IdentifierShapes.find("contact j.bloggs@example.invalid")).containsExactly(EMAIL);
        }

        @Test
        void severalShapesInOneValue() {
            assertThat(IdentifierShapes.find("AB123456C at SW1A 1AA, NHS 9434765919"))
                    .containsExactlyInAnyOrder(NINO, POSTCODE, NHS_NUMBER);
        }

        @Test
        void aValidCandidateAfterAnInvalidOne() {
            // QQ1 is no outward code (Q cannot start one): the scan goes on to the real postcode.
            assertThat(IdentifierShapes.find("QQ1 1AA SW1A 1AA")).containsExactly(POSTCODE);
            assertThat(IdentifierShapes.find("9434765918 or 9434765919")).containsExactly(NHS_NUMBER);
        }
    }

    @Nested
    class DoesNotFind {

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "COMPLETED", "OPIATE", "2015-06-30", "12", "A1", "treatment ended 2019",
                "9434765918", "94347659190", "19434765919", "SW1A 1A", "SW1A 1AAA", "XSW1A 1AA", "QQ1 1AA",
                "AB123456", "BG123456C", "AB123456E", "A801200001001", "user@localhost", "e10000012",
                "fanout-dfe", "DFE_2015-06_0123456789abcdef0123456789abcdef.csv.pgp"})
        void codesDatesAndBrokenCandidates(String value) {
            assertThat(IdentifierShapes.find(value)).as(value).isEmpty();
            assertThat(IdentifierShapes.containsAny(value)).isFalse();
        }

        @Test
        void aDepartmentsOwnTokenOrAHashIsNotAnIdentifier() {
            assertThat(IdentifierShapes.find("3f6c0a1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddee")).isEmpty();
        }

        @Test
        void nullIsNothing() {
            assertThat(IdentifierShapes.find(null)).isEmpty();
        }
    }

    @Test
    void aLongValueIsScannedWhole() {
        String padding = "x ".repeat(50_000);
        assertThat(IdentifierShapes.find(padding + "SW1A 1AA")).containsExactly(POSTCODE);
        assertThat(IdentifierShapes.find("9".repeat(100_000))).isEmpty();
    }
}
