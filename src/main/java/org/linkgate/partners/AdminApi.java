package org.linkgate.partners;

import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What only an ADMIN does to the agreement while the gateway runs (roles in {@code HttpSecurityConfiguration}, every
 * request audited by {@code ApiAccessAudit}): terminate it for a party or as a whole (cl. 13.2, {@link Terminations}),
 * and list the terminations recorded so.
 */
@RestController
@RequestMapping("/api/admin")
public class AdminApi {

    private final Terminations terminations;

    public AdminApi(Terminations terminations) {
        this.terminations = terminations;
    }

    /** Body of a termination: {@code party} (absent: the whole agreement) and a one-line {@code reason}. */
    public record Termination(String party, String reason) {
    }

    /** 200 when terminated (in force at once), 409 when already terminated, 400 naming what is wrong. */
    @PostMapping("/terminate")
    public ResponseEntity<Map<String, Object>> terminate(@RequestBody(required = false) Termination body, Principal user) {
        if (body == null) {
            return ResponseEntity.badRequest().body(Map.of("error", "a body {party, reason} is required"));
        }
        try {
            Terminations.Outcome outcome = terminations.terminate(body.party(), body.reason(), user.getName());
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("outcome", outcome.name());
            answer.put("party", body.party() == null || body.party().isBlank() ? null : body.party().strip());
            answer.put("terminations", terminations.list());
            return outcome == Terminations.Outcome.TERMINATED ? ResponseEntity.ok(answer)
                    : ResponseEntity.status(HttpStatus.CONFLICT).body(answer);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
        }
    }

    @GetMapping("/terminations")
    public List<Terminations.Recorded> list() {
        return terminations.list();
    }
}
