package org.linkgate.disclosure;

/**
 * The audit's finding for one suppressed cell: its feasible interval and, for a primary cell,
 * whether that interval meets {@link DisclosureRules}' requirement (secondary cells need none).
 */
public record CellProtection(CellKey cell, Suppression suppression, FeasibleInterval interval, boolean isProtected) {
}
