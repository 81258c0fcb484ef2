package org.linkgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secret files others could read are refused before they are read, naming the file and mode, never the value. */
class SecretFilesTest {

    static final String VALUE = "dGhpcyBpcyBub3QgYSByZWFsIGtleSBidXQgaXQgaXMgMzI=";

    @TempDir
    Path dir;

    @Test
    void aKeyFileReadableByGroupOrOthersIsRefused() throws Exception {
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw-------"}) {
            Path file = dir.resolve("key-" + mode);
            Files.writeString(file, VALUE);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            if (mode.equals("rw-------")) {
                assertThat(SecretFiles.readText(file)).isEqualTo(VALUE);
                continue;
            }
            assertThatThrownBy(() -> SecretFiles.readText(file)).as(mode)
                    .hasMessageContaining(file.toString()).hasMessageContaining(mode).hasMessageContaining("chmod 600")
                    .hasMessageNotContaining(VALUE);
        }
    }

    @Test
    void writtenSecretsAreOwnerOnlyWhateverTheUmask() throws Exception {
        Path nested = dir.resolve("a/b/secret");
        SecretFiles.writeIfMissing(nested, VALUE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b")))).isEqualTo("rwx------");
        Path replaced = dir.resolve("users.properties");
        Files.writeString(replaced, "old");
        Files.setPosixFilePermissions(replaced, PosixFilePermissions.fromString("rw-r--r--"));
        SecretFiles.writeOwnerOnly(replaced, "new");
        assertThat(Files.readString(replaced)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(replaced))).isEqualTo("rw-------");
    }

    @Test
    void aKubernetesSecretMountedForTheGatewaysGroupIsAccepted() throws Exception {
        ProcessIdentity self = ProcessIdentity.current();
        Assumptions.assumeTrue(self != null && self.uid() == 0, "needs root to give a file to another owner");
        Path file = Files.writeString(dir.resolve("mounted"), VALUE);
        // As the kubelet leaves it with fsGroup: owned by another user, group the gateway's, 0440.
        Files.setAttribute(file, "unix:uid", 4242);
        Files.setAttribute(file, "unix:gid", (int) self.gid());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r-----"));
        assertThat(SecretFiles.readText(file)).isEqualTo(VALUE);
        // Another group, or others too, or a group that may write: refused.
        Files.setAttribute(file, "unix:gid", 4343);
        assertThatThrownBy(() -> SecretFiles.readText(file)).hasMessageContaining("accessible to group or others");
        Files.setAttribute(file, "unix:gid", (int) self.gid());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> SecretFiles.readText(file)).hasMessageContaining("accessible to group or others");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--rw----"));
        assertThatThrownBy(() -> SecretFiles.readText(file)).hasMessageContaining("accessible to group or others");
    }

    @Test
    void theHomeAndSecretsDirAreMadeOwnerOnlyAndALooseUmaskIsMeasured() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(secrets, PosixFilePermissions.fromString("rwxrwxrwx"));
        String mode = HomeFileModes.secure(new GatewayHome(home, secrets));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rwx------");
        // What a file created with no mode gets here, e.g. rw-r--r-- under umask 022; no probe is left behind.
        assertThat(mode).matches("rw-[r-][w-]-[r-][w-]-");
        try (var left = Files.list(home)) {
            assertThat(left).isEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                GatewayHome.ensureDirectory(home.resolve("x/y/z"))))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("x"))))
                .isEqualTo("rwx------");
    }
}
