package org.linkgate.ops;

import java.util.Map;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hands an authenticated API client the CSRF token it must send back (header
 * {@code X-XSRF-TOKEN}) on POST, PUT and DELETE. Reading it also sets the XSRF-TOKEN cookie.
 */
@RestController
public class CsrfApi {

    @GetMapping("/api/csrf")
    public Map<String, String> csrf(CsrfToken token) {
        return Map.of("headerName", token.getHeaderName(), "token", token.getToken());
    }
}
