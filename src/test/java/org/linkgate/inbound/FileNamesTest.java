package org.linkgate.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"batch.csv.gpg", "E10000012-2015-06.gpg", "report_1.txt", "DWP_WPLS_x.csv.gpg"})
    void plainWrongNamesCanBeEchoed(String name) {
        assertThat(FileNames.safeToEcho(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"..evil", "a b.gpg", "name;rm.gpg", "naïve.gpg", "-rf.gpg", ".hidden", ".unsafe",
            "line\nbreak.gpg", "tab\t.gpg"})
    void hostileNamesAreNotEchoed(String name) {
        assertThat(FileNames.safeToEcho(name)).isFalse();
    }
}
