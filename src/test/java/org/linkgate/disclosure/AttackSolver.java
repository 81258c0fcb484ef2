package org.linkgate.disclosure;

import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;
import com.google.ortools.sat.IntVar;
import com.google.ortools.sat.LinearExpr;
import java.util.List;

/**
 * The test-side attackers' use of CP-SAT (OR-Tools called directly, nothing of the gateway's
 * protection code): a cell's exact feasible interval, and whether a group can have someone with
 * (or without) the outcome. Every solution found is kept, so an attacker can skip cells those
 * solutions already show to be wide. Counts its solves.
 */
final class AttackSolver {

    private int solves;

    int solves() {
        return solves;
    }

    /** The exact interval of {@code e} over the model, by minimising and maximising it. */
    long[] bounds(CpModel model, LinearExpr e, IntVar[] y, List<long[]> solutions) {
        long[] b = new long[2];
        for (int side = 0; side < 2; side++) {
            if (side == 0) {
                model.minimize(e);
            } else {
                model.maximize(e);
            }
            CpSolver solver = solver();
            CpSolverStatus status = solver.solve(model);
            solves++;
            if (status != CpSolverStatus.OPTIMAL) {
                throw new IllegalStateException("the attacker's model did not solve: " + status);
            }
            b[side] = Math.round(solver.objectiveValue());
            long[] s = new long[y.length];
            for (int k = 0; k < y.length; k++) {
                s[k] = solver.value(y[k]);
            }
            solutions.add(s);
            model.clearObjective();
        }
        return b;
    }

    /** What the tables the model allows say of one group: whether some have someone with, and someone without, the outcome. */
    record Group(boolean someWith, boolean someWithout) {
        /** All or none of the group has the outcome in every allowed table: the group is told. */
        boolean told() {
            return !someWith || !someWithout;
        }
    }

    /**
     * Group {@code i} of {@code n} people, exactly: the solutions found so far answer first, the solver
     * the rest (and its solutions are kept).
     */
    Group group(CpModel model, IntVar[] y, int i, long n, List<long[]> solutions) {
        boolean someWith = false;
        boolean someWithout = false;
        for (long[] s : solutions) {
            someWith |= s[i] >= 1;
            someWithout |= s[i] <= n - 1;
        }
        if (!someWith) {
            someWith = feasible(model, y, i, true, n, solutions);
        }
        if (!someWithout) {
            someWithout = feasible(model, y, i, false, n, solutions);
        }
        return new Group(someWith, someWithout);
    }

    /** Whether some table the model allows has group {@code i} (of {@code n} people) with, or without, someone having the outcome. */
    private boolean feasible(CpModel base, IntVar[] y, int i, boolean with, long n, List<long[]> solutions) {
        CpModel model = base.getClone();
        if (with) {
            model.addGreaterOrEqual(model.getIntVarFromProtoIndex(y[i].getIndex()), 1);
        } else {
            model.addLessOrEqual(model.getIntVarFromProtoIndex(y[i].getIndex()), n - 1);
        }
        CpSolver solver = solver();
        CpSolverStatus status = solver.solve(model);
        solves++;
        if (status == CpSolverStatus.INFEASIBLE) {
            return false;
        }
        if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
            throw new IllegalStateException("the attacker's model did not solve: " + status);
        }
        long[] s = new long[y.length];
        for (int k = 0; k < y.length; k++) {
            s[k] = solver.value(model.getIntVarFromProtoIndex(y[k].getIndex()));
        }
        solutions.add(s);
        return true;
    }

    private static CpSolver solver() {
        CpSolver solver = new CpSolver();
        solver.getParameters().setNumWorkers(1).setLinearizationLevel(2).setMaxTimeInSeconds(30);
        return solver;
    }
}
