package org.linkgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The canonical encoding, pinned by a vector computed outside Java from the documented spec. */
class AuditChainHashTest {

    private static final Instant AT = Instant.parse("2026-11-01T10:00:00.123456789Z");

    @Test
    void matchesTheDocumentedEncoding() {
        // python3: sha256 of length-prefixed (4-byte big-endian, -1 for null) UTF-8 fields.
        assertThat(AuditChainHash.hash(1, AT, "FILE_ACCEPTED", "E10000012", null, "intake", "rows=3 ✓",
                AuditChainHash.GENESIS)).isEqualTo("a21418bf9500c838f30ac29b67fc45656ed3ae697508b5b2ae4fa92143cd62c0");
    }

    @Nested
    class FieldsCannotBeConfused {

        @Test
        void nullIsNotEmpty() {
            assertThat(hashWithDetail(null)).isNotEqualTo(hashWithDetail(""));
        }

        @Test
        void movingTextBetweenFieldsChangesTheHash() {
            assertThat(AuditChainHash.hash(1, AT, "T", "ab", "c", "x", null, AuditChainHash.GENESIS))
                    .isNotEqualTo(AuditChainHash.hash(1, AT, "T", "a", "bc", "x", null, AuditChainHash.GENESIS));
        }

        @Test
        void timeIsMicrosecondsInUtc() {
            assertThat(AuditChainHash.canonicalTime(AT)).isEqualTo("2026-11-01T10:00:00.123456Z");
            assertThat(AuditChainHash.canonicalTime(Instant.parse("2026-11-01T10:00:00Z")))
                    .isEqualTo("2026-11-01T10:00:00.000000Z");
        }

        private String hashWithDetail(String detail) {
            return AuditChainHash.hash(1, AT, "T", null, null, "x", detail, AuditChainHash.GENESIS);
        }
    }
}
