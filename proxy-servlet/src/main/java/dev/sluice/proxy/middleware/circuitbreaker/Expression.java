package dev.sluice.proxy.middleware.circuitbreaker;

import java.util.List;
import java.util.function.Predicate;

/**
 * A circuit breaker's trip condition, parsed once when the config is loaded:
 * <pre>
 * NetworkErrorRatio() > 0.30 || (ResponseCodeRatio(500, 600, 0, 600) > 0.25 && RequestThreshold() >= 10)
 * </pre>
 * Each comparison puts one function on the left and a number on the right, with {@code > >= < <= == !=};
 * comparisons combine with {@code &&} (binding tighter) and {@code ||}, and parentheses. Functions:
 * {@code NetworkErrorRatio()}, {@code ResponseCodeRatio(from, to, divFrom, divTo)},
 * {@code LatencyAtQuantileMS(percent)}, {@code RequestThreshold()}. {@code !} negates. The grammar is
 * {@link ExpressionParser}'s, shared with buffering's {@code retryExpression}.
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
        boolean[] latency = {false};
        Predicate<Metrics> parsed = new ExpressionParser<>(text, new ExpressionParser.Functions<Metrics>() {
            @Override
            public ExpressionParser.Function<Metrics> resolve(String name, List<Double> args) {
                return switch (name) {
                    case "NetworkErrorRatio" -> {
                        ExpressionParser.arity(name, args, 0);
                        yield ExpressionParser.Function.number(Metrics::networkErrorRatio);
                    }
                    case "ResponseCodeRatio" -> {
                        ExpressionParser.arity(name, args, 4);
                        int[] codes = args.stream().mapToInt(d -> whole(name, d)).toArray();
                        yield ExpressionParser.Function.number(m -> m.responseCodeRatio(codes[0], codes[1], codes[2], codes[3]));
                    }
                    case "LatencyAtQuantileMS" -> {
                        ExpressionParser.arity(name, args, 1);
                        double percent = args.get(0);
                        if (percent < 0 || percent > 100) {
                            throw new IllegalArgumentException(name + " takes a percentile between 0 and 100, got " + args.get(0));
                        }
                        latency[0] = true;
                        yield ExpressionParser.Function.number(m -> m.latencyAtQuantileMs(percent));
                    }
                    case "RequestThreshold" -> {
                        ExpressionParser.arity(name, args, 0);
                        yield ExpressionParser.Function.number(m -> (double) m.requests());
                    }
                    default -> throw new IllegalArgumentException("unknown function " + name
                            + "; known: NetworkErrorRatio, ResponseCodeRatio, LatencyAtQuantileMS, RequestThreshold");
                };
            }

            @Override
            public String example() {
                return "NetworkErrorRatio() > 0.5";
            }
        }).parse();
        boolean usesLatency = latency[0];
        String shown = text == null ? "" : text;
        return new Expression() {
            @Override
            public boolean test(Metrics metrics) {
                return parsed.test(metrics);
            }

            @Override
            public boolean usesLatency() {
                return usesLatency;
            }

            @Override
            public String toString() {
                return shown;
            }
        };
    }

    private static int whole(String name, double d) {
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(name + " takes whole status codes, got " + d);
        }
        return (int) d;
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
