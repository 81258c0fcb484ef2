package org.linkgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.linkgate.audit.ChainVerification.Break;
import org.linkgate.crypto.GpgCli;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit chain against a real database: appending, verification, each kind of tampering, signed
 * heads, concurrent writers and auditors' queries. Subclasses choose the database; see
 * {@link AuditTestSupport} for how the tests tamper on PostgreSQL.
 */
abstract class AuditChainContract {

    static final Instant START = Instant.parse("2026-11-01T10:00:00Z");

    DataSource ds;
    JdbcTemplate jdbc;
    AuditLog audit;
    AuditHeadSigner signer;
    AuditChainVerifier verifier;

    abstract DataSource database();

    /** A fresh database migrated only up to {@code target}. */
    abstract DataSource database(String target);

    @BeforeEach
    void setUp() throws Exception {
        ds = database();
        jdbc = new JdbcTemplate(ds);
        AuditTestSupport.TickingClock clock = new AuditTestSupport.TickingClock(START);
        audit = new AuditLog(jdbc, clock);
        signer = new AuditHeadSigner(jdbc, AuditTestSupport.unlockedGatewayKey(), clock);
        verifier = new AuditChainVerifier(jdbc, signer);
    }

    void recordEvents(int count) {
        for (int i = 0; i < count; i++) {
            audit.record(i % 2 == 0 ? AuditEventType.FILE_RECEIVED : AuditEventType.FILE_ACCEPTED,
                    "E1000001" + (i % 3), "file-" + (i % 4), "intake", "rows=" + i);
        }
    }

    String hashAt(long seq) {
        return jdbc.queryForObject("select hash from audit_event where seq = ?", String.class, seq);
    }

    static void assertBroken(ChainVerification result, Long seq, Break kind) {
        assertThat(result.intact()).as("intact").isFalse();
        assertThat(result.kind()).as(result.reason()).isEqualTo(kind);
        assertThat(result.brokenSeq()).as(result.reason()).isEqualTo(seq);
    }

    @Nested
    class Appending {

        @Test
        void anEmptyChainVerifies() {
            ChainVerification result = verifier.verify();
            assertThat(result.intact()).isTrue();
            assertThat(result.headSeq()).isZero();
            assertThat(result.headHash()).isEqualTo(AuditChainHash.GENESIS);
        }

