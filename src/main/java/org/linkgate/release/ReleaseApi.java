package org.linkgate.release;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Releases of linked data to the sponsor over HTTP. An ANALYST asks ({@code POST /api/releases}
 * with a purpose of the agreement); the release is checked and built at once and answered with its
 * k-anonymity report (201 awaiting approval, 422 refused with the reason). An ADMIN other than the
 * requester approves ({@code /approve}) or rejects ({@code /reject}); roles are enforced by
 * {@code HttpSecurityConfiguration}, the two-person rule by {@link Releases}.
 */
@RestController
@RequestMapping("/api/releases")
public class ReleaseApi {

    private final Releases releases;

    public ReleaseApi(Releases releases) {
        this.releases = releases;
    }

    /** A release request: the purpose (one of the agreement's), optionally the recipient and batch periods. */
    public record ReleaseRequest(String purpose, String recipient, List<String> periods) {
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> request(@RequestBody ReleaseRequest body, Principal user) {
        if (body == null) {
            throw new IllegalArgumentException("a purpose is required");
        }
        String id = releases.request(body.recipient(), body.purpose(), body.periods(), user.getName());
        Map<String, Object> view = releases.find(id).orElseThrow();
        HttpStatus status = "REFUSED".equals(view.get("status")) ? HttpStatus.UNPROCESSABLE_ENTITY : HttpStatus.CREATED;
        return ResponseEntity.status(status).body(view);
    }

    @GetMapping
    public List<Map<String, Object>> list() {
        return releases.list();
    }

    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> get(@PathVariable String id) {
        return releases.find(id).map(ResponseEntity::ok).orElse(ResponseEntity.notFound().build());
    }

    @PostMapping("/{id}/approve")
    public Map<String, Object> approve(@PathVariable String id, Principal user) {
        releases.approve(id, user.getName());
        return releases.find(id).orElseThrow();
    }

    @PostMapping("/{id}/reject")
    public Map<String, Object> reject(@PathVariable String id, @RequestBody(required = false) Map<String, String> body,
                                      Principal user) {
        releases.reject(id, user.getName(), body == null ? null : body.get("reason"));
        return releases.find(id).orElseThrow();
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<Map<String, String>> notFound(NoSuchElementException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no such release"));
    }

    @ExceptionHandler(Releases.TwoPersonRuleException.class)
    ResponseEntity<Map<String, String>> twoPersonRule(Releases.TwoPersonRuleException e) {
        return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(Releases.NotPendingException.class)
    ResponseEntity<Map<String, String>> conflict(Releases.NotPendingException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
