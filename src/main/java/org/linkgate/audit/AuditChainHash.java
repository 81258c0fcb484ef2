package org.linkgate.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

/**
 * The canonical encoding of an audit event and its chain hash, version 1. Stable: changing any of
 * it breaks every chain already written, so a new encoding needs a new version tag.
 *
 * <p>The encoded bytes are nine fields, each written as a 4-byte big-endian signed length followed
 * by that many bytes of UTF-8; a null field is the length -1 and no bytes. In order:
 * <ol>
 *   <li>the version tag {@value #ENCODING_VERSION}</li>
 *   <li>seq, in decimal ASCII without sign or leading zeros</li>
 *   <li>occurred_at in UTC, truncated to microseconds, as {@code uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'}</li>
 *   <li>event_type, partner_code, subject_id, actor, detail, as stored</li>
 *   <li>prev_hash: 64 lower-case hex digits</li>
 * </ol>
 * The hash is the SHA-256 of those bytes in lower-case hex. The first event's prev_hash is
 * {@link #GENESIS}. Microseconds are what both PostgreSQL and H2 keep, so a timestamp reads back
 * exactly as it was hashed.
 */
public final class AuditChainHash {

    /** Domain separation and version of the encoding. */
    public static final String ENCODING_VERSION = "linkgate-audit-event-v1";

    /** The predecessor of the first event, and the head of an empty chain. */
    public static final String GENESIS = "0".repeat(64);

    private static final DateTimeFormatter OCCURRED_AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditChainHash() {
    }

    /** The instant as the chain stores it: truncated to microseconds. */
    public static Instant storable(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The canonical text of a timestamp (field 3). */
    public static String canonicalTime(Instant occurredAt) {
        return OCCURRED_AT.format(storable(occurredAt));
    }

    /** The canonical encoding of one event. */
    public static byte[] encode(long seq, Instant occurredAt, String eventType, String partnerCode,
            String subjectId, String actor, String detail, String prevHash) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        field(out, ENCODING_VERSION);
        field(out, Long.toString(seq));
        field(out, canonicalTime(occurredAt));
        field(out, eventType);
        field(out, partnerCode);
        field(out, subjectId);
        field(out, actor);
        field(out, detail);
        field(out, prevHash);
        return out.toByteArray();
    }

    /** Lower-case hex SHA-256 of the canonical encoding. */
    public static String hash(long seq, Instant occurredAt, String eventType, String partnerCode,
            String subjectId, String actor, String detail, String prevHash) {
        return sha256Hex(encode(seq, occurredAt, eventType, partnerCode, subjectId, actor, detail, prevHash));
    }

    /** Lower-case hex SHA-256 of the event's own fields; what its stored hash must equal. */
    public static String hashOf(AuditEventRecord event) {
        return hash(event.seq(), event.occurredAt(), event.eventType(), event.partnerCode(), event.subjectId(),
                event.actor(), event.detail(), event.prevHash());
    }

    /** Whether {@code value} looks like a chain hash: 64 lower-case hex digits. */
    public static boolean isHash(String value) {
        return value != null && value.length() == 64 && value.chars().allMatch(c -> (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'f'));
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static void field(ByteArrayOutputStream out, String value) {
        if (value == null) {
            writeInt(out, -1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
