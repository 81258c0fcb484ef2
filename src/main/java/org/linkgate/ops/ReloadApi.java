package org.linkgate.ops;

import java.security.Principal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * ADMIN {@code POST /api/admin/reload}: reloads the agreement and the partner folders ({@link ConfigReload}). 200 with
 * LOADED or UNCHANGED and the SHA-256 of what was read; 422 with every problem when the configuration is refused (the
 * one in force stays).
 */
@RestController
public class ReloadApi {

    private final ConfigReload reload;

    public ReloadApi(ConfigReload reload) {
        this.reload = reload;
    }

    @PostMapping("/api/admin/reload")
    public ResponseEntity<ConfigReload.Result> reload(Principal user) {
        ConfigReload.Result result = reload.reload("http:" + user.getName());
        return "REFUSED".equals(result.outcome()) ? ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY).body(result)
                : ResponseEntity.ok(result);
    }
}
