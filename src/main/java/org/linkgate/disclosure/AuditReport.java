package org.linkgate.disclosure;

import java.util.List;

/** Result of a {@link ProtectionAudit}: one finding per suppressed cell, in table order. */
public record AuditReport(DisclosureRules rules, List<CellProtection> findings) {

    public AuditReport {
        findings = List.copyOf(findings);
    }

    /** Whether every primary cell is protected. */
    public boolean passed() {
        return findings.stream().allMatch(CellProtection::isProtected);
    }

    /** The primary cells whose interval is too narrow. */
    public List<CellProtection> failures() {
        return findings.stream().filter(f -> !f.isProtected()).toList();
    }

    /** The finding for one suppressed cell. */
    public CellProtection finding(CellKey cell) {
        return findings.stream().filter(f -> f.cell().equals(cell)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Cell " + cell + " is not suppressed"));
    }
}
