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
import java.time.Instant;
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
import org.linkgate.fanout.Extracts;
import org.linkgate.incident.IncidentCategory;
import org.linkgate.incident.Incidents;
import org.linkgate.kernel.DataKeyStore;
import org.linkgate.kernel.FileRows;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.kernel.ReceivedFileCustody;
import org.linkgate.kernel.ReceivedFileFacts;
import org.linkgate.retention.RetentionSchedule.DueItem;
import org.linkgate.retention.RetentionSchedule.Unit;
import org.linkgate.returns.DepartmentReturns;
import org.linkgate.returns.ReturnFiles;
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
    private final HeldData held;
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
                          HeldData held, DataKeyStore dataKeys, AuditLog audit, Incidents incidents,
                          DestructionCertificates certificates, GatewayHome home, Clock clock) {
        this.jdbc = jdbc;
        this.held = held;
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
                ReceivedFileFacts file = held.batches().facts(id);
                evidence.put("receivedFile", received(file));
                count(rows, held.store().sealedIdentities(id), held.linkage().matchKeys(id), held.linkage().comparisons(id),
                        held.extracts().members(id));
                if (!staysAsLinkedData(file.status())) {
                    count(rows, held.store().records(id), held.store().families(id));
                }
                if (file.dataKeyId() != null) {
                    keys.add(file.dataKeyId());
                }
            }
            case LINKED_DATA -> {
                rows.put(held.releases().membersTable(), held.releases().countMembersOnlyFrom(id));
                evidence.put("releases", held.releases().releasesOf(id));
                count(rows, held.store().records(id), held.store().families(id), held.extracts().members(id));
                rows.put(ReturnFiles.LINKAGE_QUALITY_TABLE, held.returns().linkageQualityOf(held.extracts().idsOf(id)));
            }
            case RETURN_DATA -> {
                evidence.put("receivedFile", received(held.returns().facts(id)));
                count(rows, held.returns().records(id), held.returns().matchStatuses(id));
            }
        }
        List<Map<String, Object>> files = new ArrayList<>();
        if (item.unit() != Unit.LINKED_DATA) {
            for (ReceivedFileCustody.Kept kept : held.custody().kept(id)) {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("keptFile", kept.id());
                file.put("place", kept.place());
                file.put("path", kept.path());
                file.put("dataKey", kept.dataKeyId());
                measure(kept.path(), file);
                files.add(file);
                keys.add(kept.dataKeyId());
            }
        }
        if (item.unit() == Unit.COUNCIL_DATA) {
            // Extracts delivered to a department's folder on the embedded server and not yet collected:
            // identifying (though encrypted to the department), on the gateway's disk, so they go too.
            for (Extracts.Delivered extract : held.extracts().delivered(id)) {
                String fileName = extract.fileName();
                if (fileName == null || fileName.contains("/") || fileName.contains("\\") || fileName.startsWith(".")) {
                    continue;
                }
                Path delivered = home.sftpHome(extract.departmentCode()).resolve("upload").resolve(fileName);
                if (Files.exists(delivered)) {
                    Map<String, Object> uncollected = new LinkedHashMap<>();
                    uncollected.put("place", "UNCOLLECTED_EXTRACT");
                    uncollected.put("path", home.root().relativize(delivered).toString());
                    measure(home.root().relativize(delivered).toString(), uncollected);
                    files.add(uncollected);
                }
            }
        }
        evidence.put("rows", rows);
        evidence.put("rowsTotal", rows.values().stream().mapToLong(Long::longValue).sum());
        evidence.put("files", files);
        evidence.put("dataKeys", keys);
        return evidence;
    }

    private static void count(Map<String, Long> rows, FileRows... tables) {
        for (FileRows table : tables) {
            rows.put(table.table(), table.count());
        }
    }

    private static Map<String, Object> received(ReceivedFileFacts file) {
        Map<String, Object> received = new LinkedHashMap<>();
        received.put("fileName", file.fileName());
        received.put("sha256", file.sha256());
        received.put("bytes", file.bytes());
        received.put("status", file.status());
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
                chunked(held.store().sealedIdentities(id));
                chunked(held.linkage().matchKeys(id));
                chunked(held.linkage().comparisons(id));
                chunked(held.extracts().members(id));
                if (!held.batches().acceptedAsLinkedData(id)) {
                    chunked(held.store().records(id));
                }
            }
            case LINKED_DATA -> {
                // First, while the batch's pseudo ids are still there to find them: who of this batch each
                // release included (subject access), unless another batch of that release still holds them.
                held.releases().deleteMembersOnlyFrom(id);
                chunked(held.store().records(id));
                chunked(held.extracts().members(id));
            }
            case RETURN_DATA -> {
                chunked(held.returns().records(id));
                chunked(held.returns().matchStatuses(id));
            }
        }
    }

    private void deleteRemainingRows(Item item) {
        String id = item.subjectId();
        switch (item.unit()) {
            case COUNCIL_DATA -> {
                held.store().sealedIdentities(id).deleteAll();
                // Linkage match keys are derived from identity: destroyed with it.
                held.linkage().matchKeys(id).deleteAll();
                held.linkage().comparisons(id).deleteAll();
                held.extracts().members(id).deleteAll();
                // Extracts not yet sent can no longer be written: refused, never half-sent. Extracts sent and
                // awaiting return can no longer be answered (their members are gone): withdrawn the same way, so
                // overdue alerts stop and feedback packs stop waiting for them; a return that still comes is
                // rejected as extract_data_destroyed.
                held.extracts().withdraw(id, DepartmentReturns.DATA_DESTROYED);
                if (!held.batches().acceptedAsLinkedData(id)) {
                    held.store().records(id).deleteAll();
                    held.store().families(id).deleteAll();
                }
            }
            case LINKED_DATA -> {
                held.store().records(id).deleteAll();
                held.store().families(id).deleteAll();
                held.extracts().members(id).deleteAll();
                held.returns().deleteLinkageQualityOf(held.extracts().idsOf(id));
            }
            case RETURN_DATA -> {
                held.returns().records(id).deleteAll();
                held.returns().matchStatuses(id).deleteAll();
            }
        }
    }

    private void markLedger(Item item) {
        Instant now = clock.instant();
        switch (item.unit()) {
            case COUNCIL_DATA -> held.batches().markCouncilDataDestroyed(item.subjectId(), now);
            case LINKED_DATA -> {
                held.batches().markLinkedDataDestroyed(item.subjectId(), now);
                held.releases().linkedDataDestroyed(item.subjectId(), now);
            }
            case RETURN_DATA -> held.returns().markDestroyed(item.subjectId(), now);
        }
        if (item.unit() != Unit.LINKED_DATA) {
            held.custody().markDestroyed(item.subjectId(), now);
        }
    }

    /** Deletes a table's rows of one file in chunks of row numbers, each in its own transaction, renewing the lease. */
    private void chunked(FileRows rows) {
        long last = rows.lastRowNumber();
        for (long start = 0; start <= last; start += CHUNK) {
            long from = start;
            long to = start + CHUNK;
            transactions.executeWithoutResult(tx -> rows.deleteRange(from, to));
            lease.renew();
        }
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
