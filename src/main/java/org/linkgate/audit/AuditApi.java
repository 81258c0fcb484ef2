package org.linkgate.audit;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * What auditors use (role AUDITOR): the audit trail filtered and exported as JSON or CSV, the
 * chain's verification, the signed head for anchoring outside the gateway, and the check of a head
 * exported earlier. Metadata only; every request is itself audited by {@link ApiAccessAudit}.
 */
@RestController
@RequestMapping("/api/audit")
public class AuditApi {

    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final AuditTrail trail;
    private final AuditChainVerifier verifier;
    private final AuditHeadSigner heads;

    public AuditApi(AuditTrail trail, AuditChainVerifier verifier, AuditHeadSigner heads) {
        this.trail = trail;
        this.verifier = verifier;
        this.heads = heads;
    }

    /**
     * Events in chain order as JSON; {@code from} inclusive, {@code to} exclusive, both ISO-8601 instants;
     * {@code pseudoId} selects a person's events. {@code format=csv} is served by {@link #eventsCsv}.
     */
    @GetMapping("/events")
    public List<AuditEventRecord> events(@RequestParam(required = false) String subject,
            @RequestParam(required = false) String partner, @RequestParam(required = false) String actor,
            @RequestParam(required = false) String type, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String pseudoId,
            @RequestParam(defaultValue = "json") String format,
            @RequestParam(defaultValue = "" + AuditEventFilter.DEFAULT_LIMIT) int limit) {
        if (!"json".equals(format)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "format must be json or csv");
        }
        return trail.find(filter(subject, partner, actor, type, from, to, pseudoId, limit));
    }

    /** The same events as RFC 4180 CSV, streamed, values guarded against spreadsheet formulas. */
    @GetMapping(value = "/events", params = "format=csv")
    public ResponseEntity<StreamingResponseBody> eventsCsv(@RequestParam(required = false) String subject,
            @RequestParam(required = false) String partner, @RequestParam(required = false) String actor,
            @RequestParam(required = false) String type, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String pseudoId,
            @RequestParam(defaultValue = "" + AuditEventFilter.DEFAULT_LIMIT) int limit) {
        AuditEventFilter filter = filter(subject, partner, actor, type, from, to, pseudoId, limit);
        return ResponseEntity.ok().contentType(TEXT_CSV)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-events.csv\"")
                .body(out -> {
                    Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                    trail.writeCsv(filter, writer);
                    writer.flush();
                });
    }

    /** Walks the whole chain; {@code intact} false names the first broken link. */
    @GetMapping("/verify")
    public ChainVerification verify() {
        return verifier.verify();
    }

    /** The current head, signed by the gateway key: {@code head} is the signed text, verbatim. */
    @GetMapping("/head")
    public SignedHead head() {
        return heads.export();
    }

    /** Verifies the chain and that a head exported earlier is signed by the gateway and still part of it. */
    @PostMapping("/verify-head")
    public ChainVerification verifyHead(@RequestBody SignedHead exported) {
        if (exported == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "body must be {head, signature}");
        }
        return verifier.verifyAgainst(exported);
    }

    private static AuditEventFilter filter(String subject, String partner, String actor, String type, String from,
            String to, String pseudoId, int limit) {
        try {
            return new AuditEventFilter(blankToNull(subject), blankToNull(partner), blankToNull(actor),
                    type == null || type.isBlank() ? null : AuditEventType.valueOf(type.strip()),
                    instant(from), instant(to), blankToNull(pseudoId), limit);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "bad filter: " + e.getMessage());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instant(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value.strip());
    }
}
