package org.linkgate.linkage;

import java.security.Principal;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An ADMIN's decision on a grey-zone pair: {@code POST /api/linkage/review/{id}/accept}, {@code /reject} or
 * {@code /undo} with {@code {"reference": "..."}} (required). 200 with the pair; 400 without a valid reference;
 * 404 for no such pair; 409 if it was decided already, the decision would contradict an earlier one, or an
 * undo would change an id a department has seen (with the reason).
 */
@RestController
@RequestMapping("/api/linkage/review")
public class LinkageDecisionApi {

    private final LinkageDecisions decisions;
    private final DecisionUndo undo;
    private final JdbcTemplate jdbc;

    public LinkageDecisionApi(LinkageDecisions decisions, DecisionUndo undo, JdbcTemplate jdbc) {
        this.decisions = decisions;
        this.undo = undo;
        this.jdbc = jdbc;
    }

    @PostMapping("/{id}/accept")
    public Map<String, Object> accept(@PathVariable long id, @RequestBody(required = false) Map<String, String> body,
                                      Principal user) {
        decisions.accept(id, user.getName(), body == null ? null : body.get("reference"));
        return pair(id);
    }

    @PostMapping("/{id}/reject")
    public Map<String, Object> reject(@PathVariable long id, @RequestBody(required = false) Map<String, String> body,
                                      Principal user) {
        decisions.reject(id, user.getName(), body == null ? null : body.get("reference"));
        return pair(id);
    }

    @PostMapping("/{id}/undo")
    public Map<String, Object> undo(@PathVariable long id, @RequestBody(required = false) Map<String, String> body,
                                    Principal user) {
        undo.undo(id, user.getName(), body == null ? null : body.get("reference"));
        return pair(id);
    }

    private Map<String, Object> pair(long id) {
        return jdbc.queryForMap(LinkageReviewApi.PAIR_SELECT + " where id = ?", id);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<Map<String, String>> notFound(NoSuchElementException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no such review pair"));
    }

    @ExceptionHandler(LinkageDecisions.AlreadyDecidedException.class)
    ResponseEntity<Map<String, String>> conflict(LinkageDecisions.AlreadyDecidedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
