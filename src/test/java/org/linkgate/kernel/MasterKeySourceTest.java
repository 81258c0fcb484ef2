package org.linkgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;

class MasterKeySourceTest {

    @TempDir
    Path root;

    static String randomKey() {
        byte[] key = new byte[MasterKey.BYTES];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    @Test
    void environmentWinsOverTheFileAndEachUnwrapsOnlyItsOwnDataKeys() throws Exception {
        Path secrets = Files.createDirectories(root.resolve("secrets-apart"));
        SecretFiles.writeIfMissing(secrets.resolve(GatewaySecrets.MASTER_KEY), randomKey());
        GatewayHome home = new GatewayHome(root.resolve("home"), secrets);
        MasterKey fromFile = MasterKeySource.load(home, Map.of());
        MasterKey fromEnvironment = MasterKeySource.load(home, Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, randomKey()));

        JdbcTemplate jdbc = new JdbcTemplate(TestDatabases.h2());
        Clock clock = Clock.systemUTC();
        String id = new DataKeyStore(jdbc, fromEnvironment, clock).create("test").id();
        assertThat(new DataKeyStore(jdbc, fromEnvironment, clock).get(id)).isNotNull();
        assertThatThrownBy(() -> new DataKeyStore(jdbc, fromFile, clock).get(id)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void malformedEnvironmentValueStopsStartUp() {
        GatewayHome home = new GatewayHome(root.resolve("home"), root.resolve("secrets"));
        assertThatThrownBy(() -> MasterKeySource.load(home, Map.of(MasterKeySource.ENVIRONMENT_VARIABLE, "not base64!")))
                .hasMessageContaining("not base64");
        assertThatThrownBy(() -> MasterKeySource.load(home, Map.of(MasterKeySource.ENVIRONMENT_VARIABLE,
                Base64.getEncoder().encodeToString(new byte[16])))).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKeySource.load(home, Map.of())).hasMessageContaining("missing");
    }
}
