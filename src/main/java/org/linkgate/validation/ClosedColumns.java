package org.linkgate.validation;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rule for a dataset a partner returns: every column is closed — bounded in length and held to
 * a code list, an integer, a date, a flag or a pattern — so no column can carry free text, and with
 * it names, addresses or notes about a person. A pattern closes a column only if it refuses every
 * probe of free text ("Lives at SW1A 1AA", "John Smith", a ten-digit number, an e-mail address).
 * Pure; names columns and rules only.
 */
public final class ClosedColumns {

    private static final Set<RuleType> CLOSING = EnumSet.of(RuleType.ONE_OF, RuleType.INTEGER, RuleType.ISO_DATE,
            RuleType.FLAG, RuleType.PATTERN);
    /** Text a closing pattern must refuse. */
    static final List<String> FREE_TEXT_PROBES = List.of("Lives at SW1A 1AA", "John Smith", "9434765919",
            "jo.smith@example.org", "ZX 12 34 56 B", "see notes");

    private ClosedColumns() {
    }

    /** One problem per column that is not closed, e.g. {@code "column notes: free text (no maxLength)"}. */
    public static List<String> problems(DatasetSchema schema) {
        List<String> problems = new ArrayList<>();
        for (ColumnSpec column : schema.columns()) {
            if (column.maxLength().isEmpty()) {
                problems.add("column " + column.name() + ": free text (no maxLength)");
                continue;
            }
            List<RuleSpec> closing = column.rules().stream().filter(r -> CLOSING.contains(r.type())).toList();
            if (closing.isEmpty()) {
                problems.add("column " + column.name() + ": free text (needs one_of, integer, iso_date, flag or pattern)");
                continue;
            }
            boolean closedByOther = closing.stream().anyMatch(r -> r.type() != RuleType.PATTERN);
            if (!closedByOther) {
                Pattern pattern = Pattern.compile(closing.get(0).arguments().get(0));
                if (FREE_TEXT_PROBES.stream().anyMatch(probe -> pattern.matcher(probe).matches())) {
                    problems.add("column " + column.name() + ": its pattern admits free text");
                }
            }
        }
        return problems;
    }
}
