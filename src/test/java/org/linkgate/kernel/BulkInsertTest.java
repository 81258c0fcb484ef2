package org.linkgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.linkgate.store.TestDatabases;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** COPY (PostgreSQL) and JDBC batches (H2) store every value exactly, and a failing chunk leaves nothing. */
class BulkInsertTest {

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
                Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void storesAwkwardValuesExactly(String name, Supplier<DataSource> database) {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("create table bulk_probe (id bigint primary key, label varchar(200), n integer, raw bytea)");
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        BulkInsert bulk = new BulkInsert(ds, tx, "bulk_probe", List.of("id", "label", "n", "raw"), 2);
        String awkward = "O'Brien, \"Jr\"\nline two\\x00 ünïcødé";
        bulk.add(1L, awkward, 7, new byte[] {0, (byte) 0xff, 44, 34});
        bulk.add(2L, "", null, null);
        bulk.add(3L, null, -1, new byte[0]);
        bulk.flush();
        assertThat(bulk.written()).isEqualTo(3);
        List<Map<String, Object>> rows = jdbc.queryForList("select id, label, n, raw from bulk_probe order by id");
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("label")).isEqualTo(awkward);
        assertThat((byte[]) rows.get(0).get("raw")).containsExactly(0, 0xff, 44, 34);
        assertThat(rows.get(1).get("label")).isEqualTo("");
        assertThat(rows.get(1).get("n")).isNull();
        assertThat(rows.get(1).get("raw")).isNull();
        assertThat(rows.get(2).get("label")).isNull();
        assertThat((byte[]) rows.get(2).get("raw")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aChunkThatFailsLeavesNothingAndNamesNoValue(String name, Supplier<DataSource> database) {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("create table bulk_probe (id bigint primary key, label varchar(20))");
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        BulkInsert bulk = new BulkInsert(ds, tx, "bulk_probe", List.of("id", "label"), 10);
        bulk.add(1L, "first");
        bulk.add(1L, "secret-value");
        assertThatThrownBy(bulk::flush).isInstanceOf(DuplicateKeyException.class)
                .hasMessageContaining("bulk_probe").hasRootCauseMessage("bulk write to bulk_probe failed (SQL state 23505)")
                .satisfies(e -> assertThat(e.toString() + e.getCause()).doesNotContain("secret-value"));
        assertThat(jdbc.queryForObject("select count(*) from bulk_probe", Long.class)).isZero();
    }
}
