package org.linkgate.returns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnFileNameTest {

    private static final String EXTRACT = "0123456789abcdef0123456789abcdef";

    @Test
    void parsesTheThreePartsAndTheExtension() {
        ReturnFileName name = ReturnFileName.parse("DWP_WPLS_" + EXTRACT + ".csv.pgp").orElseThrow();
        assertThat(name.department()).isEqualTo("DWP");
        assertThat(name.dataset()).isEqualTo("WPLS");
        assertThat(name.extractId()).isEqualTo(EXTRACT);
        assertThat(name.extension()).isEqualTo("pgp");
        assertThat(name.fileName()).isEqualTo("DWP_WPLS_" + EXTRACT + ".csv.pgp");
        assertThat(ReturnFileName.parse("HSCIC_HES2_" + EXTRACT + ".csv.asc")).isPresent();
        assertThat(ReturnFileName.parse("MOJ_PNC_" + EXTRACT + ".csv.gpg")).isPresent();
    }

    @Nested
    class Refused {

        @ParameterizedTest
        @ValueSource(strings = {
            "dwp_WPLS_0123456789abcdef0123456789abcdef.csv.pgp",      // lower-case department
            "D_WPLS_0123456789abcdef0123456789abcdef.csv.pgp",        // department too short
            "DEPARTMENT_WPLS_0123456789abcdef0123456789abcdef.csv.pgp", // too long
            "DWP_W_0123456789abcdef0123456789abcdef.csv.pgp",         // dataset too short
            "DWP_wpls_0123456789abcdef0123456789abcdef.csv.pgp",      // lower-case dataset
            "DWP_WPLS_0123456789ABCDEF0123456789ABCDEF.csv.pgp",      // upper-case extract id
            "DWP_WPLS_0123456789abcdef0123456789abcde.csv.pgp",       // 31 digits
            "DWP_WPLS_0123456789abcdef0123456789abcdef.csv",          // not encrypted
            "DWP_WPLS_0123456789abcdef0123456789abcdef.csv.zip",
            "DWP_WPLS_0123456789abcdef0123456789abcdef.CSV.PGP",
            "DWP_WPLS_0123456789abcdef0123456789abcdef.csv.pgp.pgp",
            "../DWP_WPLS_0123456789abcdef0123456789abcdef.csv.pgp",
            "DWP_WPLS_X_0123456789abcdef0123456789abcdef.csv.pgp",
            " DWP_WPLS_0123456789abcdef0123456789abcdef.csv.pgp",
            ""})
        void anythingElse(String fileName) {
            assertThat(ReturnFileName.parse(fileName)).isEmpty();
        }

        @Test
        void nullAndOverlongNames() {
            assertThat(ReturnFileName.parse(null)).isEmpty();
            assertThat(ReturnFileName.parse("A".repeat(300))).isEmpty();
        }

        @Test
        void theConstructorChecksEachPart() {
            assertThatThrownBy(() -> new ReturnFileName("DWP", "WPLS", "xyz", "pgp"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extractId");
        }
    }
}
