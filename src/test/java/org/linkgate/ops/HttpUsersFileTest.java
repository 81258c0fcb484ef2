package org.linkgate.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.kernel.GatewayHome;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;

/** {@code users.properties} holds password hashes, a dictionary attack's input: owner-only or the gateway stops. */
class HttpUsersFileTest {

    @TempDir
    Path dir;

    @Test
    void aUsersFileOthersCanReadStopsTheStart() throws Exception {
        Path file = Files.createDirectories(dir.resolve("config")).resolve(HttpSecurityConfiguration.USERS_FILE);
        Files.writeString(file, "operator = " + PasswordEncoderFactories.createDelegatingPasswordEncoder().encode("pw")
                + ",ROLE_OPERATOR\n");
        GatewayHome home = new GatewayHome(dir, dir.resolve("secrets"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> new HttpSecurityConfiguration().users(home))
                .hasMessageContaining(HttpSecurityConfiguration.USERS_FILE).hasMessageContaining("chmod 600");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(new HttpSecurityConfiguration().users(home).userExists("operator")).isTrue();
    }
}
