package org.linkgate.linkage;

import org.linkgate.kernel.FileRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Linkage's per-row tables ({@code linkage_key}, {@code linkage_row}), owned here, as retention reaches
 * them: keyed hashes derived from a batch's identities, destroyed with those identities.
 */
@Component
public class LinkageRows {

    private final JdbcTemplate jdbc;

    public LinkageRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public FileRows matchKeys(String intakeId) {
        return new FileRows(jdbc, "linkage_key", "intake_id", intakeId);
    }

    public FileRows comparisons(String intakeId) {
        return new FileRows(jdbc, "linkage_row", "intake_id", intakeId);
    }
}
