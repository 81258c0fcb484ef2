package org.linkgate.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CouncilBatchNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"E10000012_2015-06_01.csv.gpg", "E10000012_2015-06_01.csv.pgp", "W06000015_2024-12_99.csv.asc"})
    void contractNamesParse(String name) {
        assertThat(CouncilBatchName.parse(name)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"E10000012_2015-13_01.csv.gpg", "E10000012_2015-06_1.csv.gpg", "e10000012_2015-06_01.csv.gpg",
            "E10000012_2015-06_01.csv", "E10000012_2015-06_01.txt.gpg", "../E10000012_2015-06_01.csv.gpg",
            "E10000012_2015-06_01.csv.gpg.part", "X10000012_2015-06_01.csv.gpg", "E1000001_2015-06_01.csv.gpg"})
    void otherNamesDoNot(String name) {
        assertThat(CouncilBatchName.parse(name)).isEmpty();
    }
}
