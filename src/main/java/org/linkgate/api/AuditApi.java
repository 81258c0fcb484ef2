package org.linkgate.api;

import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.linkgate.audit.AuditChainVerifier;
import org.linkgate.audit.AuditEventFilter;
import org.linkgate.audit.AuditEventType;
import org.linkgate.audit.AuditHeadSigner;
import org.linkgate.audit.AuditTrail;
import org.linkgate.audit.ChainVerification;
import org.linkgate.audit.SignedHead;
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

    /** Events in chain order; {@code from} inclusive, {@code to} exclusive, both ISO-8601 instants. */
    @GetMapping("/events")
    public ResponseEntity<?> events(@RequestParam(required = false) String subject,
            @RequestParam(required = false) String partner, @RequestParam(required = false) String actor,
            @RequestParam(required = false) String type, @RequestParam(required = false) String from,
            @RequestParam(required = false) String to, @RequestParam(required = false) String pseudoId,
            @RequestParam(defaultValue = "json") String format,
            @RequestParam(defaultValue = "" + AuditEventFilter.DEFAULT_LIMIT) int limit) {
        AuditEventFilter filter;
        try {
            filter = new AuditEventFilter(blankToNull(subject), blankToNull(partner), blankToNull(actor),
                    type == null || type.isBlank() ? null : AuditEventType.valueOf(type.strip()),
                    instant(from), instant(to), blankToNull(pseudoId), limit);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "bad filter: " + e.getMessage());
        }
        return switch (format) {
            case "json" -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(trail.find(filter));
            case "csv" -> ResponseEntity.ok().contentType(TEXT_CSV)
                    .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-events.csv\"")
                    .body((StreamingResponseBody) out -> {
                        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                        trail.writeCsv(filter, writer);
                        writer.flush();
                    });
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "format must be json or csv");
        };
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

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static Instant instant(String value) {
        return value == null || value.isBlank() ? null : Instant.parse(value.strip());
    }
}
