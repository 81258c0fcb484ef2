package org.linkgate.linkage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Fellegi–Sunter model as Splink fits one: for each comparison, m = P(level | match) and
 * u = P(level | non-match); a pair's match weight is {@code log2(λ/(1-λ)) + Σ log2(m/u)} over its
 * non-null levels, and its match probability {@code 2^w / (1 + 2^w)}. u is estimated from random
 * pairs (almost all non-matches, Splink's {@code estimate_u_using_random_sampling}); λ and m by
 * expectation–maximisation over the blocked candidate pairs with u held fixed (Splink's
 * {@code estimate_parameters_using_expectation_maximisation} with {@code fix_u_probabilities}).
 * Both start from, and are smoothed towards, the priors below by a few pseudo-pairs, so a small
 * batch gives sane weights rather than a degenerate fit. Immutable.
 */
public final class FellegiSunterModel {

    /** Weight of the priors, in pseudo-pairs, added to the counts of each estimate. */
    static final double PRIOR_PAIRS = 20;

    private final double lambda;
    private final double[][] m;
    private final double[][] u;
    private final int iterations;

    FellegiSunterModel(double lambda, double[][] m, double[][] u, int iterations) {
        this.lambda = lambda;
        this.m = m;
        this.u = u;
        this.iterations = iterations;
    }

    /** Priors: what a recorded field usually does for the same person (m) and for two people (u). */
    public static FellegiSunterModel priors() {
        double[][] m = {
                {0.02, 0.03, 0.05, 0.90},   // forename: other, root/phonetic, one edit, exact
                {0.03, 0.02, 0.05, 0.90},   // surname (married names disagree)
                {0.01, 0.01, 0.03, 0.95},   // date of birth
                {0.005, 0.995},             // sex
                {0.20, 0.10, 0.70},         // postcode (people move)
                {0.01, 0.99}};              // NHS number
        double[][] u = {
                {0.95, 0.03, 0.015, 0.005},
                {0.97, 0.015, 0.01, 0.005},
                {0.97, 0.0001, 0.03, 0.0003},
                {0.5, 0.5},
                {0.98, 0.019, 0.001},
                {0.9999, 0.0001}};
        return new FellegiSunterModel(0.001, m, u, 0);
    }

    public double lambda() {
        return lambda;
    }

    /**
     * A copy with another prior λ. EM estimates λ among the blocked candidate pairs, most of which are
     * matches; scoring needs the chance that any two records match (Splink's
     * {@code probability_two_random_records_match}), else a common forename and date of birth in a big
     * store would look like proof.
     */
    public FellegiSunterModel withLambda(double prior) {
        return new FellegiSunterModel(prior, m, u, iterations);
    }

    public int iterations() {
        return iterations;
    }

    /** m of one comparison level. */
    public double m(Comparison.Field field, int level) {
        return m[field.ordinal()][level];
    }

    /** u of one comparison level. */
    public double u(Comparison.Field field, int level) {
        return u[field.ordinal()][level];
    }

    /** Sum of log2(m/u) over the non-null levels, without the prior λ (Splink's Bayes factors). */
    public double evidence(int[] g) {
        double w = 0;
        for (int i = 0; i < g.length; i++) {
            if (g[i] != Comparison.NULL) {
                w += log2(m[i][g[i]] / u[i][g[i]]);
            }
        }
        return w;
    }

    /** The pair's match weight, prior included. */
    public double weight(int[] g) {
        return log2(lambda / (1 - lambda)) + evidence(g);
    }

    public double probability(int[] g) {
        return probabilityOf(weight(g));
    }

    /**
     * The match weight with term-frequency adjustment (Splink's): where forename or surname agree exactly,
     * u is the agreed value's own frequency among the records ({@code forenameU}, {@code surnameU}) instead
     * of the average u of exact agreement, so a rare name weighs more and a common one less. NaN for no
     * adjustment (not exact, or no frequency known).
     */
    public double weight(int[] g, double forenameU, double surnameU) {
        double w = weight(g);
        w += termAdjustment(g, Comparison.Field.FORENAME, forenameU);
        w += termAdjustment(g, Comparison.Field.SURNAME, surnameU);
        return w;
    }

    /** 2^w / (1 + 2^w). */
    public static double probabilityOf(double weight) {
        return 1 / (1 + Math.pow(2, -weight));
    }

    private double termAdjustment(int[] g, Comparison.Field field, double termU) {
        int i = field.ordinal();
        int exact = field.levels() - 1;
        if (Double.isNaN(termU) || g[i] != exact) {
            return 0;
        }
        // log2(m/u_term) - log2(m/u_average)
        return log2(u[i][exact] / termU);
    }

    /** A copy with u estimated from the patterns of random pairs, smoothed towards this model's u. */
    public FellegiSunterModel withU(Map<Integer, Long> randomPatterns) {
        double[][] counts = new double[u.length][];
        for (int i = 0; i < u.length; i++) {
            counts[i] = new double[u[i].length];
            for (int l = 0; l < u[i].length; l++) {
                counts[i][l] = PRIOR_PAIRS * u[i][l];
            }
        }
        for (Map.Entry<Integer, Long> e : randomPatterns.entrySet()) {
            int[] g = Comparison.decode(e.getKey());
            for (int i = 0; i < g.length; i++) {
                if (g[i] != Comparison.NULL) {
                    counts[i][g[i]] += e.getValue();
                }
            }
        }
        return new FellegiSunterModel(lambda, m, normalise(counts), iterations);
    }

    /**
     * Expectation–maximisation of λ and m over the candidate pairs' patterns (pattern → count), u fixed,
     * until no parameter moves by more than 1e-6 or 100 iterations.
     */
    public FellegiSunterModel trainedOn(Map<Integer, Long> candidatePatterns, long totalPairs) {
        FellegiSunterModel current = new FellegiSunterModel(0.5, m, u, 0);
        if (totalPairs == 0) {
            return new FellegiSunterModel(lambda, m, u, 0);
        }
        List<Map.Entry<Integer, Long>> patterns = List.copyOf(candidatePatterns.entrySet());
        int[][] decoded = new int[patterns.size()][];
        for (int p = 0; p < patterns.size(); p++) {
            decoded[p] = Comparison.decode(patterns.get(p).getKey());
        }
        int iteration = 0;
        while (iteration < 100) {
            iteration++;
            double[][] mCounts = new double[m.length][];
            for (int i = 0; i < m.length; i++) {
                mCounts[i] = new double[m[i].length];
                for (int l = 0; l < m[i].length; l++) {
                    mCounts[i][l] = PRIOR_PAIRS * m[i][l];
                }
            }
            double matches = 0;
            for (int p = 0; p < patterns.size(); p++) {
                double posterior = current.probability(decoded[p]) * patterns.get(p).getValue();
                matches += posterior;
                int[] g = decoded[p];
                for (int i = 0; i < g.length; i++) {
                    if (g[i] != Comparison.NULL) {
                        mCounts[i][g[i]] += posterior;
                    }
                }
            }
            double nextLambda = Math.min(0.999, Math.max(1e-6, matches / totalPairs));
            FellegiSunterModel next = new FellegiSunterModel(nextLambda, normalise(mCounts), u, iteration);
            boolean converged = Math.abs(next.lambda - current.lambda) < 1e-6 && maxDelta(next.m, current.m) < 1e-6;
            current = next;
            if (converged) {
                break;
            }
        }
        return current;
    }

    /** The model as stored in linkage_model: λ, then m and u per field and level. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("lambda", lambda);
        out.put("emIterations", iterations);
        for (Comparison.Field field : Comparison.FIELDS) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("m", m[field.ordinal()].clone());
            f.put("u", u[field.ordinal()].clone());
            out.put(field.name().toLowerCase(java.util.Locale.ROOT), f);
        }
        return out;
    }

    private static double[][] normalise(double[][] counts) {
        double[][] out = new double[counts.length][];
        for (int i = 0; i < counts.length; i++) {
            double total = 0;
            for (double c : counts[i]) {
                total += c;
            }
            out[i] = new double[counts[i].length];
            for (int l = 0; l < counts[i].length; l++) {
                // Never exactly 0 or 1: a log weight must stay finite.
                out[i][l] = Math.max(1e-6, counts[i][l] / total);
            }
        }
        return out;
    }

    private static double maxDelta(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int l = 0; l < a[i].length; l++) {
                max = Math.max(max, Math.abs(a[i][l] - b[i][l]));
            }
        }
        return max;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
