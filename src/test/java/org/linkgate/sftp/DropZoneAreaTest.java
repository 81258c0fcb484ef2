package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lexical classification of client paths; the home is {@code /}. */
class DropZoneAreaTest {

    @ParameterizedTest
    @CsvSource({
        "/, HOME",
        "/.., HOME",
        "/inbound/.., HOME",
        "/inbound, INBOUND_DIRECTORY",
        "/outbound/../inbound, INBOUND_DIRECTORY",
        "/outbound, OUTBOUND_DIRECTORY",
        "/inbound/x.gpg, INBOUND_FILE",
        "/inbound/x.gpg.part, INBOUND_FILE",
        "/outbound/x.report.json.pgp, OUTBOUND_FILE",
        "/../inbound/x.gpg, INBOUND_FILE",
        "/x.gpg, ELSEWHERE",
        "/inbound/sub/x.gpg, ELSEWHERE",
        "/other/inbound, ELSEWHERE",
        "/inboundx/y, ELSEWHERE",
    })
    void classifies(String path, DropZoneArea expected) {
        assertThat(DropZoneArea.of(Path.of(path))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "/inbound/x.gpg, inbound/x.gpg",
        "/inbound/../outbound/r.pgp, outbound/r.pgp",
    })
    void relativePath(String path, String expected) {
        assertThat(DropZoneArea.relativePath(Path.of(path))).isEqualTo(expected);
    }
}
