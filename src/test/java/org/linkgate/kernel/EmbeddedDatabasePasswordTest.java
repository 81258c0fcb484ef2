package org.linkgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 database gets a generated password on first start, kept owner-only in the secrets
 * dir; a database made before that (with an empty password, as the gateway made them) is given it,
 * so a copy of the database file no longer opens with the empty password.
 */
class EmbeddedDatabasePasswordTest {

    @TempDir
    Path dir;

    String url(Path home) {
        return "jdbc:h2:file:" + home.resolve("db/linkgate") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE";
    }

    @Test
    void anExistingPasswordlessDatabaseIsGivenTheGeneratedPassword() throws Exception {
        GatewayHome home = new GatewayHome(dir.resolve("home"), dir.resolve("secrets"));
        String url = url(home.root());
        try (Connection old = DriverManager.getConnection(url, "linkgate", "")) {
            old.createStatement().execute("create table t (x int)");
        }
        assertThat(EmbeddedDatabasePassword.applies(url, "")).isTrue();
        String password = EmbeddedDatabasePassword.resolve(url, "linkgate", home);

        Path file = home.secretsDir().resolve(GatewaySecrets.DATABASE_PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.root().resolve("db"))))
                .isEqualTo("rwx------");
        assertThat(password).hasSizeGreaterThanOrEqualTo(24).isEqualTo(Files.readString(file).strip());
        // The attack: someone with a copy of the file and the old (empty) password.
        assertThatThrownBy(() -> DriverManager.getConnection(url, "linkgate", "").close()).isInstanceOf(SQLException.class);
        try (Connection now = DriverManager.getConnection(url, "linkgate", password)) {
            assertThat(now.createStatement().executeQuery("select count(*) from t").next()).isTrue();
        }
        assertThat(EmbeddedDatabasePassword.resolve(url, "linkgate", home)).as("the same on every start").isEqualTo(password);
    }

    @Test
    void aNewDatabaseIsCreatedWithTheGeneratedPassword() throws Exception {
        GatewayHome home = new GatewayHome(dir.resolve("fresh"), dir.resolve("fresh-secrets"));
        String url = url(home.root());
        String password = EmbeddedDatabasePassword.resolve(url, "linkgate", home);
        try (Connection first = DriverManager.getConnection(url, "linkgate", password)) {
            assertThat(first.isValid(5)).isTrue();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, "linkgate", "").close()).isInstanceOf(SQLException.class);
    }

    @Test
    void aLoosePasswordFileIsRefusedAndOtherDatabasesAreLeftAlone() throws Exception {
        GatewayHome home = new GatewayHome(dir.resolve("loose"), dir.resolve("loose-secrets"));
        Path file = Files.createDirectories(home.secretsDir()).resolve(GatewaySecrets.DATABASE_PASSWORD);
        Files.writeString(file, "password");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> EmbeddedDatabasePassword.resolve(url(home.root()), "linkgate", home))
                .hasMessageContaining("accessible to group or others");
        assertThat(EmbeddedDatabasePassword.applies("jdbc:postgresql://db/linkgate", "")).isFalse();
        assertThat(EmbeddedDatabasePassword.applies("jdbc:h2:mem:test", "")).isFalse();
        assertThat(EmbeddedDatabasePassword.applies(url(home.root()), "configured")).isFalse();
    }
}
