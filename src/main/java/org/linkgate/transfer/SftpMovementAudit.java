package org.linkgate.transfer;

import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditLog;
import org.linkgate.kernel.Alerts;
import org.linkgate.sftp.SftpAccessListener;
import org.linkgate.validation.PartnerFileNames;
import org.linkgate.validation.UntrustedText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts what partners do on the embedded drop-zone into the audit trail: logins, failed logins, and every movement of
 * a file (cl. 7.2, 12.5) — a download with the bytes sent (a department taking its identifiable extract), an upload,
 * a rename and a removal. The event's partner is the account, its actor {@code sftp:<account>} and its detail the
 * path as the partner sees it ({@code file=upload/DFE_2015-06_7.csv.pgp bytes=1234}); the same {@code file=} as the
 * EXTRACT_SENT or REPORT_SENT that put it there, so an auditor can follow a file from sent to taken. A name a partner
 * chose that intake would not echo is recorded as {@code unsafe-name-<sha>} ({@link PartnerFileNames}), as intake
 * records it, so no personal data a partner put in a file name enters the audit chain; account names and addresses
 * are infrastructure, not personal data.
 */
public final class SftpMovementAudit implements SftpAccessListener {

    private static final Logger LOG = LoggerFactory.getLogger(SftpMovementAudit.class);
    /** audit_event.detail is varchar(2000): a partner's long file name must not make the event fail. */
    private static final int MAX_NAME = 600;

    private final AuditLog audit;
    private final Alerts alerts;
    private final List<SftpAccessListener> watchers;

    public SftpMovementAudit(AuditLog audit, Alerts alerts, List<SftpAccessListener> watchers) {
        this.audit = audit;
        this.alerts = alerts;
        this.watchers = List.copyOf(watchers);
    }

    @Override
    public void fileDownloaded(String username, String relativePath, long bytes) {
        audit.record(AuditEventType.SFTP_DOWNLOADED, partner(username), null, actor(username),
                "file=" + name(relativePath) + " bytes=" + bytes);
    }

    @Override
    public void fileUploaded(String username, String relativePath) {
        audit.record(AuditEventType.SFTP_UPLOADED, partner(username), null, actor(username),
                "file=" + name(relativePath));
    }

    @Override
    public void fileRenamed(String username, String fromRelativePath, String toRelativePath) {
        audit.record(AuditEventType.SFTP_RENAMED, partner(username), null, actor(username),
                "file=" + name(fromRelativePath) + " to=" + name(toRelativePath));
    }

    @Override
    public void fileRemoved(String username, String relativePath) {
        audit.record(AuditEventType.SFTP_REMOVED, partner(username), null, actor(username),
                "file=" + name(relativePath));
    }

    /** A write over the upload size or the quota: the partner's name of the file escaped, never trusted. */
    @Override
    public void uploadRefused(String username, String relativePath, String reason) {
        String partner = partner(username);
        String message = "upload " + name(relativePath) + " refused: " + reason;
        audit.record(AuditEventType.SFTP_UPLOAD_REFUSED, partner, null, actor(username), message);
        alerts.raise("SFTP_UPLOAD_REFUSED", partner, null, message.length() > 900 ? message.substring(0, 900) + "..." : message);
    }

    @Override
    public void loginSucceeded(String username, SocketAddress remoteAddress) {
        audit.record(AuditEventType.SFTP_LOGIN, partner(username), null, actor(username), "from " + remoteAddress);
    }

    @Override
    public void loginFailed(String username, SocketAddress remoteAddress, String reason) {
        audit.record(AuditEventType.SFTP_LOGIN_FAILED, null, null, "sftp", "user " + safe(username)
                + " from " + remoteAddress + ": " + reason);
        // Watchers (incident.LoginFailureWatch) turn repeated failures into an incident (cl. 13).
        for (SftpAccessListener watcher : watchers) {
            try {
                watcher.loginFailed(username, remoteAddress, reason);
            } catch (RuntimeException e) {
                // A watcher's failure must not hide the failed login from the others.
                LOG.error("login-failure watcher {} failed: {}", watcher.getClass().getSimpleName(), e.toString());
            }
        }
    }

    private static String partner(String username) {
        return username == null ? null : username.toUpperCase(Locale.ROOT);
    }

    private static String actor(String username) {
        return "sftp:" + safe(username);
    }

    /**
     * The path as recorded: each part the partner chose that intake would not echo becomes
     * {@code unsafe-name-<sha>} ({@link PartnerFileNames#forRecord}); the layout's folders ({@code upload},
     * {@code returns}) pass as they are.
     */
    static String name(String relativePath) {
        if (relativePath == null) {
            return "-";
        }
        String recorded = java.util.Arrays.stream(relativePath.split("/", -1))
                .map(part -> part.isEmpty() ? part : PartnerFileNames.forRecord(part))
                .collect(java.util.stream.Collectors.joining("/"));
        String escaped = UntrustedText.forLog(recorded);
        return escaped.length() > MAX_NAME ? escaped.substring(0, MAX_NAME) + "..." : escaped;
    }

    private static String safe(String username) {
        return username == null ? "-" : username.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
