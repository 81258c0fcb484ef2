package org.linkgate.disclosure;

/**
 * The values a suppressed cell can take given everything published: {@code [lower, upper]},
 * {@code upper} possibly {@link Double#POSITIVE_INFINITY}. A failed computation is reported as
 * {@link #UNKNOWN}, which never counts as protected (fail closed).
 */
public record FeasibleInterval(double lower, double upper) {

    /** Slack for the floating-point simplex. */
    static final double TOLERANCE = 1e-6;

    /** The interval could not be computed; treated as a disclosed cell. */
    public static final FeasibleInterval UNKNOWN = new FeasibleInterval(Double.NaN, Double.NaN);

    public boolean isKnown() {
        return !Double.isNaN(lower) && !Double.isNaN(upper);
    }

    public double width() {
        return upper - lower;
    }
}
