package org.linkgate.inbound;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.linkgate.crypto.PgpVerificationException;
import org.linkgate.kernel.GatewayMetrics;

/**
 * What differs between the two kinds of inbound file — council batches and department returns —
 * and nothing else: the lifecycle ({@link InboundLifecycle}) asks its side for its ledger, its name
 * rule, its admission rule, the sender's key, its report and what its outcome does to the store.
 * The side's processing stages are beans of their own, wired between {@code verify} and
 * {@code commit} in the side's route template.
 */
public interface InboundSide {

    /** This side's ledger. */
    InboundLedger ledger();

    /** The stage this side's files are counted under in metrics. */
    GatewayMetrics.Stage stage();

    /** The partner word used in messages and alerts: "council" or "department". */
    String partnerKind();

    /**
     * The parsed name of a received file, or empty when it breaks the contract for this partner.
     * Called before the name is used for anything else.
     */
    Optional<?> parseName(String partner, String fileName);

    /** The side's own ledger columns for a file of this (possibly unparsable) name. */
    Map<String, Object> ledgerDetails(Optional<?> name);

    /**
     * Why a file must be refused unopened — its name breaks the contract or the agreement does not
     * allow it from this partner today — or empty to open it.
     */
    Optional<FileError> admission(InboundContext file);

    /** The key the sender must have signed with. */
    PGPPublicKeyRing senderKey(String partner);

    /** Bounds on the decrypted content of a file of this size. */
    org.linkgate.crypto.PgpLimits limits(long ciphertextBytes);

    /** The report error for a file that failed decryption or verification. */
    FileError verificationError(PgpVerificationException.Reason reason);

    /** The report, as JSON, of a file refused before its content was read. */
    String refusalReport(InboundContext file, FileError error);

    /** The report, as JSON, of a content already received. */
    String duplicateReport(InboundFile file, InboundFile original);

    /**
     * After the side's stages have read the whole file: its outcome (status, counts, report). Runs
     * before the commit transaction; a side may tidy staged data here (e.g. later duplicates).
     */
    Decision decide(InboundContext file);

    /**
     * Inside the commit transaction, after the ledger records the outcome: what the outcome does
     * beyond the ledger (plan extracts, mark an extract returned, open an incident).
     */
    void committed(InboundContext file, Decision decision);

    /** Removes what an interrupted or rejected attempt staged for this file id (idempotent). */
    void purge(String fileId);

    /** The name the report on this file goes out under. */
    String reportName(InboundFile file);

    /** Puts a sealed report where the partner collects it. */
    void deliverReport(String partner, Path sealedReport, String reportName);

    /** The outcome a side decides for a file it has read. */
    record Decision(InboundStatus status, InboundLedger.Counts counts, String schemaId, String reportJson) {
    }
}
