package org.linkgate.linkage;

import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Merges forward that linking made on its own, for an ADMIN: {@code GET /api/linkage/merges} lists them (pseudo
 * ids, batch, when, how many persons each moved; never identity) and {@code POST /api/linkage/merges/{id}/undo}
 * with {@code {"reference": "..."}} undoes one ({@link MergeUndo}). 200 with the merge; 400 without a valid
 * reference; 404 for no such merge; 409 if undone already, merged on since, or the undo would change an id a
 * department has seen (with the reason).
 */
@RestController
@RequestMapping("/api/linkage/merges")
public class LinkageMergeApi {

    /** A merge as the API shows it: pseudo ids, batch and times, never a row number. */
    static final String MERGE_SELECT = "select m.id, m.intake_id as \"intakeId\", m.person_id as \"personId\","
            + " m.survivor_id as \"survivorId\", m.merged_at as \"mergedAt\","
            + " (select count(*) from linkage_merge_move v where v.merge_id = m.id) as \"movedPersons\","
            + " m.undone_at as \"undoneAt\", m.undone_by as \"undoneBy\", m.undo_reference as \"reference\""
            + " from linkage_merge m";
    private final MergeUndo undo;
    private final JdbcTemplate jdbc;

    public LinkageMergeApi(MergeUndo undo, JdbcTemplate jdbc) {
        this.undo = undo;
        this.jdbc = jdbc;
    }

    /**
     * Automatic merges, newest first: {@code status} {@code merged} (default: standing), {@code undone} or
     * {@code all}; optionally of one batch ({@code intake}).
     */
    @GetMapping
    public Map<String, Object> merges(@RequestParam(required = false) String intake,
                                      @RequestParam(defaultValue = "merged") String status,
                                      @RequestParam(defaultValue = "0") int offset,
                                      @RequestParam(defaultValue = "100") int limit) {
        int size = Math.max(1, Math.min(limit, LinkageReviewApi.MAX_PAGE));
        List<String> conditions = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (intake != null) {
            conditions.add("m.intake_id = ?");
            args.add(intake);
        }
        switch (status) {
            case "merged" -> conditions.add("m.undone_at is null");
            case "undone" -> conditions.add("m.undone_at is not null");
            case "all" -> { }
            default -> throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status: merged, undone or all");
        }
        String where = conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total", jdbc.queryForObject("select count(*) from linkage_merge m" + where, Long.class, args.toArray()));
        page.put("offset", Math.max(0, offset));
        args.add(size);
        args.add(Math.max(0, offset));
        page.put("merges", jdbc.queryForList(MERGE_SELECT + where + " order by m.merged_at desc, m.id desc limit ? offset ?",
                args.toArray()));
        return page;
    }

    @PostMapping("/{id}/undo")
    public Map<String, Object> undo(@PathVariable long id, @RequestBody(required = false) Map<String, String> body,
                                    Principal user) {
        undo.undo(id, user.getName(), body == null ? null : body.get("reference"));
        return jdbc.queryForMap(MERGE_SELECT + " where m.id = ?", id);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<Map<String, String>> notFound(NoSuchElementException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no such automatic merge"));
    }

    @ExceptionHandler(LinkageDecisions.AlreadyDecidedException.class)
    ResponseEntity<Map<String, String>> conflict(LinkageDecisions.AlreadyDecidedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }
}
