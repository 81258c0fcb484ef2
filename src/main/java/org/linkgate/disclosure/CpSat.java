package org.linkgate.disclosure;

import com.google.ortools.Loader;
import com.google.ortools.sat.CpModel;
import com.google.ortools.sat.CpSolver;
import com.google.ortools.sat.CpSolverStatus;

/**
 * OR-Tools' CP-SAT solver, loaded once per JVM (its native library is unpacked from the jar on
 * first use). One worker and a fixed seed: the same release always gets the same suppression,
 * and disclosure control takes one core, not all of a shared machine.
 */
final class CpSat {

    /**
     * Longest one solve may take: a complement search stops at the best pattern found by then
     * (any pattern found is a valid one, only perhaps not the cheapest); none found fails closed.
     */
    static final double MAX_SECONDS = Double.parseDouble(System.getProperty("linkgate.cpsat.seconds", "2"));

    private static volatile boolean loaded;

    private CpSat() {
    }

    static synchronized void load() {
        if (!loaded) {
            Loader.loadNativeLibraries();
            loaded = true;
        }
    }

    /** A new, empty model (the native library loaded first: a model's variables live in it). */
    static CpModel model() {
        load();
        return new CpModel();
    }

    /** Solves the model; the solver is returned so values can be read. */
    static Solved solve(CpModel model) {
        load();
        CpSolver solver = new CpSolver();
        solver.getParameters().setNumWorkers(1).setRandomSeed(1).setMaxTimeInSeconds(MAX_SECONDS)
                // full linearisation: the table equations are linear, and with it these models
                // solve to optimality in milliseconds (the default level timed out on some)
                .setLinearizationLevel(2);
        long t0 = System.nanoTime();
        CpSolverStatus status = solver.solve(model);
        if (Boolean.getBoolean("linkgate.cpsat.trace")) {
            System.out.println("cpsat " + status + " wall=" + solver.wallTime() + " java=" + (System.nanoTime() - t0) / 1e9
                    + " vars=" + model.getBuilder().getVariablesCount() + " cons=" + model.getBuilder().getConstraintsCount());
        }
        return new Solved(solver, status);
    }

    record Solved(CpSolver solver, CpSolverStatus status) {
        boolean optimal() {
            return status == CpSolverStatus.OPTIMAL;
        }

        boolean feasible() {
            return status == CpSolverStatus.OPTIMAL || status == CpSolverStatus.FEASIBLE;
        }

        boolean infeasible() {
            return status == CpSolverStatus.INFEASIBLE;
        }
    }
}
