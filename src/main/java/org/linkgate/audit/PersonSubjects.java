package org.linkgate.audit;

import java.util.List;

/**
 * A feature that holds data about people says which of its audit subjects (files received,
 * extracts sent) concern one person, so the audit trail can be searched by person without SQL on
 * that feature's tables. Implemented by the owners of person-level tables; looked up by pseudo_id.
 */
public interface PersonSubjects {

    /** Subject ids (as audit events name them) whose data concerns the person with this pseudo_id. */
    List<String> subjectsOf(String pseudoId);
}
