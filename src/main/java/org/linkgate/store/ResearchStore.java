package org.linkgate.store;

import java.util.List;
import org.linkgate.audit.PersonSubjects;
import org.linkgate.kernel.FileRows;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The research store's tables ({@code research_record}, {@code research_family}, {@code identity_vault}),
 * owned here, as other features may reach them: one file's rows, for retention to count and destroy.
 */
@Component
public class ResearchStore implements PersonSubjects {

    private final JdbcTemplate jdbc;

    public ResearchStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public FileRows records(String intakeId) {
        return new FileRows(jdbc, "research_record", "intake_id", intakeId);
    }

    public FileRows families(String intakeId) {
        return new FileRows(jdbc, "research_family", "intake_id", intakeId);
    }

    /** The sealed identities (the only clear identity the gateway keeps, sealed under the batch's data key). */
    public FileRows sealedIdentities(String intakeId) {
        return new FileRows(jdbc, "identity_vault", "intake_id", intakeId);
    }

    /** The council batches that brought this person's research record. */
    @Override
    public List<String> subjectsOf(String pseudoId) {
        return jdbc.queryForList("select distinct intake_id from research_record where pseudo_id = ?", String.class, pseudoId);
    }
}
