package org.linkgate.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.kernel.BatchDestructionCertificates;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.release.ReleaseHoldings;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The signed declaration that data were destroyed (cl. 12.7, 12.11): one per destruction run, listing
 * each dataset destroyed — ids, the SHA-256 of the received file and of each kept file, row counts per
 * table, the data keys destroyed — with when, under which clause, by which run and, on demand, by whom.
 * The JSON text is signed with a detached ASCII-armoured OpenPGP signature by the gateway key (as the
 * audit head is, {@link PgpEncryptSigner#signDetachedArmored}), saved as {@code <id>.json} and
 * {@code <id>.json.asc} under {@link GatewayHome#destructionCertificatesDir()} and in
 * {@code destruction_certificate}, and its hash recorded in the audit trail. Anyone with the gateway's
 * public key checks it with {@code gpg --verify <id>.json.asc <id>.json}. Its id is the run's id, so a
 * run resumed after a crash is certified once.
 */
@Component
public class DestructionCertificates implements BatchDestructionCertificates {

    static final String DECLARATION = "The data listed below were destroyed by the gateway: their rows deleted, their"
            + " kept files deleted and the wrapped data keys sealing them erased from the store, so no copy of a kept"
            + " file, and no copy of the database taken after this destruction, can be decrypted, even with the master"
            + " key. Database backups taken before it still hold the wrapped keys and the pseudonymised rows until"
            + " those backups expire under the processor's backup policy (cl. 12.7, 12.9, 12.10, 12.11).";
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final GatewayPgpKey gatewayKey;
    private final GatewayHome home;
    private final AgreementPolicy policy;
    private final AuditLog audit;
    private final Clock clock;
    private final ReleaseHoldings releases;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DestructionCertificates(JdbcTemplate jdbc, TransactionTemplate transactions, GatewayPgpKey gatewayKey,
                                   GatewayHome home, AgreementPolicy policy, AuditLog audit, ReleaseHoldings releases,
                                   Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.gatewayKey = gatewayKey;
        this.home = home;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.releases = releases;
    }

    /** A stored certificate: its JSON text exactly as signed, and the armoured detached signature. */
    public record Certificate(String id, String destructionId, Instant issuedAt, String sha256, String body,
                              String signature) {
    }

    /** A line of the list: no body. */
    public record Summary(String id, Instant issuedAt, String sha256, String trigger, String operator, int items) {
    }

    /**
     * Certifies a run and completes it: the certificate's id, or empty when the run destroyed nothing
     * or was certified already.
     */
    Optional<String> certify(String destructionId) {
        Integer existing = jdbc.queryForObject("select count(*) from destruction_certificate where destruction_id = ?",
                Integer.class, destructionId);
        if (existing != null && existing > 0) {
            transactions.executeWithoutResult(tx -> complete(destructionId));
            return Optional.empty();
        }
        List<Map<String, Object>> items = items(destructionId);
        if (items.isEmpty()) {
            transactions.executeWithoutResult(tx -> complete(destructionId));
            return Optional.empty();
        }
        Map<String, Object> run = jdbc.queryForObject("select trigger_kind, operator, as_of, started_at from destruction"
                + " where id = ?", (rs, n) -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("trigger_kind", rs.getString(1));
                    row.put("operator", rs.getString(2));
                    row.put("as_of", rs.getDate(3).toLocalDate().toString());
                    row.put("started_at", rs.getTimestamp(4).toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
                    return row;
                }, destructionId);
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String body = body(destructionId, run, items, issuedAt);
        String signature = sign(body);
        String sha256 = sha256(body);
        Path dir = GatewayHome.ensureDirectory(home.destructionCertificatesDir());
        write(dir.resolve(destructionId + ".json"), body);
        write(dir.resolve(destructionId + ".json.asc"), signature);
        String path = home.root().relativize(dir.resolve(destructionId + ".json")).toString();
        transactions.executeWithoutResult(tx -> {
            jdbc.update("insert into destruction_certificate (id, destruction_id, issued_at, sha256, body, signature,"
                            + " path) values (?, ?, ?, ?, ?, ?, ?)", destructionId, destructionId, Timestamp.from(issuedAt),
                    sha256, body, signature, path);
            for (Map<String, Object> item : items) {
                if ("LINKED_DATA".equals(item.get("unit"))) {
                    releases.linkedDataCertified((String) item.get("subject"), destructionId);
                }
            }
            complete(destructionId);
            audit.record(AuditEventType.DESTRUCTION_CERTIFIED, null, destructionId,
                    run.get("operator") == null ? DestructionJob.ACTOR : (String) run.get("operator"),
                    "certificate=" + destructionId + " sha256=" + sha256 + " items=" + items.size()
                            + " signer=" + gatewayKey.signingPublicKeyFingerprint());
        });
        return Optional.of(destructionId);
    }

    public List<Summary> list() {
        return jdbc.query("select c.id, c.issued_at, c.sha256, d.trigger_kind, d.operator,"
                        + " (select count(*) from destruction_item i where i.destruction_id = d.id and i.state = 'DONE') as items"
                        + " from destruction_certificate c join destruction d on d.id = c.destruction_id order by c.issued_at, c.id",
                (rs, n) -> new Summary(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getInt(6)));
    }

    /** The certificates of runs that destroyed council data or linked data of the council's batches (all if null). */
    @Override
    public List<Issued> coveringCouncilBatches(String councilCode) {
        String sql = "select distinct c.id, c.issued_at from destruction_certificate c join destruction_item di"
                + " on di.destruction_id = c.destruction_id where di.unit_type in ('COUNCIL_DATA', 'LINKED_DATA')"
                + (councilCode == null ? "" : " and di.partner_code = ?") + " order by c.issued_at, c.id";
        return jdbc.query(sql, (rs, n) -> {
            Timestamp issued = rs.getTimestamp(2);
            return new Issued(rs.getString(1), issued == null ? null : issued.toInstant());
        }, councilCode == null ? new Object[0] : new Object[] {councilCode});
    }

    public Optional<Certificate> find(String id) {
        return jdbc.query("select id, destruction_id, issued_at, sha256, body, signature from destruction_certificate"
                        + " where id = ?", (rs, n) -> new Certificate(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3).toInstant(), rs.getString(4), rs.getString(5), rs.getString(6)), id)
                .stream().findFirst();
    }

    private void complete(String destructionId) {
        jdbc.update("update destruction set status = 'COMPLETED', completed_at = ? where id = ? and status = 'RUNNING'",
                Timestamp.from(clock.instant()), destructionId);
    }

    private List<Map<String, Object>> items(String destructionId) {
        List<Map<String, Object>> items = new ArrayList<>();
        jdbc.query("select unit_type, subject_id, partner_code, data_kind, clause, done_at, evidence from destruction_item"
                + " where destruction_id = ? and state = 'DONE' order by unit_type, subject_id", rs -> {
                    Map<String, Object> item = new LinkedHashMap<>();
                    item.put("unit", rs.getString("unit_type"));
                    item.put("subject", rs.getString("subject_id"));
                    item.put("partner", rs.getString("partner_code"));
                    item.put("dataKind", rs.getString("data_kind"));
                    item.put("clause", rs.getString("clause"));
                    item.put("destroyedAt", rs.getTimestamp("done_at").toInstant().truncatedTo(ChronoUnit.MILLIS).toString());
                    try {
                        item.putAll(json.readValue(rs.getString("evidence"),
                                new TypeReference<LinkedHashMap<String, Object>>() { }));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("destruction evidence unreadable", e);
                    }
                    items.add(item);
                }, destructionId);
        return items;
    }

    private String body(String destructionId, Map<String, Object> run, List<Map<String, Object>> items, Instant issuedAt) {
        long rows = 0;
        long files = 0;
        long keys = 0;
        for (Map<String, Object> item : items) {
            rows += ((Number) item.get("rowsTotal")).longValue();
            files += ((List<?>) item.get("files")).size();
            keys += ((List<?>) item.get("dataKeys")).size();
        }
        Map<String, Object> runPart = new LinkedHashMap<>();
        runPart.put("id", destructionId);
        runPart.put("trigger", run.get("trigger_kind"));
        runPart.put("operator", run.get("operator"));
        runPart.put("asOf", run.get("as_of"));
        runPart.put("startedAt", run.get("started_at"));
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("items", items.size());
        totals.put("rows", rows);
        totals.put("files", files);
        totals.put("dataKeys", keys);
        Map<String, Object> certificate = new LinkedHashMap<>();
        certificate.put("type", "linkgate-destruction-certificate");
        certificate.put("version", 1);
        certificate.put("certificate", destructionId);
        certificate.put("agreement", policy.agreement().reference());
        certificate.put("issuedAt", issuedAt.toString());
        certificate.put("signedBy", gatewayKey.signingPublicKeyFingerprint());
        certificate.put("declaration", DECLARATION);
        certificate.put("run", runPart);
        certificate.put("totals", totals);
        certificate.put("items", items);
        try {
            return json.writeValueAsString(certificate) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String sign(String body) {
        try {
            return new PgpEncryptSigner().signDetachedArmored(
                    new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), gatewayKey);
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("cannot sign the destruction certificate", e);
        }
    }

    static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Written whole then renamed: a reader never sees half a certificate; an unrecorded attempt is overwritten. */
    private static void write(Path target, String text) {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        try {
            Files.writeString(part, text, StandardCharsets.UTF_8);
            Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the destruction certificate", e);
        }
    }
}
