package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Lexical classification of client paths per account layout; the home is {@code /}. */
class DropZoneAreaTest {

    @ParameterizedTest
    @CsvSource({
        "/, HOME",
        "/.., HOME",
        "/inbound/.., HOME",
        "/inbound, WRITABLE_DIRECTORY",
        "/outbound/../inbound, WRITABLE_DIRECTORY",
        "/outbound, READABLE_DIRECTORY",
        "/inbound/x.gpg, WRITABLE_FILE",
        "/inbound/x.gpg.part, WRITABLE_FILE",
        "/outbound/x.report.json.pgp, READABLE_FILE",
        "/../inbound/x.gpg, WRITABLE_FILE",
        "/x.gpg, ELSEWHERE",
        "/inbound/sub/x.gpg, ELSEWHERE",
        "/other/inbound, ELSEWHERE",
        "/inboundx/y, ELSEWHERE",
        "/returns, ELSEWHERE",
        "/returns/x.csv.pgp, ELSEWHERE",
        "/upload/x.csv.pgp, ELSEWHERE",
    })
    void classifiesCouncilPaths(String path, DropZoneArea expected) {
        assertThat(DropZoneArea.of(Path.of(path), SftpLayout.COUNCIL)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "/, HOME",
        "/returns/.., HOME",
        "/returns, WRITABLE_DIRECTORY",
        "/upload/../returns, WRITABLE_DIRECTORY",
        "/upload, READABLE_DIRECTORY",
        "/returns/DFE_NPD_7.csv.pgp.part, WRITABLE_FILE",
        "/returns/DFE_NPD_7.csv.pgp, WRITABLE_FILE",
        "/upload/DFE_2015-06_7.csv.pgp, READABLE_FILE",
        "/../upload/DFE_2015-06_7.csv.pgp, READABLE_FILE",
        "/DFE_NPD_7.csv.pgp, ELSEWHERE",
        "/returns/sub/x.pgp, ELSEWHERE",
        "/uploads/x.pgp, ELSEWHERE",
        "/inbound, ELSEWHERE",
        "/inbound/x.gpg, ELSEWHERE",
        "/outbound/x.report.json.pgp, ELSEWHERE",
    })
    void classifiesDepartmentPaths(String path, DropZoneArea expected) {
        assertThat(DropZoneArea.of(Path.of(path), SftpLayout.DEPARTMENT)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "/inbound/x.gpg, inbound/x.gpg",
        "/inbound/../outbound/r.pgp, outbound/r.pgp",
        "/returns/x.part, returns/x.part",
    })
    void relativePath(String path, String expected) {
        assertThat(DropZoneArea.relativePath(Path.of(path))).isEqualTo(expected);
    }
}
