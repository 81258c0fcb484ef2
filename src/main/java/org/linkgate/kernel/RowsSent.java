package org.linkgate.kernel;

import java.util.Collection;
import java.util.List;

/**
 * Which departments were sent given rows of council batches. Asked by features that sit below fan-out
 * (linkage, before it changes an id), answered by fan-out's extract ledger.
 */
public interface RowsSent {

    /** Each department that was sent any of the rows, as {@code "DEPT (batch <intake id>)"}, distinct and sorted. */
    List<String> sentTo(Collection<BatchRow> rows);
}
