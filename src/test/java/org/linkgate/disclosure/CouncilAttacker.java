package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The council as an attacker, written apart from the gateway's protection code (it uses none of
 * it: the council's knowledge is {@link CouncilKnowledge}, OR-Tools' CP-SAT directly).
 *
 * <p>It reads every released table of every release it was sent, and for each period and
 * measure (emergency with hospital) takes the council's model of its people and adds one
 * equation per published with-outcome figure. It then computes, exactly, the interval of every
 * withheld ({@code [c]}) with-outcome cell (minimum and maximum), and for every group whether
 * any table it cannot rule out has one of them with, and one without, the outcome (feasibility;
 * every table found on the way counts as such a proof).
 */
final class CouncilAttacker {

    /** What the attacker found about one withheld cell. */
    record Finding(String period, String measure, String cohort, String breakdown, String category, long lower,
                   long upper, long persons) {
    }

    final List<Finding> cells = new ArrayList<>();
    final List<CouncilKnowledge.GroupFinding> groups = new ArrayList<>();
    final AttackSolver cp = new AttackSolver();

    /** Attacks every period and measure found in the releases (each release: file name to CSV records). */
    void attack(List<CouncilKnowledge.Known> people, List<Map<String, List<List<String>>>> releases) {
        CouncilKnowledge.read(releases).forEach((scope, rows) -> attack(people, scope.get(0), rows));
    }

    /** One model for the period's rows, groups per measure. */
    private void attack(List<CouncilKnowledge.Known> people, String period, List<CouncilKnowledge.Row> rows) {
        CouncilKnowledge.Model model = new CouncilKnowledge.Model(people, period, rows);
        List<CouncilKnowledge.Row> withheld = new ArrayList<>();
        for (CouncilKnowledge.Row row : rows) {
            if ("[c]".equals(row.figure())) {
                withheld.add(row);
            } else if (!"n/a".equals(row.figure())) {
                model.cp.addEquality(model.expression(row), Long.parseLong(row.figure()));
            }
        }
        List<long[]> solutions = new ArrayList<>();
        for (CouncilKnowledge.Row row : withheld) {
            long[] b = cp.bounds(model.cp, model.expression(row), model.y, solutions);
            cells.add(new Finding(period, row.measure(), row.cohort(), row.breakdown(), row.category(), b[0], b[1],
                    model.persons(row)));
        }
        groups.addAll(model.toldGroups(cp, solutions));
    }
}
