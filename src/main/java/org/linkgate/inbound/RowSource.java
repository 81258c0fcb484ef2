package org.linkgate.inbound;

/**
 * Rows handed from one processing stage to the next without holding more than one: a stage wraps
 * the source before it and nothing is read until the last stage pulls. Lets a route show each
 * stage as its own step while the file streams through all of them in one pass.
 */
@FunctionalInterface
public interface RowSource<T> {

    /** The next row, or null when there are no more. Unexpected I/O failures are unchecked. */
    T next();

    /** A source with no rows (a stage that refused the file at its header). */
    static <T> RowSource<T> empty() {
        return () -> null;
    }
}
