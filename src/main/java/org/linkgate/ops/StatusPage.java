package org.linkgate.ops;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' status page ({@code GET /status}, roles OPERATOR and ADMIN) and the same data as
 * JSON ({@code GET /api/ops/status}). Rendered on the server; the page needs no script and loads
 * nothing else, and its Content-Security-Policy allows nothing but its own inline style.
 */
@RestController
public class StatusPage {

    private final StatusReporter reporter;

    public StatusPage(StatusReporter reporter) {
        this.reporter = reporter;
    }

    @GetMapping(path = "/status", produces = MediaType.TEXT_HTML_VALUE)
    public ResponseEntity<String> page() {
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", StatusPageRenderer.contentSecurityPolicy())
                .header("Referrer-Policy", "no-referrer")
                .contentType(new MediaType(MediaType.TEXT_HTML, java.nio.charset.StandardCharsets.UTF_8))
                .body(StatusPageRenderer.render(reporter.report()));
    }

    @GetMapping(path = "/api/ops/status", produces = MediaType.APPLICATION_JSON_VALUE)
    public StatusReport json() {
        return reporter.report();
    }
}
