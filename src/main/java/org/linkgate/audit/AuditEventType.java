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
    SFTP_UPLOAD_REFUSED
}
