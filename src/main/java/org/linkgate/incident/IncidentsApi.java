package org.linkgate.incident;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.linkgate.agreement.AgreementPolicy;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Incidents for operators (roles OPERATOR, ADMIN; cl. 13): the list with each deadline and
 * {@code overdue} flag, and the two steps operators take — acknowledge (OPEN -> ACKNOWLEDGED) and
 * close (ACKNOWLEDGED -> CLOSED) — each with a short note (at most
 * {@value Incidents#MAX_NOTE_LENGTH} characters, one line; what was done, never personal data),
 * the user recorded and audited. A step that does not follow the states is refused with 409. A person reports an
 * incident with {@code POST} (cl. 13.1): same 24-hour deadline and notifications as a detected one.
 */
@RestController
@RequestMapping("/api/ops/incidents")
public class IncidentsApi {

    private static final Set<String> STATUSES = Set.of("OPEN", "ACKNOWLEDGED", "CLOSED");
    private final Incidents incidents;
    private final AgreementPolicy agreement;

    public IncidentsApi(Incidents incidents, AgreementPolicy agreement) {
        this.incidents = incidents;
        this.agreement = agreement;
    }

    /**
     * An incident a person reports (cl. 13.1). {@code category} is one of {@link IncidentCategory#REPORTABLE};
     * {@code description} says what happened without personal data (it goes to every party);
     * {@code personalDataBreach} also tells the ICO; {@code partner} (optional) is the party concerned.
     */
    public record Report(String category, String description, Boolean personalDataBreach, String partner) {
    }

    /** Opens the incident at once, 24-hour deadline from now; 201 with it, 400 naming what is wrong. */
    @PostMapping
    public ResponseEntity<?> report(@RequestBody(required = false) Report body, Principal user) {
        if (body == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "a body {category, description, personalDataBreach,"
                    + " partner} is required"));
        }
        String partner = body.partner() == null || body.partner().isBlank() ? null
                : body.partner().strip().toUpperCase(java.util.Locale.ROOT);
        if (partner != null && agreement.agreement().party(partner).isEmpty()) {
            return ResponseEntity.badRequest().body(Map.of("error", "partner is not a party to the agreement"));
        }
        try {
            String id = incidents.report(body.category(), body.description(),
                    Boolean.TRUE.equals(body.personalDataBreach()), partner, user.getName());
            return ResponseEntity.status(HttpStatus.CREATED).body(incidents.find(id).orElseThrow());
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
    }

    /** Not-closed incidents, most urgent first; or those in one {@code status}. */
    @GetMapping
    public ResponseEntity<?> list(@RequestParam(required = false) String status) {
        if (status != null && !STATUSES.contains(status)) {
            return ResponseEntity.badRequest().body(Map.of("error", "status is one of " + STATUSES));
        }
        List<Incidents.Incident> found = incidents.list(status);
        return ResponseEntity.ok(found);
    }

    @GetMapping("/{id}")
    public ResponseEntity<?> one(@PathVariable String id) {
        return incidents.find(id).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no such incident")));
    }

    /** Body {@code {"note": "..."}} (optional). */
    public record Note(String note) {
    }

    @PostMapping("/{id}/acknowledge")
    public ResponseEntity<?> acknowledge(@PathVariable String id, @RequestBody(required = false) Note body, Principal user) {
        String note = body == null ? null : body.note();
        if (!Incidents.acceptableNote(note)) {
            return badNote();
        }
        return answer(id, incidents.acknowledge(id, user.getName(), note), "only an OPEN incident can be acknowledged");
    }

    @PostMapping("/{id}/close")
    public ResponseEntity<?> close(@PathVariable String id, @RequestBody(required = false) Note body, Principal user) {
        String note = body == null ? null : body.note();
        if (!Incidents.acceptableNote(note)) {
            return badNote();
        }
        return answer(id, incidents.close(id, user.getName(), note), "only an ACKNOWLEDGED incident can be closed");
    }

    private ResponseEntity<?> answer(String id, Incidents.Transition result, String conflict) {
        return switch (result) {
            case DONE -> ResponseEntity.ok(incidents.find(id).orElseThrow());
            case NOT_FOUND -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no such incident"));
            case INVALID -> ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", conflict));
        };
    }

    private static ResponseEntity<?> badNote() {
        return ResponseEntity.badRequest().body(Map.of("error", "a note is at most " + Incidents.MAX_NOTE_LENGTH
                + " characters on one line"));
    }
}
