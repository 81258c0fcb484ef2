package org.linkgate.partners;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox of notices to partners (table {@code partner_notice}): a notice is queued in the caller's transaction,
 * with what caused it (a file quarantined, a rejection reported, a batch due, a termination), so it exists exactly
 * when its cause does, survives a crash, and is queued once per cause ({@code kind, subject, partner} unique).
 * {@link PartnerNoticeSender} delivers it: an encrypted, gateway-signed JSON notice into the partner's outbound
 * folder and/or a plain-text e-mail to the partner's contacts. Bodies carry metadata only (file names the contract
 * allows, ids, counts, dates, fixed texts), never a value from a file.
 */
@Component
public class PartnerNotices {

    public static final String NOTICE_SUFFIX = ".notice.json.pgp";
    /** A file given up after max-attempts (cl. 7.4): encrypted notice and e-mail. */
    public static final String FILE_QUARANTINED = "FILE_QUARANTINED";
    /** A file rejected: its encrypted report is already in outbound/, so an e-mail only. */
    public static final String FILE_REJECTED = "FILE_REJECTED";
    /** A batch falls due soon (cl. 6.2b). */
    public static final String BATCH_DUE = "BATCH_DUE";
    /** A batch is past its due date. */
    public static final String BATCH_OVERDUE = "BATCH_OVERDUE";
    /** The agreement is terminated for this party, or as a whole (cl. 13.2). */
    public static final String TERMINATION = "TERMINATION";

    private static final int MAX_TEXT = 3900;
    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Clock clock;
    private final TransactionTemplate joinOrBegin;
    private final TransactionTemplate nested;

    public PartnerNotices(JdbcTemplate jdbc, ObjectMapper json, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
        DataSourceTransactionManager manager = new DataSourceTransactionManager(
                Objects.requireNonNull(jdbc.getDataSource(), "jdbc has no DataSource"));
        this.joinOrBegin = new TransactionTemplate(manager);
        // A second queueing of the same cause must not spoil the caller's transaction: a savepoint.
        this.nested = new TransactionTemplate(manager);
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Queues one notice. {@code noticeName} (file name in the partner's outbound folder) null: e-mail only;
     * {@code emailText} null: notice only. Returns false when this cause was queued before (nothing changes).
     */
    public boolean queue(String partnerCode, String kind, String subjectId, String noticeName, Map<String, Object> body,
            String emailText) {
        Objects.requireNonNull(partnerCode, "partnerCode");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(subjectId, "subjectId");
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("noticeVersion", 1);
        facts.put("kind", kind);
        facts.put("partner", partnerCode);
        facts.putAll(body);
        String bodyJson;
        try {
            bodyJson = json.writeValueAsString(facts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notice could not be serialised", e);
        }
        String text = emailText == null || emailText.length() <= MAX_TEXT ? emailText : emailText.substring(0, MAX_TEXT);
        Instant now = clock.instant();
        return Boolean.TRUE.equals(joinOrBegin.execute(outer -> {
            if (exists(partnerCode, kind, subjectId)) {
                return false;
            }
            try {
                nested.executeWithoutResult(tx -> jdbc.update("insert into partner_notice (id, partner_code, kind,"
                                + " subject_id, notice_name, body_json, email_text, created_at, notice_status, email_status,"
                                + " next_attempt_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        UUID.randomUUID().toString(), partnerCode, kind, subjectId, noticeName, bodyJson, text,
                        Timestamp.from(now), noticeName == null ? "NONE" : "PENDING", text == null ? "NONE" : "PENDING",
                        Timestamp.from(now)));
                return true;
            } catch (DuplicateKeyException raced) {
                return false;
            }
        }));
    }

    private boolean exists(String partnerCode, String kind, String subjectId) {
        Long n = jdbc.queryForObject("select count(*) from partner_notice where kind = ? and subject_id = ?"
                + " and partner_code = ?", Long.class, kind, subjectId, partnerCode);
        return n != null && n > 0;
    }

    /**
     * Cl. 7.4: a file the gateway gave up on (quarantined, e.g. after max-attempts) is notified to its sender, with
     * the name it was recorded under, its SHA-256 and the reason, as an encrypted notice and an e-mail.
     */
    public void fileQuarantined(String partnerCode, String partnerKind, String fileId, String recordedName,
            String sha256, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("fileId", fileId);
        body.put("fileName", recordedName);
        body.put("sha256", sha256);
        body.put("status", "QUARANTINED");
        body.put("reason", reason);
        body.put("agreementClause", "7.4: the sender is told of a file that could not be processed");
        body.put("whatToDo", "Nothing from this file was used. Please send the file again under a new name,"
                + " or contact the gateway's operators quoting the file id.");
        String email = "The Linkgate gateway could not process a file from " + partnerKind + " " + partnerCode
                + " and has set it aside (data sharing agreement, clause 7.4). This message holds no personal data.\n\n"
                + "file: " + recordedName + "\nfile id: " + fileId + "\nsha256: " + sha256 + "\nreason: " + reason
                + "\n\nNothing from this file was used. Please send the file again under a new name, or contact the"
                + " gateway's operators quoting the file id. An encrypted notice is in your outbound folder as "
                + noticeName(recordedName, fileId, "quarantined") + ".\n";
        queue(partnerCode, FILE_QUARANTINED, fileId, noticeName(recordedName, fileId, "quarantined"), body, email);
    }

    /**
     * A rejected file's report went to the sender's outbound folder: its contact is also e-mailed the outcome, with
     * the counts of problems by rule and where the encrypted report is. Never the report's rows.
     */
    public void fileRejected(String partnerCode, String partnerKind, String fileId, String fileName, String reportPath,
            String summary) {
        String email = "The Linkgate gateway rejected a file from " + partnerKind + " " + partnerCode
                + " (data sharing agreement, clause 7.4). This message holds no personal data.\n\n"
                + "file: " + fileName + "\nfile id: " + fileId + "\n" + summary + "\n\nThe full report, encrypted to your key"
                + " and signed by the gateway, is " + reportPath + ". Nothing from a rejected file is used.\n";
        queue(partnerCode, FILE_REJECTED, fileId, null, Map.of("fileId", fileId, "fileName", fileName), email);
    }

    /** The name of a notice about a file: unique to that received file, beside its report. */
    public static String noticeName(String fileName, String fileId, String what) {
        return fileName + "." + fileId + "." + what + NOTICE_SUFFIX;
    }
}
