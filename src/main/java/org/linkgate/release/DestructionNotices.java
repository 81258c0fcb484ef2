package org.linkgate.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.openpgp.PGPException;
import org.linkgate.agreement.AgreementPolicy;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.crypto.GatewayPgpKey;
import org.linkgate.crypto.PgpEncryptSigner;
import org.linkgate.kernel.GatewayHome;
import org.linkgate.transfer.TransferFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Once the gateway has destroyed linked data that a release was made from (its destruction
 * certificate lists the release), the recipient is asked to destroy its copies too and to confirm
 * (cl. 4.8, 12.7): a JSON notice, encrypted to it and signed by the gateway, delivered like a release
 * as {@code <RECIPIENT>_DESTRUCTION-NOTICE_<ID>.json.pgp}, listing each release (id, file name,
 * SHA-256, when sent), the periods destroyed and the certificates that record it. Each release is
 * noticed once ({@code data_release.destruction_notice_at}); a failed delivery is tried again next
 * round. What was destroyed and certified is what retention told {@link ReleaseHoldings}, so a notice
 * waits for the certificate and always names it. Called by route {@code release-delivery}.
 */
@Component("destructionNotices")
public class DestructionNotices {

    static final String REQUEST = "The linked data these releases were made from has reached the end of its retention"
            + " under the agreement and has been destroyed by the processor (see the destruction certificates listed)."
            + " Please destroy every copy of the releases listed, including derived record-level files, and confirm"
            + " their destruction to the processor quoting this notice's id (cl. 4.8, 12.7).";
    private static final Logger LOG = LoggerFactory.getLogger(DestructionNotices.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ReleaseRecipients recipients;
    private final ReleaseDelivery delivery;
    private final GatewayPgpKey gatewayKey;
    private final GatewayHome home;
    private final AgreementPolicy policy;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DestructionNotices(JdbcTemplate jdbc, TransactionTemplate transactions, ReleaseRecipients recipients,
                              ReleaseDelivery delivery, GatewayPgpKey gatewayKey, GatewayHome home, AgreementPolicy policy,
                              AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.recipients = recipients;
        this.delivery = delivery;
        this.gatewayKey = gatewayKey;
        this.home = home;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
    }

    /** File name of a notice: {@code <RECIPIENT>_DESTRUCTION-NOTICE_<ID>.json.pgp}. */
    static String fileName(String recipientCode, String noticeId) {
        return recipientCode + "_DESTRUCTION-NOTICE_" + noticeId + ".json.pgp";
    }

    /** Sends one notice per recipient covering every sent release over destroyed data not yet noticed; returns their ids. */
    public synchronized List<String> sendDue() {
        List<String> sent = new ArrayList<>();
        for (ReleaseRecipients.Configured recipient : recipients.all()) {
            List<Map<String, Object>> releases = jdbc.queryForList("select d.id, d.file_name, d.sha256, d.sent_at"
                    + " from data_release d where d.recipient_code = ? and d.status = 'SENT' and d.destruction_notice_at is null"
                    + " and exists (select 1 from release_intake ri where ri.release_id = d.id"
                    + " and ri.linked_data_destroyed_at is not null and ri.destruction_certificate_id is not null)"
                    + " order by d.sent_at, d.id",
                    recipient.code());
            if (releases.isEmpty()) {
                continue;
            }
            try {
                send(recipient, releases).ifPresent(sent::add);
            } catch (RuntimeException e) {
                LOG.warn("destruction notice to {} not delivered, next round tries again: {}", recipient.code(),
                        TransferFailure.describe(e));
            }
        }
        return sent;
    }

    private Optional<String> send(ReleaseRecipients.Configured recipient, List<Map<String, Object>> releases) {
        String id = UUID.randomUUID().toString().replace("-", "").substring(0, 16).toUpperCase(java.util.Locale.ROOT);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<Map<String, Object>> listed = new ArrayList<>();
        for (Map<String, Object> release : releases) {
            String releaseId = (String) release.get("id");
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("release", releaseId);
            entry.put("fileName", release.get("file_name"));
            entry.put("sha256", release.get("sha256"));
            entry.put("sentAt", release.get("sent_at") instanceof Timestamp t ? t.toInstant().toString() : null);
            entry.put("periodsDestroyed", jdbc.queryForList("select distinct period from release_intake"
                    + " where release_id = ? and linked_data_destroyed_at is not null order by period", String.class,
                    releaseId));
            entry.put("destructionCertificates", jdbc.queryForList("select distinct destruction_certificate_id"
                    + " from release_intake where release_id = ? and destruction_certificate_id is not null"
                    + " order by destruction_certificate_id", String.class, releaseId));
            listed.add(entry);
        }
        Map<String, Object> notice = new LinkedHashMap<>();
        notice.put("type", "linkgate-release-destruction-notice");
        notice.put("version", 1);
        notice.put("notice", id);
        notice.put("agreement", policy.agreement().reference());
        notice.put("recipient", recipient.code());
        notice.put("issuedAt", now.toString());
        notice.put("signedBy", gatewayKey.signingPublicKeyFingerprint());
        notice.put("request", REQUEST);
        notice.put("releases", listed);
        byte[] body;
        try {
            body = (json.writeValueAsString(notice) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String name = fileName(recipient.code(), id);
        Path staged = GatewayHome.ensureDirectory(home.root().resolve("work/releases")).resolve(name);
        try {
            try (OutputStream out = Files.newOutputStream(staged)) {
                new PgpEncryptSigner().encryptAndSign(new ByteArrayInputStream(body), out,
                        recipient.recipient().pgpPublicKey(), gatewayKey, name.substring(0, name.length() - 4));
            }
            delivery.deliver(recipient.recipient(), staged, name, Files.size(staged));
        } catch (IOException | PGPException e) {
            throw new IllegalStateException("destruction notice could not be written", e);
        } finally {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException e) {
                LOG.warn("could not remove staged notice {}", name);
            }
        }
        transactions.executeWithoutResult(tx -> {
            for (Map<String, Object> release : releases) {
                jdbc.update("update data_release set destruction_notice_at = ? where id = ?", Timestamp.from(now),
                        release.get("id"));
                audit.record(AuditEventType.RELEASE_DESTRUCTION_NOTICE, recipient.code(), (String) release.get("id"),
                        "release", "notice=" + id + " file=" + name);
            }
        });
        LOG.info("destruction notice {} for {} release(s) delivered to {}", id, releases.size(), recipient.code());
        return Optional.of(id);
    }
}