        @Test
        void aChainOfEventsVerifies() {
            recordEvents(25);
            ChainVerification result = verifier.verify();
            assertThat(result.intact()).as(result.reason()).isTrue();
            assertThat(result.eventsChecked()).isEqualTo(25);
            assertThat(result.headSeq()).isEqualTo(25);
            assertThat(jdbc.queryForList("select seq from audit_event order by id", Long.class))
                    .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 25).boxed().toList());
            assertThat(jdbc.queryForObject("select prev_hash from audit_event where seq = 1", String.class))
                    .isEqualTo(AuditChainHash.GENESIS);
            assertThat(jdbc.queryForObject("select prev_hash from audit_event where seq = 2", String.class))
                    .isEqualTo(hashAt(1));
        }

        @Test
        void storedEventsHashAsTheyWereWritten() {
            audit.record(AuditEventType.REPORT_SENT, null, null, "intake", "naïve – ünïcödé ✓ \"quoted\", comma");
            audit.record(AuditEventType.API_ACCESS, null, null, "http:auditor", null);
            audit.record(AuditEventType.API_ACCESS, null, null, "http:auditor", "");
            assertThat(verifier.verify().intact()).isTrue();
            // Nanoseconds from the clock are cut to microseconds before hashing and storing.
            assertThat(new AuditTrail(jdbc, holders()).find(AuditEventFilter.all()).get(0).occurredAt())
                    .isEqualTo(Instant.parse("2026-11-01T10:00:00.123456Z"));
        }

        @Test
        void anEventRolledBackWithItsChangeLeavesNoGap() {
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
            recordEvents(2);
            tx.executeWithoutResult(status -> {
                audit.record(AuditEventType.FILE_REJECTED, "E10000012", "file-x", "intake", "rolled back");
                status.setRollbackOnly();
            });
            audit.record(AuditEventType.FILE_ACCEPTED, "E10000012", "file-y", "intake", null);
            assertThat(jdbc.queryForList("select detail from audit_event where seq = 3", String.class))
                    .containsExactly((String) null);
            assertThat(jdbc.queryForObject("select count(*) from audit_event where detail = 'rolled back'", Long.class))
                    .isZero();
            assertThat(verifier.verify().intact()).isTrue();
        }

        @Test
        void concurrentWritersAppendOneAfterAnother() throws Exception {
            TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Void>> writers = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    String actor = "writer-" + t;
                    writers.add(pool.submit((Callable<Void>) () -> {
                        for (int i = 0; i < 40; i++) {
                            // Some events in their own transaction, some two to a caller's transaction.
                            if (i % 2 == 0) {
                                audit.record(AuditEventType.API_ACCESS, null, null, actor, "GET /api/x -> 200");
                            } else {
                                tx.executeWithoutResult(status -> {
                                    audit.record(AuditEventType.FILE_RECEIVED, "E10000012", null, actor, null);
                                    audit.record(AuditEventType.FILE_ARCHIVED, "E10000012", null, actor, null);
                                });
                            }
                        }
                        return null;
                    }));
                }
                for (Future<Void> writer : writers) {
                    writer.get();
                }
            } finally {
                pool.shutdownNow();
            }
            ChainVerification result = verifier.verify();
            assertThat(result.intact()).as(result.reason()).isTrue();
            assertThat(result.headSeq()).isEqualTo(120);
            assertThat(jdbc.queryForObject("select count(distinct seq) from audit_event", Long.class)).isEqualTo(120);
        }
    }

    @Nested
    class Upgrade {

        @Test
        void eventsWrittenBeforeTheChainAreChainedByTheMigration() {
            DataSource old = database("2");
            JdbcTemplate oldJdbc = new JdbcTemplate(old);
            for (int i = 0; i < 3; i++) {
                oldJdbc.update("insert into audit_event (occurred_at, event_type, partner_code, subject_id, actor, detail)"
                        + " values (?, 'FILE_RECEIVED', 'E10000012', ?, 'intake', null)",
                        java.sql.Timestamp.from(START.plusSeconds(i)), "file-" + i);
            }
            migrateToLatest(old);
            AuditChainVerifier oldVerifier = new AuditChainVerifier(oldJdbc, signer);
            ChainVerification sealed = oldVerifier.verify();
            assertThat(sealed.intact()).as(sealed.reason()).isTrue();
            assertThat(sealed.headSeq()).isEqualTo(3);
            assertThat(oldJdbc.queryForList("select subject_id from audit_event order by seq", String.class))
                    .containsExactly("file-0", "file-1", "file-2");
            new AuditLog(oldJdbc, new AuditTestSupport.TickingClock(START)).record(AuditEventType.FILE_ACCEPTED,
                    "E10000012", "file-0", "intake", null);
            assertThat(oldVerifier.verify().headSeq()).isEqualTo(4);
            assertThat(oldVerifier.verify().intact()).isTrue();
        }
    }

    /** Applies the remaining migrations to a database from {@link #database(String)}. */
    abstract void migrateToLatest(DataSource old);

    @Nested
    class Tampering {

        @BeforeEach
        void tenEvents() {
            recordEvents(10);
            assertThat(verifier.verify().intact()).isTrue();
        }

        @Test
        void anEditedDetailIsFound() {
            AuditTestSupport.tamper(ds, j -> j.update("update audit_event set detail = 'rows=0' where seq = 5"));
            assertBroken(verifier.verify(), 5L, Break.EDITED);
        }

        @Test
        void anEditedTimestampIsFound() {
            AuditTestSupport.tamper(ds, j -> j.update(
                    "update audit_event set occurred_at = occurred_at + interval '1' hour where seq = 7"));
            assertBroken(verifier.verify(), 7L, Break.EDITED);
        }

        @Test
        void anEventEditedAndRehashedIsFoundByItsSuccessor() {
            AuditTestSupport.tamper(ds, j -> {
                AuditEventRecord event = eventAt(j, 5);
                String forged = AuditChainHash.hash(5, event.occurredAt(), event.eventType(), event.partnerCode(),
                        event.subjectId(), event.actor(), "rows=0", event.prevHash());
                j.update("update audit_event set detail = 'rows=0', hash = ? where seq = 5", forged);
            });
            assertBroken(verifier.verify(), 5L, Break.EDITED);
        }

        @Test
        void aDeletedEventIsFound() {
            AuditTestSupport.tamper(ds, j -> j.update("delete from audit_event where seq = 5"));
            assertBroken(verifier.verify(), 5L, Break.MISSING);
        }

        @Test
        void aDeletedLastEventIsFound() {
            AuditTestSupport.tamper(ds, j -> j.update("delete from audit_event where seq = 10"));
            assertBroken(verifier.verify(), 10L, Break.MISSING);
        }

        @Test
        void aDeletedEventWithTheRestRenumberedIsFound() {
            AuditTestSupport.tamper(ds, j -> {
                j.update("delete from audit_event where seq = 5");
                j.update("update audit_event set seq = -seq where seq > 5");
                j.update("update audit_event set seq = -seq - 1 where seq < 0");
                j.update("update audit_chain_head set seq = 9, hash = ?", hashAt(9));
            });
            assertBroken(verifier.verify(), 5L, Break.MISSING);
        }

        @Test
        void aForgedEventPutBetweenTwoIsFound() {
            AuditTestSupport.tamper(ds, j -> {
                j.update("update audit_event set seq = -seq where seq >= 5");
                j.update("update audit_event set seq = -seq + 1 where seq < 0");
                String prev = hashAt(4);
                Instant at = Instant.parse("2026-11-01T10:00:04.5Z");
                j.update("insert into audit_event (occurred_at, event_type, partner_code, subject_id, actor, detail,"
                                + " seq, prev_hash, hash) values (?, 'FILE_ACCEPTED', 'E10000012', 'forged', 'intake',"
                                + " 'rows=1', 5, ?, ?)", java.sql.Timestamp.from(at), prev,
                        AuditChainHash.hash(5, at, "FILE_ACCEPTED", "E10000012", "forged", "intake", "rows=1", prev));
                j.update("update audit_chain_head set seq = 11");
            });
            assertBroken(verifier.verify(), 5L, Break.INSERTED);
        }

        @Test
        void aForgedEventBeyondTheHeadIsFound() {
            AuditTestSupport.tamper(ds, j -> j.update("insert into audit_event (occurred_at, event_type, actor, seq,"
                    + " prev_hash, hash) values (?, 'API_ACCESS', 'x', 11, ?, ?)", java.sql.Timestamp.from(START),
                    hashAt(10), "f".repeat(64)));
            assertBroken(verifier.verify(), 11L, Break.INSERTED);
        }

        @Test
        void anEventWithoutAPlaceInTheChainIsFound() {
            AuditTestSupport.tamper(ds, j -> j.update("insert into audit_event (occurred_at, event_type, actor)"
                    + " values (?, 'API_ACCESS', 'x')", java.sql.Timestamp.from(START)));
            assertBroken(verifier.verify(), null, Break.INSERTED);
        }

        @Test
        void swappedEventsAreFound() {
            AuditTestSupport.tamper(ds, j -> {
                j.update("update audit_event set seq = -1 where seq = 4");
                j.update("update audit_event set seq = 4 where seq = 5");
                j.update("update audit_event set seq = 5 where seq = -1");
            });
            assertBroken(verifier.verify(), 4L, Break.REORDERED);
        }

        @Test
        void aMovedHeadIsFound() {
            AuditTestSupport.tamper(ds, j -> j.update("update audit_chain_head set hash = ?", "a".repeat(64)));
            assertBroken(verifier.verify(), 10L, Break.HEAD_MISMATCH);
        }
    }

    @Nested
    class SignedHeads {

        @Test
        void anExportedHeadVerifiesAfterMoreEvents() throws Exception {
            recordEvents(10);
            SignedHead exported = signer.export();
            assertThat(exported.head()).startsWith("{\"seq\":10,\"hash\":\"" + hashAt(10) + "\",\"exportedAt\":\"");
            recordEvents(5);
            ChainVerification result = verifier.verifyAgainst(exported);
            assertThat(result.intact()).as(result.reason()).isTrue();
            assertThat(result.headSeq()).isEqualTo(15);
        }

        @Test
        void theHeadOfAnEmptyChainVerifies() {
            SignedHead exported = signer.export();
            recordEvents(2);
            assertThat(verifier.verifyAgainst(exported).intact()).isTrue();
        }

        @Test
        void tamperingBeforeTheExportedHeadIsFound() {
            recordEvents(10);
            SignedHead exported = signer.export();
            recordEvents(5);
            AuditTestSupport.tamper(ds, j -> j.update("update audit_event set actor = 'someone' where seq = 3"));
            assertBroken(verifier.verifyAgainst(exported), 3L, Break.EDITED);
        }

        @Test
        void aChainRewrittenWholesaleVerifiesAloneButNotAgainstTheExportedHead() {
            recordEvents(10);
            SignedHead exported = signer.export();
            recordEvents(5);
            // A rewrite from event 3 on with every hash recomputed: invisible without an anchor.
            AuditTestSupport.tamper(ds, j -> {
                String prev = hashAt(2);
                for (long seq = 3; seq <= 15; seq++) {
                    AuditEventRecord e = eventAt(j, seq);
                    String detail = seq == 3 ? "rows=999" : e.detail();
                    String hash = AuditChainHash.hash(seq, e.occurredAt(), e.eventType(), e.partnerCode(),
                            e.subjectId(), e.actor(), detail, prev);
                    j.update("update audit_event set detail = ?, prev_hash = ?, hash = ? where seq = ?",
                            detail, prev, hash, seq);
                    prev = hash;
                }
                j.update("update audit_chain_head set hash = ?", prev);
            });
            assertThat(verifier.verify().intact()).isTrue();
            assertBroken(verifier.verifyAgainst(exported), 10L, Break.HEAD_MISMATCH);
        }

        @Test
        void aChainCutShortBeforeTheExportedHeadIsFound() {
            recordEvents(10);
            SignedHead exported = signer.export();
            AuditTestSupport.tamper(ds, j -> {
                j.update("delete from audit_event where seq > 7");
                j.update("update audit_chain_head set seq = 7, hash = ?", hashAt(7));
            });
            assertThat(verifier.verify().intact()).isTrue();
            assertBroken(verifier.verifyAgainst(exported), 8L, Break.MISSING);
        }

        @Test
        void anAlteredHeadTextOrForeignSignatureIsRefused() throws Exception {
            recordEvents(3);
            SignedHead exported = signer.export();
            SignedHead altered = new SignedHead(exported.head().replace("\"seq\":3", "\"seq\":2"), exported.signature());
            assertBroken(verifier.verifyAgainst(altered), null, Break.SIGNATURE_INVALID);
            assertBroken(verifier.verifyAgainst(new SignedHead(exported.head(), "not a signature")), null,
                    Break.SIGNATURE_INVALID);
        }

        @Test
        void gpgVerifiesTheExportedHead(@TempDir Path dir) throws Exception {
            Assumptions.assumeTrue(GpgCli.isAvailable(), "gpg is not installed");
            recordEvents(3);
            SignedHead exported = signer.export();
            Path key = dir.resolve("gateway.asc");
            Path head = dir.resolve("head.json");
            Path signature = dir.resolve("head.json.asc");
            AuditTestSupport.gatewayKey().writeArmoredPublic(key);
            Files.writeString(head, exported.head());
            Files.writeString(signature, exported.signature());
            try (GpgCli gpg = GpgCli.inTempHome()) {
                gpg.importKey(key, null);
                GpgCli.Result good = gpg.verifyDetached(signature, head);
                assertThat(good.succeeded()).as(good.stderr()).isTrue();
                assertThat(good.hasStatus("VALIDSIG " + AuditTestSupport.gatewayKey().fingerprint())).isTrue();
                Files.writeString(head, exported.head().replace("\"seq\":3", "\"seq\":4"));
                GpgCli.Result bad = gpg.verifyDetached(signature, head);
                assertThat(bad.succeeded()).isFalse();
                assertThat(bad.hasStatus("BADSIG")).isTrue();
            }
        }
    }

    @Nested
    class Queries {

        @Test
        void filtersBySubjectPartnerActorTypeAndPeriod() {
            audit.record(AuditEventType.FILE_RECEIVED, "E10000012", "file-a", "intake", null); // 10:00:00
            audit.record(AuditEventType.FILE_ACCEPTED, "E10000012", "file-a", "intake", "rows=3"); // 10:00:01
            audit.record(AuditEventType.FILE_RECEIVED, "E10000013", "file-b", "intake", null); // 10:00:02
            audit.record(AuditEventType.API_ACCESS, null, null, "http:alice", "GET /api/ops/alerts -> 200");
            AuditTrail trail = new AuditTrail(jdbc, holders());
            assertThat(trail.find(filter("file-a", null, null, null, null, null, null))).extracting(AuditEventRecord::seq)
                    .containsExactly(1L, 2L);
            assertThat(trail.find(filter(null, "E10000013", null, null, null, null, null)))
                    .extracting(AuditEventRecord::subjectId).containsExactly("file-b");
            assertThat(trail.find(filter(null, null, "http:alice", null, null, null, null))).hasSize(1);
            assertThat(trail.find(filter(null, null, null, AuditEventType.FILE_RECEIVED, null, null, null)))
                    .extracting(AuditEventRecord::seq).containsExactly(1L, 3L);
            assertThat(trail.find(filter(null, null, null, null, START.plusSeconds(1), START.plusSeconds(3), null)))
                    .extracting(AuditEventRecord::seq).containsExactly(2L, 3L);
            assertThat(trail.find(new AuditEventFilter(null, null, null, null, null, null, null, 2))).hasSize(2);
        }

        @Test
        void findsAPersonsEventsThroughTheFilesHoldingThem() {
            audit.record(AuditEventType.FILE_RECEIVED, "E10000012", "intake-with", "intake", null);
            audit.record(AuditEventType.FILE_RECEIVED, "E10000012", "intake-without", "intake", null);
            audit.record(AuditEventType.FILE_ACCEPTED, "E10000012", "intake-with", "intake", "rows=1");
            for (String intake : List.of("intake-with", "intake-without")) {
                jdbc.update("insert into intake_file (id, council_code, file_name, sha256, size_bytes, status,"
                        + " received_at) values (?, 'E10000012', ?, ?, 1, 'ACCEPTED', ?)", intake, intake + ".csv.gpg",
                        "0".repeat(64), java.sql.Timestamp.from(START));
            }
            insertResearchRecord("intake-with", 2, "pseudo-1");
            insertResearchRecord("intake-without", 2, "pseudo-2");
            assertThat(new AuditTrail(jdbc, holders()).find(filter(null, null, null, null, null, null, "pseudo-1")))
                    .extracting(AuditEventRecord::seq).containsExactly(1L, 3L);
            assertThat(new AuditTrail(jdbc, holders()).find(filter(null, null, null, null, null, null, "pseudo-9"))).isEmpty();
        }

        @Test
        void csvIsGuardedAgainstFormulas() {
            audit.record(AuditEventType.FILE_REJECTED, "E10000012", "file-a", "intake", "=HYPERLINK(\"x\"), bad");
            audit.record(AuditEventType.API_ACCESS, null, null, "@actor", "-1");
            StringWriter out = new StringWriter();
            new AuditTrail(jdbc, holders()).writeCsv(AuditEventFilter.all(), out);
            List<String> lines = out.toString().lines().toList();
            assertThat(lines).hasSize(3);
            assertThat(lines.get(0)).isEqualTo(String.join(",", AuditTrail.CSV_HEADER));
            assertThat(lines.get(1)).startsWith("1,2026-11-01T10:00:00.123456Z,FILE_REJECTED,E10000012,file-a,intake,"
                    + "\"'=HYPERLINK(\"\"x\"\"), bad\"," + AuditChainHash.GENESIS + ",");
            assertThat(lines.get(2)).contains(",'@actor,'-1,");
        }

        private void insertResearchRecord(String intake, long row, String pseudoId) {
            jdbc.update("insert into research_record (intake_id, row_number, pseudo_id, family_pseudo_id, person_ref_key,"
                    + " council_code, period, cohort, sex, age_at_identification, age_band, identified_month, crime_asb,"
                    + " education, children_in_need, worklessness, domestic_abuse, health, problem_count,"
                    + " pseudonymisation_version) values (?, ?, ?, 'fam', 'ref', 'E10000012', '2015-06', 'C1', 'F', 30,"
                    + " '25-34', '2015-05', 1, 0, 0, 1, 0, 0, 2, 'v1')", intake, row, pseudoId);
        }

        private AuditEventFilter filter(String subject, String partner, String actor, AuditEventType type,
                Instant from, Instant to, String pseudoId) {
            return new AuditEventFilter(subject, partner, actor, type, from, to, pseudoId, AuditEventFilter.DEFAULT_LIMIT);
        }
    }

    static AuditEventRecord eventAt(JdbcTemplate j, long seq) {
        return j.queryForObject("select " + AuditEventRecord.COLUMNS + " from audit_event where seq = ?",
                (rs, n) -> AuditEventRecord.fromRow(rs), seq);
    }

    /** The features that hold person-level data, as the gateway wires them. */
    List<PersonSubjects> holders() {
        return List.of(new org.linkgate.store.ResearchStore(jdbc), new org.linkgate.fanout.Extracts(jdbc),
                new org.linkgate.returns.ReturnFiles(jdbc));
    }
}
