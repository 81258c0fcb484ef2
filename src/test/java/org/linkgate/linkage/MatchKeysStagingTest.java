package org.linkgate.linkage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.linkgate.pseudonymisation.IdentityRecord;
import org.linkgate.pseudonymisation.PseudonymisationKey;
import org.linkgate.store.TestDatabases;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Linkage staging through BulkInsert: every chunk lands, and a refused chunk leaves neither of its two tables half-written. */
class MatchKeysStagingTest {

    private static final IdentityRecord PERSON = new IdentityRecord("Amelia", null, "Okafor", "2009-04-17", "F",
            "1 Test Street", null, "Testtown", "SW1A 1AA", null, "9434765919", null);

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void everyChunkIsStagedBeforeFlushReturns(String database) {
        JdbcTemplate jdbc = jdbc(database);
        MatchKeys keys = new MatchKeys(new PseudonymisationKey(new byte[32]), jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())));
        String intake = UUID.randomUUID().toString();
        MatchKeys.Staging staging = keys.forBatch(intake);
        int rows = 12_345; // two full chunks and a part
        for (long row = 1; row <= rows; row++) {
            staging.add(row, PERSON, "p" + row, "TREATMENT");
        }
        staging.flush();
        assertThat(jdbc.queryForObject("select count(*) from linkage_row where intake_id = ?", Long.class, intake))
                .isEqualTo(rows);
        assertThat(jdbc.queryForObject("select count(distinct row_number) from linkage_key where intake_id = ?",
                Long.class, intake)).isEqualTo(rows);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRefusedChunkWritesNeitherTable(String database) {
        JdbcTemplate jdbc = jdbc(database);
        MatchKeys keys = new MatchKeys(new PseudonymisationKey(new byte[32]), jdbc,
                new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())));
        String intake = UUID.randomUUID().toString();
        MatchKeys.Staging staging = keys.forBatch(intake);
        staging.add(1, PERSON, "p1", "TREATMENT");
        staging.add(1, PERSON, "p1", "TREATMENT"); // the same row twice: the primary key refuses the chunk
        assertThatThrownBy(staging::flush).isInstanceOf(DataIntegrityViolationException.class)
                .hasMessageNotContaining("Okafor");
        assertThat(jdbc.queryForObject("select count(*) from linkage_row where intake_id = ?", Long.class, intake))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from linkage_key where intake_id = ?", Long.class, intake))
                .isZero();
    }

    private static JdbcTemplate jdbc(String database) {
        return new JdbcTemplate(database.equals("h2") ? TestDatabases.h2() : TestDatabases.postgres());
    }
}
