package org.linkgate.audit;

/** Kinds of audited event. Names are stored; never rename one, only add. */
public enum AuditEventType {
    FILE_RECEIVED,
    FILE_VERIFIED,
    FILE_ACCEPTED,
    FILE_PARTIALLY_ACCEPTED,
    FILE_REJECTED,
    FILE_DUPLICATE,
    FILE_QUARANTINED,
    FILE_ARCHIVED,
    REPORT_SENT,
    SFTP_LOGIN,
    SFTP_LOGIN_FAILED
}
