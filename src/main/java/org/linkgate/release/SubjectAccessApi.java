package org.linkgate.release;

import java.security.Principal;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/subject-access} (ADMIN, cl. 9): a data subject's request, answered from the
 * ledgers ({@link SubjectAccess}). A POST so the details travel in the body, never in a URL or an
 * access log; the body is neither stored nor logged.
 */
@RestController
public class SubjectAccessApi {

    private final SubjectAccess subjectAccess;

    public SubjectAccessApi(SubjectAccess subjectAccess) {
        this.subjectAccess = subjectAccess;
    }

    @PostMapping("/api/subject-access")
    public Map<String, Object> lookup(@RequestBody SubjectAccess.Lookup lookup, Principal user) {
        if (lookup == null) {
            throw new IllegalArgumentException("give council and personRef, or forename, surname and dateOfBirth");
        }
        return subjectAccess.lookup(lookup, user.getName());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
}
