package org.linkgate.returns;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.linkgate.inbound.FileError;
import org.linkgate.validation.DatasetSchema;

/**
 * What the stages learn of one return as it streams through them: the dataset's schema, the
 * extract it answers, counts, file errors, row-rule counts, identifier findings and unknown
 * tokens. Row numbers, column names and rules only — never a value.
 */
final class ReturnPass {

    /** Rows breaking one rule in one column: how many and the first. */
    static final class RuleCount {
        long count;
        long firstRow;
    }

    final ReturnFileName name;
    final List<FileError> fileErrors = new ArrayList<>();
    /** Identifier findings per column and rule, in the order first met: counted, never located. */
    final Map<GuardFinding, Long> findings = new LinkedHashMap<>();
    final Map<String, RuleCount> rowProblems = new LinkedHashMap<>();
    DatasetSchema schema;
    String schemaId;
    /** The return carries the optional per-person {@code matched} column (ReturnStages.MATCHED). */
    boolean matchedColumn;
    boolean extractKnown;
    boolean extractSent;
    /** REFUSED: never sent, or its council data destroyed; its members are gone, so tokens are not looked up. */
    boolean extractWithdrawn;
    /** The header as the department wrote it, for the identifier guard. */
    List<String> header = List.of();
    List<String> labels = List.of();
    /** Per position, whether the dataset declares the column an integer. */
    List<Boolean> integers = List.of();
    long findingCount;
    long unknownTokens;
    long firstUnknownRow;
    long rows;
    long staged;

    ReturnPass(ReturnFileName name) {
        this.name = name;
    }

    /** True while every row so far is fit to load: only then are rows staged. */
    boolean staging() {
        return schema != null && extractSent && fileErrors.isEmpty() && rowProblems.isEmpty()
                && findingCount == 0 && unknownTokens == 0;
    }

    void rowProblem(String column, String rule, long row) {
        RuleCount count = rowProblems.computeIfAbsent(column + "|" + rule, k -> new RuleCount());
        if (count.count++ == 0) {
            count.firstRow = row;
        }
    }

    void addFindings(List<GuardFinding> found) {
        findingCount += found.size();
        found.forEach(finding -> findings.merge(finding, 1L, Long::sum));
    }

    /** The findings as a report lists them: per column and rule, how many cells. */
    List<GuardFinding.Count> findingCounts() {
        return findings.entrySet().stream()
                .map(e -> new GuardFinding.Count(e.getKey().column(), e.getKey().rule(), e.getValue())).toList();
    }

    /** Every reason to reject, in the order a department should read them. */
    List<FileError> errors() {
        List<FileError> errors = new ArrayList<>(fileErrors);
        if (rows == 0 && errors.isEmpty()) {
            errors.add(ReturnErrors.NO_ROWS);
        }
        rowProblems.forEach((key, count) -> {
            int bar = key.lastIndexOf('|');
            String column = key.substring(0, bar);
            errors.add(ReturnErrors.rowRule("null".equals(column) ? null : column, key.substring(bar + 1),
                    count.count, count.firstRow));
        });
        if (unknownTokens > 0) {
            errors.add(ReturnErrors.unknownPseudoId(unknownTokens, firstUnknownRow));
        }
        if (findingCount > 0) {
            errors.add(0, ReturnErrors.IDENTIFIERS);
        }
        return errors;
    }
}
