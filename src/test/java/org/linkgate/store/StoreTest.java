package org.linkgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.inbound.InboundLedger;
import org.linkgate.inbound.InboundStatus;
import org.linkgate.inbound.TestLedgers;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.MasterKey;
import org.linkgate.pseudonymisation.AgeBand;
import org.linkgate.pseudonymisation.ResearchRecord;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The linkage store's SQL, run against both real databases: H2 and PostgreSQL. */
class StoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void writerDropsLaterDuplicatesAndCountsFamilies(String name, Supplier<DataSource> database) {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        InboundLedger ledger = TestLedgers.councils(jdbc, tx, CLOCK);
        String intake = TestLedgers.claimBatch(ledger, "E10000012", "E10000012_2015-06_01.csv.gpg", "c".repeat(64), 1, "2015-06");
        List<Long> duplicates = new ArrayList<>();
        {
            ResearchStoreWriter writer = new ResearchStoreWriter(jdbc, tx, intake);
            writer.add(record(2, "p1", "famA", "ref1"), new byte[] {1});
            writer.add(record(3, "p2", "famA", "ref2"), new byte[] {2});
            writer.add(record(4, "p3", "famB", "ref1"), new byte[] {3}); // same person_ref as row 2
            writer.add(record(5, "p4", "famA", "ref3"), new byte[] {4});
            writer.add(record(6, "p5", "famC", "ref2"), new byte[] {5}); // same person_ref as row 3
            assertThat(writer.removeLaterDuplicates(duplicates::add)).isEqualTo(2);
            writer.computeFamilySizes();
            assertThat(writer.written()).isEqualTo(3);
        }
        assertThat(duplicates).containsExactly(4L, 6L);
        assertThat(jdbc.queryForList("select row_number from identity_vault order by row_number", Long.class))
                .containsExactly(2L, 3L, 5L);
        // Staged only: research sees nothing until the file is recorded as accepted.
        assertThat(jdbc.queryForObject("select count(*) from research_person", Long.class)).isZero();
        TestLedgers.complete(ledger, tx, intake, "E10000012", InboundStatus.ACCEPTED, 5, 3);
        assertThat(jdbc.queryForList("select family_size from research_person order by row_number", Integer.class))
                .containsExactly(3, 3, 3);
        assertThat(jdbc.queryForList("select family_pseudo_id || '=' || family_size from research_family"
                + " order by family_pseudo_id", String.class)).containsExactly("famA=3");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void purgeRemovesStagedRowsInChunks(String name, Supplier<DataSource> database) {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        InboundLedger ledger = TestLedgers.councils(jdbc, tx, CLOCK);
        String intake = TestLedgers.claimBatch(ledger, "E10000012", "E10000012_2015-06_01.csv.gpg", "d".repeat(64), 1, "2015-06");
        ResearchStoreWriter writer = new ResearchStoreWriter(jdbc, tx, intake);
        for (int row = 2; row < 25_002; row++) {
            writer.add(record(row, "p" + row, "fam" + row / 4, "ref" + row), new byte[] {7});
        }
        writer.computeFamilySizes();

        StagedRows.purge(jdbc, tx, intake);

        for (String table : List.of("research_record", "identity_vault", "research_family")) {
            assertThat(jdbc.queryForObject("select count(*) from " + table + " where intake_id = ?", Long.class, intake))
                    .as(table).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void dataKeysWrapUnwrapAndShred(String name, Supplier<DataSource> database) {
        JdbcTemplate jdbc = new JdbcTemplate(database.get());
        DataKeyStore keys = new DataKeyStore(jdbc, new MasterKey(new byte[32]), CLOCK);
        DataKeyStore.DataKey key = keys.create("test");
        assertThat(keys.get(key.id()).key().getEncoded()).isEqualTo(key.key().getEncoded());
        byte[] wrapped = jdbc.queryForObject("select wrapped_key from data_key where id = ?", byte[].class, key.id());
        assertThat(new String(wrapped, java.nio.charset.StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(key.key().getEncoded(), java.nio.charset.StandardCharsets.ISO_8859_1));

        DataKeyStore otherMaster = new DataKeyStore(jdbc, new MasterKey(new byte[] {
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}), CLOCK);
        assertThatThrownBy(() -> otherMaster.get(key.id())).isInstanceOf(IllegalStateException.class);

        keys.destroy(key.id());
        assertThatThrownBy(() -> keys.get(key.id())).hasMessageContaining("destroyed");
    }

    private static ResearchRecord record(long row, String pseudo, String family, String ref) {
        return new ResearchRecord(row, pseudo, family, ref, "E10000012", "2015-06", "TREATMENT", "F", 30,
                AgeBand.of(30), "2015-05", new ResearchRecord.ProblemFlags(1, 0, 1, 0, 0, 0), "v1");
    }
}
