package dev.sluice.proxy.middleware.circuitbreaker;

/**
 * A circuit breaker's trip condition, parsed once when the config is loaded:
 * <pre>
 * NetworkErrorRatio() > 0.30 || (ResponseCodeRatio(500, 600, 0, 600) > 0.25 && RequestThreshold() >= 10)
 * </pre>
 * Each comparison puts one function on the left and a number on the right, with {@code > >= < <= == !=};
 * comparisons combine with {@code &&} (binding tighter) and {@code ||}, and parentheses. Functions:
 * {@code NetworkErrorRatio()}, {@code ResponseCodeRatio(from, to, divFrom, divTo)},
 * {@code LatencyAtQuantileMS(percent)}, {@code RequestThreshold()}.
 */
@FunctionalInterface
public interface Expression {
    boolean test(Metrics metrics);

    /** True if evaluating it needs latencies (which cost memory to keep). */
    default boolean usesLatency() {
        return false;
    }

    /**
     * Parses {@code text}.
     *
     * @throws ExpressionException naming the column (1-based) of the problem
     */
    static Expression parse(String text) {
        return new ExpressionParser(text).parse();
    }

    /** A syntax error; {@link #column()} is 1-based. */
    final class ExpressionException extends IllegalArgumentException {
        private final int column;

        ExpressionException(int column, String message) {
            super("column " + column + ": " + message);
            this.column = column;
        }

        public int column() {
            return column;
        }
    }
}
