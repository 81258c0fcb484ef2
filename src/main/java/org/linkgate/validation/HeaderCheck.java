package org.linkgate.validation;

import java.util.List;

/**
 * The outcome of reading the header row: the schema columns present, in header order,
 * and any problems. A file with any header problem must be rejected whole (fail closed);
 * {@link CsvBatchReader#next()} refuses to read rows after one.
 */
public record HeaderCheck(List<String> columns, List<HeaderProblem> problems) {

    public HeaderCheck {
        columns = List.copyOf(columns);
        problems = List.copyOf(problems);
    }

    /** True when the header has no problems. */
    public boolean isAcceptable() {
        return problems.isEmpty();
    }
}
