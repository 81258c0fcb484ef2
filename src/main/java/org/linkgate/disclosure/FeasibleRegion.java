package org.linkgate.disclosure;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.MaxIter;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.linear.LinearConstraint;
import org.apache.commons.math3.optim.linear.LinearConstraintSet;
import org.apache.commons.math3.optim.linear.LinearObjectiveFunction;
import org.apache.commons.math3.optim.linear.NonNegativeConstraint;
import org.apache.commons.math3.optim.linear.Relationship;
import org.apache.commons.math3.optim.linear.SimplexSolver;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;

/**
 * What a reader can infer about the suppressed cells of a table: the polytope of real values
 * satisfying every additive equation with the published cells fixed and each suppressed cell at
 * least {@code floor} (the LP relaxation). Bounds come from the simplex method (Bland's rule,
 * so it cannot cycle on the degenerate systems tables produce). Only published values are read.
 */
final class FeasibleRegion {

    private static final int MAX_ITERATIONS = 100_000;
    private static final double CAP = 1e9;

    private final Map<CellKey, Integer> variable = new HashMap<>();
    private final List<double[]> coefficientRows = new ArrayList<>();
    private final List<Double> rightHandSides = new ArrayList<>();
    private final long floor;

    FeasibleRegion(FrequencyTable table, Collection<CellKey> suppressed, long floor) {
        this.floor = floor;
        for (CellKey key : suppressed) {
            variable.putIfAbsent(key, variable.size());
        }
        int n = variable.size();
        for (FrequencyTable.AdditiveRelation relation : table.relations()) {
            double[] coefficients = new double[n];
            double constant = 0;   // total - sum(parts) = 0, published terms moved to the right
            boolean anyVariable = false;
            Integer totalVar = variable.get(relation.total());
            if (totalVar != null) {
                coefficients[totalVar] += 1;
                anyVariable = true;
            } else {
                constant -= table.count(relation.total());
            }
            for (CellKey part : relation.parts()) {
                Integer partVar = variable.get(part);
                if (partVar != null) {
                    coefficients[partVar] -= 1;
                    anyVariable = true;
                } else {
                    constant += table.count(part);
                }
            }
            if (!anyVariable) {
                continue;
            }
            // substitute x = floor + y so that the solver's y >= 0 expresses x >= floor
            double coefficientSum = 0;
            for (double c : coefficients) {
                coefficientSum += c;
            }
            double rightHandSide = constant - floor * coefficientSum;
            if (rightHandSide < 0) {
                // keep right-hand sides non-negative: the solver's phase 1 mishandles negative ones
                for (int i = 0; i < n; i++) {
                    coefficients[i] = -coefficients[i];
                }
                rightHandSide = -rightHandSide;
            }
            coefficientRows.add(coefficients);
            rightHandSides.add(rightHandSide);
        }
    }

    /** The LP interval of one suppressed cell, or {@link FeasibleInterval#UNKNOWN} if the solver fails. */
    FeasibleInterval bounds(CellKey cell) {
        Integer index = variable.get(cell);
        if (index == null) {
            throw new IllegalArgumentException("Cell " + cell + " is not suppressed");
        }
        if (coefficientRows.isEmpty()) {
            return new FeasibleInterval(floor, Double.POSITIVE_INFINITY);
        }
        double[] objective = new double[variable.size()];
        objective[index] = 1;
        try {
            double lower = optimise(objective, GoalType.MINIMIZE);
            double upper = optimise(objective, GoalType.MAXIMIZE);
            if (upper >= CAP / 2) {
                upper = Double.POSITIVE_INFINITY;
            }
            return new FeasibleInterval(floor + lower, floor + upper);
        } catch (MathIllegalStateException failed) {
            // infeasible (inconsistent input) or too many iterations: fail closed
            return FeasibleInterval.UNKNOWN;
        }
    }

    private double optimise(double[] objective, GoalType goal) {
        // fresh constraint objects per solve: the solver must not see state from an earlier solve
        List<LinearConstraint> constraints = new ArrayList<>();
        for (int i = 0; i < coefficientRows.size(); i++) {
            constraints.add(new LinearConstraint(coefficientRows.get(i).clone(), Relationship.EQ, rightHandSides.get(i)));
        }
        // Explicit y <= CAP rows: without them commons-math 3.6.1 returns a wrong optimum for
        // systems of equations only (max y2 s.t. y0 + y1 + y2 = 52 gives 0). CAP stands for infinity.
        for (int i = 0; i < variable.size(); i++) {
            double[] unit = new double[variable.size()];
            unit[i] = 1;
            constraints.add(new LinearConstraint(unit, Relationship.LEQ, CAP));
        }
        PointValuePair solution = new SimplexSolver().optimize(
                new MaxIter(MAX_ITERATIONS),
                new LinearObjectiveFunction(objective, 0),
                new LinearConstraintSet(constraints),
                goal,
                new NonNegativeConstraint(true));
        return solution.getValue();
    }
}
