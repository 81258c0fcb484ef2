package org.linkgate.linkage;

/**
 * Whether two shares differ by more than chance, by a two-sided two-proportion z-test (pooled) at
 * the 5 % level. It weighs a gap against its standard error, so a 4-point gap between cohorts of a
 * thousand people each is flagged and a 20-point gap between ten and ten is not; a fixed gap (the
 * earlier 10-point rule) flagged noise in small councils and missed real bias in big ones.
 */
public final class Significance {

    /** The two-sided 5 % critical value of the standard normal. */
    public static final double Z_CRITICAL = 1.959964;

    private Significance() {
    }

    /**
     * True when {@code x1/n1} and {@code x2/n2} differ significantly. False when either group is
     * empty, or the pooled share is 0 or 1 (no variance: the shares are equal).
     */
    public static boolean differs(long x1, long n1, long x2, long n2) {
        return Math.abs(z(x1, n1, x2, n2)) > Z_CRITICAL;
    }

    /** The z statistic of the difference {@code x1/n1 − x2/n2}; 0 when it is undefined. */
    public static double z(long x1, long n1, long x2, long n2) {
        if (n1 <= 0 || n2 <= 0) {
            return 0;
        }
        double pooled = (double) (x1 + x2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        return se == 0 ? 0 : ((double) x1 / n1 - (double) x2 / n2) / se;
    }
}
