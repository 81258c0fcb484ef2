package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks a table as it would be published: for every suppressed cell computes, by linear
 * programming over everything published (unsuppressed cells, unsuppressed margins, the additive
 * equations, suppressed cells at least {@link DisclosureRules#floor()}), the interval a reader
 * can narrow it to, and fails every primary cell whose interval does not meet the rules.
 *
 * <p>The LP relaxation gives exactly the integer bounds for one- and two-dimensional tables with
 * margins (their equations are totally unimodular); for three dimensions it can be wider than the
 * integer bounds. The release path refuses any table this audit does not pass.
 */
public final class ProtectionAudit {

    private final DisclosureRules rules;

    public ProtectionAudit(DisclosureRules rules) {
        this.rules = Objects.requireNonNull(rules, "rules");
    }

    /** Audits a table whose suppressed cells are {@code suppressed} (cell to reason). */
    public AuditReport audit(FrequencyTable table, Map<CellKey, Suppression> suppressed) {
        FeasibleRegion region = new FeasibleRegion(table, suppressed.keySet(), rules.floor());
        List<CellKey> ordered = new ArrayList<>(suppressed.keySet());
        ordered.sort(Comparator.comparingInt(table::position));
        List<CellProtection> findings = new ArrayList<>();
        for (CellKey cell : ordered) {
            FeasibleInterval interval = region.bounds(cell);
            Suppression reason = suppressed.get(cell);
            boolean ok = reason != Suppression.PRIMARY || rules.isProtected(interval);
            findings.add(new CellProtection(cell, reason, interval, ok));
        }
        return new AuditReport(rules, findings);
    }

    /** Audits a protected table; the release path calls this before anything leaves. */
    public AuditReport audit(SafeTable table) {
        return audit(table.source(), table.suppressions());
    }

    /** Throws unless the table passes; the message names cells, never values. */
    public void requirePassed(SafeTable table) {
        AuditReport report = audit(table);
        if (!report.passed()) {
            throw new DisclosureRefusedException("Protection audit failed for cells "
                    + report.failures().stream().map(f -> f.cell().toString()).toList());
        }
    }

    /** Whether one primary cell is protected given this set of suppressed cells. */
    boolean isProtected(FrequencyTable table, java.util.Collection<CellKey> suppressed, CellKey cell) {
        return rules.isProtected(new FeasibleRegion(table, suppressed, rules.floor()).bounds(cell));
    }

    FeasibleInterval interval(FrequencyTable table, java.util.Collection<CellKey> suppressed, CellKey cell) {
        return new FeasibleRegion(table, suppressed, rules.floor()).bounds(cell);
    }
}
