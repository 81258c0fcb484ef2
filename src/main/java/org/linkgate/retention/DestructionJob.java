package org.linkgate.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.incident.IncidentCategory;
import org.linkgate.incident.Incidents;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.retention.RetentionSchedule.DueItem;
import org.linkgate.retention.RetentionSchedule.Unit;
import org.linkgate.returns.DepartmentReturns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Destroys what {@link RetentionSchedule} says is due, one dataset ({@code destruction_item}) at a
 * time, and has each run certified ({@link DestructionCertificates}). Each item goes:
 *
 * <ol>
 *   <li>PLANNED, in the transaction that starts the run;</li>
 *   <li>PREPARED: its evidence — SHA-256 and size of each kept file, row counts, data key ids — is
 *       recorded before anything is deleted;</li>
 *   <li>kept files deleted, rows deleted in chunks (nothing is lost that the evidence does not list);</li>
 *   <li>DONE: the last rows deleted, its data keys destroyed (crypto-shredding: copies and backups of the
 *       sealed data become unreadable), the ledger marked and {@code DATA_DESTROYED} audited, in one
 *       transaction.</li>
 * </ol>
 *
 * Every step is idempotent: after a crash the next run resumes the run left RUNNING, then certifies it
 * once. An item that fails opens a {@code DESTRUCTION_FAILURE} incident and is taken over by the next
 * run; the run is certified with what it did destroy. One run at a time across replicas
 * ({@link DestructionLease}); a run asked for while another holds the lease fails with
 * {@link DestructionBusyException}.
 */
@Component("retentionDestruction")
public class DestructionJob {

    public static final String ACTOR = "retention";
    private static final Logger LOG = LoggerFactory.getLogger(DestructionJob.class);
    private static final int CHUNK = 10_000;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final RetentionSchedule schedule;
    private final DataKeyStore dataKeys;
    private final AuditLog audit;
    private final Incidents incidents;
    private final DestructionCertificates certificates;
    private final GatewayHome home;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final DestructionLease lease;
    /** Test hook: called after an item's files and rows are deleted, before it is marked DONE. */
    private volatile Runnable beforeDone = () -> { };

    public DestructionJob(JdbcTemplate jdbc, TransactionTemplate transactions, RetentionSchedule schedule,
                          DataKeyStore dataKeys, AuditLog audit, Incidents incidents,
                          DestructionCertificates certificates, GatewayHome home, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.schedule = schedule;
        this.dataKeys = dataKeys;
        this.audit = audit;
        this.incidents = incidents;
        this.certificates = certificates;
        this.home = home;
        this.clock = clock;
        this.lease = new DestructionLease(jdbc, clock);
    }

    /** What a run did: the certificates it issued (a resumed run's included), items destroyed and failed. */
    public record Outcome(List<String> certificateIds, int destroyed, int failed) {
    }

    /** Called by the {@code retention-destruction} route; skips (and says so) while another run holds the lease. */
    public Outcome runScheduled() {
        try {
            return run("SCHEDULED", null);
        } catch (LeaseLostException e) {
            LOG.warn("scheduled destruction stopped: its lease expired and another run took it over; that run"
                    + " finishes and certifies what this one started");
            return new Outcome(List.of(), 0, 0);
        } catch (DestructionBusyException e) {
            LOG.info("scheduled destruction skipped: another run holds the lease");
            return new Outcome(List.of(), 0, 0);
        }
    }

    /** Run now at an authorised user's request; the user is named in the certificate and the audit trail. */
    public Outcome runOnDemand(String operator) {
        return run("ON_DEMAND", Objects.requireNonNull(operator, "operator"));
    }

    private synchronized Outcome run(String trigger, String operator) {
        if (!lease.acquire()) {
            throw new DestructionBusyException();
        }
        try {
            return runHoldingLease(trigger, operator);
        } finally {
            lease.release();
        }
    }

