package org.linkgate.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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

/** One ledger mechanism, both sides' tables, on H2 and PostgreSQL: new, resumed, finished and duplicate told apart. */
class InboundLedgerTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);

    static Stream<Arguments> ledgers() {
        return Stream.of(
                Arguments.of("h2 councils", (Supplier<DataSource>) TestDatabases::h2, org.linkgate.intake.CouncilBatches.LEDGER_TABLES,
                        "E10000012", "E10000013", Map.of("period", "2015-06")),
                Arguments.of("postgresql councils", (Supplier<DataSource>) TestDatabases::postgres,
                        org.linkgate.intake.CouncilBatches.LEDGER_TABLES, "E10000012", "E10000013", Map.of("period", "2015-06")),
                Arguments.of("h2 departments", (Supplier<DataSource>) TestDatabases::h2, org.linkgate.returns.DepartmentReturns.LEDGER_TABLES,
                        "DWP", "MOJ", Map.of("dataset", "WPLS", "extract_id", "0123456789abcdef0123456789abcdef")),
                Arguments.of("postgresql departments", (Supplier<DataSource>) TestDatabases::postgres,
                        org.linkgate.returns.DepartmentReturns.LEDGER_TABLES, "DWP", "MOJ",
                        Map.of("dataset", "WPLS", "extract_id", "0123456789abcdef0123456789abcdef")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ledgers")
    void tellsNewResumedFinishedAndDuplicateApart(String name, Supplier<DataSource> database, LedgerTables tables,
                                                  String partner, String otherPartner, Map<String, Object> details) {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        InboundLedger ledger = new InboundLedger(tables, jdbc, tx, CLOCK, new org.linkgate.audit.AuditLog(jdbc, CLOCK));

        InboundLedger.Claim first = ledger.claim(partner, "file-1.csv.gpg", "a".repeat(64), 10, "k1", details);
        assertThat(first.arrival()).isEqualTo(InboundLedger.Arrival.NEW);
        assertThat(first.file().attempts()).isEqualTo(1);
        assertThat(first.file().status()).isEqualTo(InboundStatus.RECEIVED);

        // The same custody copy picked up again before it finished (a crash or a failure): one more attempt.
        InboundLedger.Claim again = ledger.claim(partner, "file-1.csv.gpg", "a".repeat(64), 10, "k1", details);
        assertThat(again.arrival()).isEqualTo(InboundLedger.Arrival.RESUMED);
        assertThat(again.file().id()).isEqualTo(first.file().id());
        assertThat(again.file().attempts()).isEqualTo(2);

        ledger.verified(first.file().id(), partner, "FP");
        tx.executeWithoutResult(t -> ledger.complete(first.file().id(), partner, InboundStatus.ACCEPTED,
                new InboundLedger.Counts(3, 3, 0), "schema-v1", "{}"));
        ledger.reportSent(first.file().id(), partner, "file-1.report");
        ledger.archived(first.file().id(), partner, "archive/x");
        assertThat(ledger.outcome(first.file().id()))
                .isEqualTo(new InboundLedger.Outcome(InboundStatus.ACCEPTED, new InboundLedger.Counts(3, 3, 0)));
        assertThat(ledger.find(first.file().id()).orElseThrow().reportName()).isEqualTo("file-1.report");

        // A take-in of that same upload repeated after a crash: recognised, nothing new recorded.
        InboundLedger.Claim replay = ledger.claim(partner, "file-1.csv.gpg", "a".repeat(64), 10, "k1", details);
        assertThat(replay.arrival()).isEqualTo(InboundLedger.Arrival.ALREADY_FINISHED);
        assertThat(replay.file().id()).isEqualTo(first.file().id());

        // The same content sent again (another upload): a duplicate pointing at the original.
        InboundLedger.Claim duplicate = ledger.claim(partner, "file-2.csv.gpg", "a".repeat(64), 10, "k2", details);
        assertThat(duplicate.arrival()).isEqualTo(InboundLedger.Arrival.DUPLICATE);
        assertThat(duplicate.file().duplicateOf()).isEqualTo(first.file().id());
        assertThat(duplicate.file().status()).isEqualTo(InboundStatus.DUPLICATE);

        // The same content from another partner is new for that partner.
        assertThat(ledger.claim(otherPartner, "file-1.csv.gpg", "a".repeat(64), 10, "k1", details).arrival())
                .isEqualTo(InboundLedger.Arrival.NEW);

        LedgerTables.Events events = tables.events();
        assertThat(jdbc.queryForList("select event_type from audit_event order by id", String.class)).containsExactly(
                events.received().name(), "FILE_VERIFIED", events.accepted().name(), "REPORT_SENT",
                events.archived().name(), events.duplicate().name(), events.received().name());
        assertThat(jdbc.queryForObject("select count(*) from " + tables.fileTable(), Long.class)).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ledgers")
    void contentIsClaimedOnceEvenUnderARace(String name, Supplier<DataSource> database, LedgerTables tables,
                                            String partner, String otherPartner, Map<String, Object> details) {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        InboundLedger ledger = new InboundLedger(tables, jdbc, tx, CLOCK, new org.linkgate.audit.AuditLog(jdbc, CLOCK));
        String id = ledger.claim(partner, "f.csv.gpg", "b".repeat(64), 1, "k", details).file().id();
        assertThatThrownBy(() -> jdbc.update("insert into " + tables.contentTable() + " (" + tables.partnerColumn()
                + ", sha256, " + tables.firstIdColumn() + ") values (?, ?, ?)", partner, "b".repeat(64), id))
                .isInstanceOf(DuplicateKeyException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ledgers")
    void onlyTheSidesOwnColumnsMayBeWritten(String name, Supplier<DataSource> database, LedgerTables tables,
                                            String partner, String otherPartner, Map<String, Object> details) {
        DataSource ds = database.get();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        InboundLedger ledger = new InboundLedger(tables, jdbc, new TransactionTemplate(new DataSourceTransactionManager(ds)),
                CLOCK, new org.linkgate.audit.AuditLog(jdbc, CLOCK));
        assertThatThrownBy(() -> ledger.claim(partner, "f", "c".repeat(64), 1, "k", Map.of("status", "ACCEPTED")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a detail column");
    }
}
