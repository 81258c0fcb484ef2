package org.linkgate.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UntrustedTextTest {

    @Test
    void printableNamesPassUnchanged() {
        assertThat(UntrustedText.forLog("inbound/E10000012_2015-06_01.csv.gpg")).isEqualTo("inbound/E10000012_2015-06_01.csv.gpg");
        assertThat(UntrustedText.forLog("café déjà vu ü")).isEqualTo("café déjà vu ü");
        assertThat(UntrustedText.forLog("\uD83D\uDE00")).isEqualTo("\uD83D\uDE00");
    }

    @Test
    void lineBreaksAndOtherControlsBecomeVisibleEscapes() {
        assertThat(UntrustedText.forLog("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
        assertThat(UntrustedText.forLog("bell\u0007esc\u001b[31mdel\u007fnel\u0085")).isEqualTo(
                "bell\\u0007esc\\u001b[31mdel\\u007fnel\\u0085");
        assertThat(UntrustedText.forLog("line\u2028para\u2029")).isEqualTo("line\\u2028para\\u2029");
        // Bidirectional overrides and zero-width characters could hide what a name says.
        assertThat(UntrustedText.forLog("invoice\u202egpg.exe\u200b")).isEqualTo("invoice\\u202egpg.exe\\u200b");
        // Tag characters outside the BMP (invisible "ASCII smuggling").
        assertThat(UntrustedText.forLog("a\uDB40\uDC41")).isEqualTo("a\\U0e0041");
        assertThat(UntrustedText.forLog("lone\uD800")).isEqualTo("lone\\ud800");
    }

    @Test
    void aBackslashIsEscapedSoAnEscapeCannotBeForged() {
        assertThat(UntrustedText.forLog("a\\nb")).isEqualTo("a\\\\nb");
        assertThat(UntrustedText.forLog("a\\nb")).isNotEqualTo(UntrustedText.forLog("a\nb"));
    }

    @Test
    void nullIsNamedAndNothingIsCut() {
        assertThat(UntrustedText.forLog(null)).isEqualTo("(none)");
        String longName = "n".repeat(10_000);
        assertThat(UntrustedText.forLog(longName)).isEqualTo(longName);
    }
}
