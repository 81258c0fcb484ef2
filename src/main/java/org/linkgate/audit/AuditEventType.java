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
    /** Linkage found two persons to be one: the later id merged forward into the earlier (issue 12). */
    PERSONS_MERGED,
    /** An ADMIN decided a grey-zone pair is one person (merged forward), with a reference (issue 12). */
    LINKAGE_PAIR_ACCEPTED,
    /** An ADMIN decided a grey-zone pair is two persons: never linked or listed again, with a reference. */
    LINKAGE_PAIR_REJECTED,
    /** An ADMIN undid an accepted or rejected review pair, with a reference; a merge split forward (issue 12). */
    LINKAGE_DECISION_UNDONE,
    /** An ADMIN undid a merge forward that linking made on its own, with a reference; a non-link recorded (issue 12). */
    LINKAGE_MERGE_UNDONE,
    SFTP_LOGIN,
    SFTP_LOGIN_FAILED,
    EXTRACT_SENT,
    EXTRACT_DELIVERY_FAILED,
    RETURN_RECEIVED,
    RETURN_ACCEPTED,
    RETURN_REJECTED,
    RETURN_DUPLICATE,
    RETURN_QUARANTINED,
    RETURN_ARCHIVED,
    INCIDENT_OPENED,
    API_ACCESS,
    FLOW_REFUSED,
    HTTP_LOGIN_FAILED,
    INCIDENT_NOTIFIED,
    INCIDENT_ACKNOWLEDGED,
    INCIDENT_CLOSED,
    INCIDENT_OVERDUE,
    INCIDENT_RECURRED,
    DESTRUCTION_STARTED,
    DATA_DESTROYED,
    DESTRUCTION_CERTIFIED,
    DESTRUCTION_FAILED,
    TABLE_REQUESTED,
    TABLE_CHECKED,
    TABLE_APPROVED,
    TABLE_REJECTED,
    TABLE_RELEASED,
    FEEDBACK_RELEASED,
    HTTP_LOGIN,
    CONSOLE_ACCESS,
    /** Refused anonymous HTTP requests of one address (or of many), counted over a window. */
    HTTP_REFUSALS,
    /** An HTTP account or address refused further logins for a while after repeated failures. */
    HTTP_LOGIN_THROTTLED,
    /** A route stopped, suspended, started or resumed while the gateway runs (not its own start or shutdown). */
    ROUTE_STOPPED,
    ROUTE_SUSPENDED,
    ROUTE_STARTED,
    ROUTE_RESUMED,
    /** An SFTP upload refused for its size or the account's quota. */
    SFTP_UPLOAD_REFUSED,
    /** A partner's SFTP movements (cl. 7.2, 12.5): a file read (with the bytes sent), uploaded, renamed or removed. */
    SFTP_DOWNLOADED,
    SFTP_UPLOADED,
    SFTP_RENAMED,
    SFTP_REMOVED,
    /** A personal-data breach not notified to the ICO because the agreement waives it (the waiver's reason in detail). */
    INCIDENT_ICO_WAIVED,
    /** An encrypted notice put in a partner's outbound folder (cl. 7.4: quarantine; batch due; termination). */
    NOTICE_SENT,
    /** A notice e-mailed to a partner's contacts (how many, never the addresses). */
    NOTICE_EMAILED,
    /** A release of linked data to the sponsor was asked for (issue 13). */
    RELEASE_REQUESTED,
    /** A release was refused: purpose, k-anonymity, destroyed data, or a build failure; the reason is recorded. */
    RELEASE_REFUSED,
    RELEASE_APPROVED,
    RELEASE_REJECTED,
    RELEASE_SENT,
    RELEASE_DELIVERY_FAILED,
    /** The sponsor was asked, by a signed notice, to confirm destruction of its copies of releases (cl. 4.8, 12.7). */
    RELEASE_DESTRUCTION_NOTICE,
    /** A subject access lookup (cl. 9): who asked and what was found, never the identifying details given. */
    SUBJECT_ACCESS,
    /** Linked-data retention of a department extended for the longitudinal study (cl. 4.11, 12.8). */
    RETENTION_EXTENDED,
    /** The agreement terminated for a party, or as a whole, by an ADMIN while the gateway runs (cl. 13.2). */
    AGREEMENT_TERMINATED,
    /** A configuration (agreement, councils, departments) loaded while the gateway runs, with its SHA-256. */
    CONFIG_CHANGED,
    /** A configuration offered for reload and refused, with every problem found; the old one stays in force. */
    CONFIG_REFUSED
}