    private Outcome runHoldingLease(String trigger, String operator) {
        List<String> issued = new ArrayList<>();
        int[] counts = new int[2];
        for (String crashed : jdbc.queryForList("select id from destruction where status = 'RUNNING' order by started_at",
                String.class)) {
            LOG.warn("resuming destruction run {} left unfinished", crashed);
            finish(crashed, issued, counts);
        }
        LocalDate today = AgreementPolicy.today(clock);
        List<DueItem> due = schedule.due(today).items();
        Integer leftOver = jdbc.queryForObject("select count(*) from destruction_item where state <> 'DONE'", Integer.class);
        if (due.isEmpty() && (leftOver == null || leftOver == 0)) {
            return new Outcome(List.copyOf(issued), counts[0], counts[1]);
        }
        String id = UUID.randomUUID().toString();
        transactions.executeWithoutResult(tx -> {
            jdbc.update("insert into destruction (id, trigger_kind, operator, as_of, status, started_at)"
                    + " values (?, ?, ?, ?, 'RUNNING', ?)", id, trigger, operator, Date.valueOf(today), now());
            for (DueItem item : due) {
                jdbc.update("insert into destruction_item (unit_type, subject_id, partner_code, data_kind, clause,"
                                + " destruction_id, state) values (?, ?, ?, ?, ?, ?, 'PLANNED')", item.unit().name(),
                        item.subjectId(), item.partnerCode(), item.dataKind(), item.clause(), id);
            }
            // Items an earlier run could not finish are this run's to finish and certify.
            int adopted = jdbc.update("update destruction_item set destruction_id = ? where state <> 'DONE'"
                    + " and destruction_id <> ?", id, id);
            audit.record(AuditEventType.DESTRUCTION_STARTED, null, id, actor(operator),
                    "trigger=" + trigger + " as_of=" + today + " items=" + (due.size() + adopted));
        });
        finish(id, issued, counts);
        return new Outcome(List.copyOf(issued), counts[0], counts[1]);
    }

    private void finish(String destructionId, List<String> issued, int[] counts) {
        List<Item> items = jdbc.query("select * from destruction_item where destruction_id = ? and state <> 'DONE'"
                        + " order by unit_type, subject_id",
                (rs, n) -> new Item(Unit.valueOf(rs.getString("unit_type")), rs.getString("subject_id"),
                        rs.getString("partner_code"), rs.getString("state")), destructionId);
        String operator = jdbc.queryForObject("select operator from destruction where id = ?", String.class, destructionId);
        for (Item item : items) {
            lease.renew();
            try {
                destroy(destructionId, item, operator);
                counts[0]++;
            } catch (LeaseLostException e) {
                // Not this item's failure: the new holder resumes the run (left RUNNING) and certifies it.
                throw e;
            } catch (RuntimeException e) {
                counts[1]++;
                failed(destructionId, item, e);
            }
        }
        // Still ours? Otherwise the new holder certifies, and two writers of the same certificate files race.
        lease.renew();
        certificates.certify(destructionId).ifPresent(issued::add);
    }

    private record Item(Unit unit, String subjectId, String partnerCode, String state) {
    }

    private void destroy(String destructionId, Item item, String operator) {
        if ("PLANNED".equals(item.state())) {
            Map<String, Object> evidence = evidence(item);
            String text = toJson(evidence);
            transactions.executeWithoutResult(tx -> {
                int moved = jdbc.update("update destruction_item set state = 'PREPARED', evidence = ?"
                        + " where unit_type = ? and subject_id = ? and state = 'PLANNED'", text, item.unit().name(), item.subjectId());
                if (moved != 1) {
                    throw new IllegalStateException("destruction item changed under the job");
                }
            });
        }
        Map<String, Object> evidence = readEvidence(item);
        deleteFiles(evidence);
        deleteRowsInChunks(item);
        beforeDone.run();
        transactions.executeWithoutResult(tx -> {
            deleteRemainingRows(item);
            @SuppressWarnings("unchecked")
            List<String> keys = (List<String>) evidence.get("dataKeys");
            for (String keyId : keys) {
                dataKeys.destroy(keyId);
            }
            markLedger(item);
            jdbc.update("update destruction_item set state = 'DONE', done_at = ?, attempts = attempts + 1,"
                    + " last_error = null where unit_type = ? and subject_id = ?", now(), item.unit().name(), item.subjectId());
            audit.record(AuditEventType.DATA_DESTROYED, item.partnerCode(), item.subjectId(), actor(operator),
                    "destruction=" + destructionId + " unit=" + item.unit() + " rows=" + evidence.get("rowsTotal")
                            + " files=" + ((List<?>) evidence.get("files")).size() + " dataKeys=" + keys.size());
        });
        LOG.info("destroyed {} of {} ({}) in run {}", item.unit(), item.subjectId(), item.partnerCode(), destructionId);
    }

    private void failed(String destructionId, Item item, RuntimeException error) {
        String reason = error.getClass().getSimpleName();
        LOG.error("destruction of {} {} in run {} failed: {}", item.unit(), item.subjectId(), destructionId, reason);
        try {
            transactions.executeWithoutResult(tx -> {
                jdbc.update("update destruction_item set attempts = attempts + 1, last_error = ? where unit_type = ?"
                        + " and subject_id = ?", reason, item.unit().name(), item.subjectId());
                audit.record(AuditEventType.DESTRUCTION_FAILED, item.partnerCode(), item.subjectId(), ACTOR,
                        "destruction=" + destructionId + " unit=" + item.unit() + " error=" + reason);
                incidents.open(IncidentCategory.DESTRUCTION_FAILURE, item.partnerCode(), item.subjectId(),
                        "destruction of " + item.unit() + " due under the agreement failed (" + reason
                                + "); it is retried by the next run");
            });
        } catch (RuntimeException e) {
            LOG.error("could not record the failed destruction of {} {}", item.unit(), item.subjectId(), e);
        }
    }

