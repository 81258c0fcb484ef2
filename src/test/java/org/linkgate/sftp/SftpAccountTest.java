package org.linkgate.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class SftpAccountTest {

    private static final Path HOME = Path.of("/srv/linkgate/sftp/x");

    @Test
    void threeArgumentConstructorMeansCouncil() {
        SftpAccount account = new SftpAccount("e10000012", HOME, List.of());
        assertThat(account.layout()).isEqualTo(SftpLayout.COUNCIL);
        assertThat(account).isEqualTo(SftpAccount.council("e10000012", HOME, List.of()));
        assertThat(account.partnerWritableDirectory()).isEqualTo(HOME.resolve("inbound"));
        assertThat(account.partnerReadableDirectory()).isEqualTo(HOME.resolve("outbound"));
    }

    @Test
    void departmentWritesReturnsAndReadsUpload() {
        SftpAccount account = SftpAccount.department("dfe", HOME, List.of());
        assertThat(account.layout()).isEqualTo(SftpLayout.DEPARTMENT);
        assertThat(account.partnerWritableDirectory()).isEqualTo(HOME.resolve("returns"));
        assertThat(account.partnerReadableDirectory()).isEqualTo(HOME.resolve("upload"));
    }

    @Test
    void layoutIsRequired() {
        assertThatThrownBy(() -> new SftpAccount("dfe", HOME, List.of(), null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("layout");
    }
}
