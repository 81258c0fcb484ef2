package org.linkgate.intake;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects row problems for a report with bounded memory: the first {@code limit} problems are
 * listed, all are counted by rule, and bad rows are counted once however many problems they have.
 */
final class ProblemCollector {

    private final int limit;
    private final List<IntakeReport.RowProblem> listed = new ArrayList<>();
    private final Map<String, Long> countsByRule = new TreeMap<>();
    private long badRows;
    private long total;

    ProblemCollector(int limit) {
        this.limit = limit;
    }

    /** Adds all problems of one row; a row with at least one problem counts as one bad row. */
    void addRow(List<IntakeReport.RowProblem> problems) {
        if (problems.isEmpty()) {
            return;
        }
        badRows++;
        problems.forEach(this::add);
    }

    private void add(IntakeReport.RowProblem problem) {
        total++;
        countsByRule.merge(problem.rule(), 1L, Long::sum);
        if (listed.size() < limit) {
            listed.add(problem);
        }
    }

    long badRows() {
        return badRows;
    }

    List<IntakeReport.RowProblem> listed() {
        return List.copyOf(listed);
    }

    boolean truncated() {
        return total > listed.size();
    }

    Map<String, Long> countsByRule() {
        return Map.copyOf(countsByRule);
    }
}
