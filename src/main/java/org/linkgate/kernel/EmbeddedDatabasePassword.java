package org.linkgate.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password of the embedded H2 database (the zero-set-up default), kept in the secrets dir as
 * {@value GatewaySecrets#DATABASE_PASSWORD}: generated on first start, so the default needs no set-up
 * and a copy of the database file alone does not open. A database created before the gateway had
 * one (with an empty password) is given the generated password once. Other databases are left alone.
 */
public final class EmbeddedDatabasePassword {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabasePassword.class);
    private static final String H2_FILE = "jdbc:h2:file:";

    private EmbeddedDatabasePassword() {
    }

    /** Whether this is an embedded H2 file database configured without a password. */
    public static boolean applies(String url, String password) {
        return url != null && url.regionMatches(true, 0, H2_FILE, 0, H2_FILE.length())
                && (password == null || password.isEmpty());
    }

    /**
     * The password to use for {@code url}: read from the secrets dir, or generated there (and set on an
     * existing password-less database) on first start.
     *
     * @throws IllegalStateException if the password file is unreadable or looser than owner-only, or an
     *                               existing database cannot be given the new password
     */
    public static String resolve(String url, String username, GatewayHome home) {
        Path file = home.secretsDir().resolve(GatewaySecrets.DATABASE_PASSWORD);
        Path dir = databasePath(url).toAbsolutePath().getParent();
        if (dir != null) {
            // H2 creates its files with the process umask: the directory keeps them owner-only.
            HomeFileModes.ownerOnly(dir);
        }
        if (Files.isRegularFile(file)) {
            return SecretFiles.readText(file);
        }
        String password = SecretFiles.randomPassphrase();
        if (databaseExists(url)) {
            setPassword(url, username, password);
            LOG.warn("the embedded database {} had no password: it now has one, generated into {}", databasePath(url), file);
        } else {
            LOG.info("embedded database password generated into {}", file);
        }
        SecretFiles.writeIfMissing(file, password);
        return SecretFiles.readText(file);
    }

    private static void setPassword(String url, String username, String password) {
        try (Connection connection = DriverManager.getConnection(url, username, "");
             PreparedStatement alter = connection.prepareStatement("alter user " + plainName(username) + " set password ?")) {
            alter.setString(1, password);
            alter.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot give the existing embedded database " + databasePath(url)
                    + " its generated password (" + e.getMessage() + "); write its password into "
                    + GatewaySecrets.DATABASE_PASSWORD + " in the secrets dir", e);
        }
    }

    /** A user name as an SQL identifier: only plain names are accepted (it cannot be a parameter). */
    private static String plainName(String username) {
        if (username == null || !username.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")) {
            throw new IllegalStateException("embedded database user name must be a plain identifier");
        }
        return username;
    }

    /** The file path in the URL, without H2's {@code .mv.db} suffix. */
    static Path databasePath(String url) {
        String rest = url.substring(H2_FILE.length());
        int options = rest.indexOf(';');
        return Path.of(options < 0 ? rest : rest.substring(0, options));
    }

    static boolean databaseExists(String url) {
        Path base = databasePath(url);
        return Files.exists(base.resolveSibling(base.getFileName() + ".mv.db"));
    }
}