    /** What will be destroyed, measured before anything is: counts per table, kept files' hashes, key ids. */
    private Map<String, Object> evidence(Item item) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        Map<String, Long> rows = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        String id = item.subjectId();
        switch (item.unit()) {
            case COUNCIL_DATA -> {
                Map<String, Object> file = jdbc.queryForMap("select file_name, sha256, size_bytes, period, status,"
                        + " data_key_id from intake_file where id = ?", id);
                evidence.put("receivedFile", received(file));
                rows.put("identity_vault", count("select count(*) from identity_vault where intake_id = ?", id));
                rows.put("extract_member", count("select count(*) from extract_member where intake_id = ?", id));
                if (!staysAsLinkedData((String) file.get("status"))) {
                    rows.put("research_record", count("select count(*) from research_record where intake_id = ?", id));
                    rows.put("research_family", count("select count(*) from research_family where intake_id = ?", id));
                }
                if (file.get("data_key_id") != null) {
                    keys.add((String) file.get("data_key_id"));
                }
            }
            case LINKED_DATA -> {
                rows.put("research_record", count("select count(*) from research_record where intake_id = ?", id));
                rows.put("research_family", count("select count(*) from research_family where intake_id = ?", id));
                rows.put("extract_member", count("select count(*) from extract_member where intake_id = ?", id));
                rows.put("linkage_quality", count("select count(*) from linkage_quality q join extract e"
                        + " on e.id = q.extract_id where e.intake_id = ?", id));
            }
            case RETURN_DATA -> {
                Map<String, Object> file = jdbc.queryForMap("select file_name, sha256, size_bytes, dataset, status"
                        + " from return_file where id = ?", id);
                evidence.put("receivedFile", received(file));
                rows.put("return_record", count("select count(*) from return_record where return_id = ?", id));
            }
        }
        List<Map<String, Object>> files = new ArrayList<>();
        if (item.unit() != Unit.LINKED_DATA) {
            jdbc.query("select id, place, path, data_key_id from kept_file where subject_id = ? and destroyed_at is null"
                    + " order by created_at, id", rs -> {
                        Map<String, Object> kept = new LinkedHashMap<>();
                        kept.put("keptFile", rs.getString("id"));
                        kept.put("place", rs.getString("place"));
                        kept.put("path", rs.getString("path"));
                        kept.put("dataKey", rs.getString("data_key_id"));
                        measure(rs.getString("path"), kept);
                        files.add(kept);
                        keys.add(rs.getString("data_key_id"));
                    }, id);
        }
        if (item.unit() == Unit.COUNCIL_DATA) {
            // Extracts delivered to a department's folder on the embedded server and not yet collected:
            // identifying (though encrypted to the department), on the gateway's disk, so they go too.
            jdbc.query("select department_code, file_name from extract where intake_id = ? and status in ('SENT', 'RETURNED')"
                    + " order by department_code", rs -> {
                        String fileName = rs.getString("file_name");
                        if (fileName == null || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
                            return;
                        }
                        Path delivered = home.sftpHome(rs.getString("department_code")).resolve("upload").resolve(fileName);
                        if (Files.exists(delivered)) {
                            Map<String, Object> uncollected = new LinkedHashMap<>();
                            uncollected.put("place", "UNCOLLECTED_EXTRACT");
                            uncollected.put("path", home.root().relativize(delivered).toString());
                            measure(home.root().relativize(delivered).toString(), uncollected);
                            files.add(uncollected);
                        }
                    }, id);
        }
        evidence.put("rows", rows);
        evidence.put("rowsTotal", rows.values().stream().mapToLong(Long::longValue).sum());
        evidence.put("files", files);
        evidence.put("dataKeys", keys);
        return evidence;
    }

    private static Map<String, Object> received(Map<String, Object> file) {
        Map<String, Object> received = new LinkedHashMap<>();
        received.put("fileName", file.get("file_name"));
        received.put("sha256", file.get("sha256"));
        received.put("bytes", ((Number) file.get("size_bytes")).longValue());
        received.put("status", file.get("status"));
        return received;
    }

    private static boolean staysAsLinkedData(String status) {
        return "ACCEPTED".equals(status) || "PARTIAL".equals(status);
    }

    private void measure(String relativePath, Map<String, Object> kept) {
        Path file = resolve(relativePath);
        if (!Files.exists(file)) {
            kept.put("present", false);
            return;
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            long bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
            kept.put("present", true);
            kept.put("sha256", HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest()));
            kept.put("bytes", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure kept file before destruction", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void deleteFiles(Map<String, Object> evidence) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> files = (List<Map<String, Object>>) evidence.get("files");
        for (Map<String, Object> kept : files) {
            Path file = resolve((String) kept.get("path"));
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.resolveSibling("." + file.getFileName() + ".part"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete a kept file", e);
            }
        }
    }

    private void deleteRowsInChunks(Item item) {
        String id = item.subjectId();
        switch (item.unit()) {
            case COUNCIL_DATA -> {
                chunked("identity_vault", "intake_id", id);
                chunked("extract_member", "intake_id", id);
                if (!staysAsLinkedData(status(id))) {
                    chunked("research_record", "intake_id", id);
                }
            }
            case LINKED_DATA -> {
                chunked("research_record", "intake_id", id);
                chunked("extract_member", "intake_id", id);
            }
            case RETURN_DATA -> chunked("return_record", "return_id", id);
        }
    }

    private void deleteRemainingRows(Item item) {
        String id = item.subjectId();
        switch (item.unit()) {
            case COUNCIL_DATA -> {
                jdbc.update("delete from identity_vault where intake_id = ?", id);
                // Linkage match keys are derived from identity: destroyed with it.
                jdbc.update("delete from linkage_key where intake_id = ?", id);
                jdbc.update("delete from linkage_row where intake_id = ?", id);
                jdbc.update("delete from extract_member where intake_id = ?", id);
                // Extracts not yet sent can no longer be written: refused, never half-sent. Extracts sent and
                // awaiting return can no longer be answered (their members are gone): withdrawn the same way, so
                // overdue alerts stop and feedback packs stop waiting for them; a return that still comes is
                // rejected as extract_data_destroyed.
                jdbc.update("update extract set status = 'REFUSED', last_error = ? where intake_id = ?"
                        + " and status in ('PENDING', 'SENT')", DepartmentReturns.DATA_DESTROYED, id);
                if (!staysAsLinkedData(status(id))) {
                    jdbc.update("delete from research_record where intake_id = ?", id);
                    jdbc.update("delete from research_family where intake_id = ?", id);
                }
            }
            case LINKED_DATA -> {
                jdbc.update("delete from research_record where intake_id = ?", id);
                jdbc.update("delete from research_family where intake_id = ?", id);
                jdbc.update("delete from extract_member where intake_id = ?", id);
                jdbc.update("delete from linkage_quality where extract_id in (select id from extract where intake_id = ?)", id);
            }
            case RETURN_DATA -> jdbc.update("delete from return_record where return_id = ?", id);
        }
    }

    private void markLedger(Item item) {
        Timestamp now = now();
        switch (item.unit()) {
            case COUNCIL_DATA -> jdbc.update("update intake_file set council_data_destroyed_at = ?, data_key_id = null"
                    + " where id = ?", now, item.subjectId());
            case LINKED_DATA -> jdbc.update("update intake_file set linked_data_destroyed_at = ? where id = ?", now,
                    item.subjectId());
            case RETURN_DATA -> jdbc.update("update return_file set destroyed_at = ? where id = ?", now, item.subjectId());
        }
        if (item.unit() != Unit.LINKED_DATA) {
            jdbc.update("update kept_file set destroyed_at = ? where subject_id = ? and destroyed_at is null", now,
                    item.subjectId());
        }
    }

    private void chunked(String table, String column, String id) {
        Long last = jdbc.queryForObject("select max(row_number) from " + table + " where " + column + " = ?", Long.class, id);
        if (last == null) {
            return;
        }
        for (long start = 0; start <= last; start += CHUNK) {
            long from = start;
            long to = start + CHUNK;
            transactions.executeWithoutResult(tx -> jdbc.update("delete from " + table + " where " + column
                    + " = ? and row_number >= ? and row_number < ?", id, from, to));
            lease.renew();
        }
    }

    private String status(String intakeId) {
        return jdbc.queryForObject("select status from intake_file where id = ?", String.class, intakeId);
    }

    private long count(String sql, String id) {
        Long n = jdbc.queryForObject(sql, Long.class, id);
        return n == null ? 0 : n;
    }

    private Map<String, Object> readEvidence(Item item) {
        String text = jdbc.queryForObject("select evidence from destruction_item where unit_type = ? and subject_id = ?",
                String.class, item.unit().name(), item.subjectId());
        try {
            return json.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("destruction evidence unreadable", e);
        }
    }

    private Path resolve(String relativePath) {
        Path file = home.root().resolve(relativePath).normalize();
        if (!file.startsWith(home.root())) {
            throw new IllegalStateException("kept file path leaves the gateway home");
        }
        return file;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static String actor(String operator) {
        return operator == null ? ACTOR : operator;
    }

    /** Tests only: simulates a crash (or failure) after deletion and before an item is marked DONE. */
    void beforeDone(Runnable hook) {
        this.beforeDone = hook == null ? () -> { } : hook;
    }
}
