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
        return bounds(model, e, y, solutions, null, 0);
    }

    /**
     * The same, for {@code e} the sum of {@code members} of {@code y}, between 0 and {@code max}:
     * an end a solution found so far already reaches (0, or {@code max}) needs no solve.
     */
    long[] bounds(CpModel model, LinearExpr e, IntVar[] y, List<long[]> solutions, int[] members, long max) {
        long[] b = new long[2];
        boolean[] reached = new boolean[2];
        if (members != null) {
            for (long[] s : solutions) {
                long v = 0;
                for (int m : members) {
                    v += s[m];
                }
                reached[0] |= v == 0;
                reached[1] |= v == max;
            }
            b[1] = max;
        }
        for (int side = 0; side < 2; side++) {
            if (reached[side]) {
                continue;
            }
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

    /**
     * Every group at once, exactly: for the groups no solution yet shows with (without) someone
     * having the outcome, one solve finds a table the model allows that shows as many of them as
     * it can; repeated until a proven optimum shows none, so the rest are told. Fewer solves than
     * {@link #group} group by group, the same answer.
     */
    Group[] groups(CpModel base, IntVar[] y, long[] sizes, List<long[]> solutions) {
        boolean[][] shown = new boolean[2][y.length];
        for (long[] s : solutions) {
            mark(shown, s, sizes);
        }
        for (int side = 0; side < 2; side++) {
            while (true) {
                CpModel model = base.getClone();
                List<com.google.ortools.sat.BoolVar> picks = new java.util.ArrayList<>();
                List<Integer> which = new java.util.ArrayList<>();
                for (int i = 0; i < y.length; i++) {
                    if (!shown[side][i]) {
                        com.google.ortools.sat.BoolVar b = model.newBoolVar("b" + i);
                        IntVar v = model.getIntVarFromProtoIndex(y[i].getIndex());
                        if (side == 0) {
                            model.addGreaterOrEqual(v, 1).onlyEnforceIf(b);
                        } else {
                            model.addLessOrEqual(v, sizes[i] - 1).onlyEnforceIf(b);
                        }
                        picks.add(b);
                        which.add(i);
                    }
                }
                if (picks.isEmpty()) {
                    break;
                }
                model.maximize(LinearExpr.sum(picks.toArray(new com.google.ortools.sat.BoolVar[0])));
                CpSolver solver = solver();
                CpSolverStatus status = solver.solve(model);
                solves++;
                if (status != CpSolverStatus.OPTIMAL && status != CpSolverStatus.FEASIBLE) {
                    throw new IllegalStateException("the attacker's model did not solve: " + status);
                }
                long[] s = new long[y.length];
                for (int k = 0; k < y.length; k++) {
                    s[k] = solver.value(model.getIntVarFromProtoIndex(y[k].getIndex()));
                }
                int before = count(shown[side]);
                solutions.add(s);
                mark(shown, s, sizes);
                if (count(shown[side]) == before) {
                    if (status == CpSolverStatus.OPTIMAL) {
                        break; // proven: no allowed table shows any of the rest
                    }
                    for (int i : which) { // not proven: group by group
                        if (!shown[side][i] && feasible(base, y, i, side == 0, sizes[i], solutions)) {
                            mark(shown, solutions.get(solutions.size() - 1), sizes);
                        }
                    }
                    break;
                }
            }
        }
        Group[] groups = new Group[y.length];
        for (int i = 0; i < y.length; i++) {
            groups[i] = new Group(shown[0][i], shown[1][i]);
        }
        return groups;
    }

    private static void mark(boolean[][] shown, long[] s, long[] sizes) {
        for (int i = 0; i < s.length; i++) {
            shown[0][i] |= s[i] >= 1;
            shown[1][i] |= s[i] <= sizes[i] - 1;
        }
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
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
