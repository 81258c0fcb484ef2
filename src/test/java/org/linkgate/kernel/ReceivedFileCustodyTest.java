package org.linkgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.store.TestDatabases;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Kept files are sealed under a data key each, recorded, openable while the key lives, and only then. */
class ReceivedFileCustodyTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void sealsRecordsAndOpensUntilTheKeyIsDestroyed(String name, Supplier<DataSource> database) throws IOException {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        byte[] master = new byte[32];
        new SecureRandom().nextBytes(master);
        DataKeyStore keys = new DataKeyStore(jdbc, new MasterKey(master), CLOCK);
        GatewayHome home = new GatewayHome(root.resolve("home"), root.resolve("secrets"));
        ReceivedFileCustody custody = new ReceivedFileCustody(home, keys, jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(ds)), CLOCK);

        // Larger than several segments, with a marker that must not appear on disk.
        byte[] received = ("-----BEGIN PGP MESSAGE----- MARKER-IN-CLEAR ").repeat(10_000).getBytes(StandardCharsets.US_ASCII);
        Path dropped = Files.write(root.resolve("dropped.pgp"), received);
        String archived = custody.archive("E10000012", "intake-1", dropped, false);
        assertThat(archived).isEqualTo("archive/E10000012/intake-1" + ReceivedFileCustody.SUFFIX);
        assertThat(Files.exists(dropped)).as("a drop-zone file leaves once sealed").isFalse();
        byte[] onDisk = Files.readAllBytes(home.root().resolve(archived));
        assertThat(new String(onDisk, StandardCharsets.US_ASCII)).doesNotContain("MARKER-IN-CLEAR");
        try (InputStream in = custody.open(archived)) {
            assertThat(in.readAllBytes()).isEqualTo(received);
        }

        // A local copy of a remote file stays for the route to remove; quarantine has its own place.
        Path copy = Files.write(root.resolve("remote-copy.pgp"), received);
        String quarantined = custody.quarantine("DWP", "return-1", copy, true);
        assertThat(quarantined).isEqualTo("quarantine/DWP/return-1" + ReceivedFileCustody.SUFFIX);
        assertThat(Files.exists(copy)).isTrue();

        Map<String, Object> row = jdbc.queryForMap("select * from kept_file where subject_id = 'intake-1'");
        assertThat(row.get("place")).isEqualTo("ARCHIVE");
        assertThat(row.get("path")).isEqualTo(archived);
        assertThat(jdbc.queryForObject("select count(*) from kept_file where place = 'QUARANTINE' and partner_code = 'DWP'",
                Long.class)).isEqualTo(1);
        // Each file its own key.
        assertThat(jdbc.queryForObject("select count(distinct data_key_id) from kept_file", Long.class)).isEqualTo(2);

        // Tampered: refused. Outside the home: refused. Key destroyed: unreadable.
        onDisk[onDisk.length - 5] ^= 1;
        Files.write(home.root().resolve("archive/E10000012/tampered" + ReceivedFileCustody.SUFFIX), onDisk);
        assertThatThrownBy(() -> {
            try (InputStream in = custody.open("archive/E10000012/tampered" + ReceivedFileCustody.SUFFIX)) {
                in.readAllBytes();
            }
        }).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> custody.open("../secrets/master.key")).isInstanceOf(IllegalArgumentException.class);
        keys.destroy((String) row.get("data_key_id"));
        assertThatThrownBy(() -> custody.open(archived)).hasMessageContaining("destroyed");
    }
}
