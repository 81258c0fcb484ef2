package org.linkgate.retention;

import java.security.Principal;
import java.util.List;
import org.linkgate.agreement.AgreementPolicy;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Retention and destruction (cl. 12.7-12.11, 15): what is due today (auditors, admins), destruction
 * now at an admin's request, and the signed destruction certificates — the JSON exactly as signed and
 * its detached signature, so {@code gpg --verify <id>.json.asc <id>.json} checks them. Metadata only.
 */
@RestController
@RequestMapping("/api/retention")
public class RetentionApi {

    private static final MediaType PGP_SIGNATURE = new MediaType("application", "pgp-signature");
    private final RetentionSchedule schedule;
    private final DestructionJob job;
    private final DestructionCertificates certificates;
    private final java.time.Clock clock;
    private final RetentionExtensions extensions;

    public RetentionApi(RetentionSchedule schedule, DestructionJob job, DestructionCertificates certificates,
                        java.time.Clock clock, RetentionExtensions extensions) {
        this.extensions = extensions;
        this.schedule = schedule;
        this.job = job;
        this.certificates = certificates;
        this.clock = clock;
    }

    @GetMapping("/due")
    public RetentionSchedule.Due due() {
        return schedule.due(AgreementPolicy.today(clock));
    }

    /** Runs the destruction job now; the admin is named in the certificate and the audit trail. */
    @PostMapping("/destructions")
    public DestructionJob.Outcome destroy(Principal principal) {
        try {
            return job.runOnDemand(principal.getName());
        } catch (org.linkgate.retention.DestructionBusyException e) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, e.getMessage());
        }
    }

    /** A longitudinal-study extension of a department's linked data: {@code department}, {@code until}, {@code reference}. */
    public record ExtensionRequest(String department, java.time.LocalDate until, String reference) {
    }

    /** Records an ADMIN's decision to keep a department's linked data longer (cl. 4.11); audited. */
    @PostMapping("/extensions")
    public ResponseEntity<RetentionSchedule.Extension> extend(@org.springframework.web.bind.annotation.RequestBody
                                                              ExtensionRequest body, Principal principal) {
        if (body == null) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "department, until and reference are required");
        }
        try {
            extensions.extend(body.department(), body.until(), body.reference(), principal.getName());
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(schedule.extensions().stream()
                .filter(x -> x.department().equalsIgnoreCase(body.department().strip())).findFirst().orElseThrow());
    }

    @GetMapping("/extensions")
    public List<RetentionSchedule.Extension> extensions() {
        return schedule.extensions();
    }

    @GetMapping("/certificates")
    public List<DestructionCertificates.Summary> certificates() {
        return certificates.list();
    }

    @GetMapping(value = "/certificates/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> certificate(@PathVariable String id) {
        DestructionCertificates.Certificate certificate = find(id);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + certificate.id() + ".json\"")
                .body(certificate.body());
    }

    @GetMapping("/certificates/{id}/signature")
    public ResponseEntity<String> signature(@PathVariable String id) {
        DestructionCertificates.Certificate certificate = find(id);
        return ResponseEntity.ok().contentType(PGP_SIGNATURE)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + certificate.id() + ".json.asc\"")
                .body(certificate.signature());
    }

    private DestructionCertificates.Certificate find(String id) {
        if (id == null || !id.matches("[0-9a-f-]{36}")) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND);
        }
        return certificates.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
    }
}
