package org.linkgate.audit;

/**
 * The outcome of walking the audit chain: intact, or the first broken link with its kind and why.
 * {@code brokenSeq} is the chain position where the walk found the break (null when the break is an
 * event with no position at all, or when intact).
 */
public record ChainVerification(boolean intact, long eventsChecked, long headSeq, String headHash,
        Long brokenSeq, Break kind, String reason) {

    /** Kinds of broken link. */
    public enum Break {
        /** An event's fields no longer give its stored hash: changed after it was written. */
        EDITED,
        /** An event is gone: a gap in seq, the chain ends before the head, or a predecessor is not in the chain. */
        MISSING,
        /** An event that does not belong: its successor links past it, it lies beyond the head, or it has no seq. */
        INSERTED,
        /** Events are out of order: an event links to one that comes after it. */
        REORDERED,
        /** The stored head, or an exported head, does not match the chain. */
        HEAD_MISMATCH,
        /** An exported head whose signature is not a valid one by the gateway key. */
        SIGNATURE_INVALID
    }

    static ChainVerification intact(long eventsChecked, long headSeq, String headHash) {
        return new ChainVerification(true, eventsChecked, headSeq, headHash, null, null, null);
    }

    static ChainVerification broken(long eventsChecked, AuditLog.ChainHead head, Long seq, Break kind, String reason) {
        return new ChainVerification(false, eventsChecked, head.seq(), head.hash(), seq, kind, reason);
    }
}
