package dev.sluice.proxy.middleware;

import dev.sluice.proxy.middleware.circuitbreaker.ExpressionParser;
import dev.sluice.proxy.service.Retries;
import java.util.List;
import java.util.function.Predicate;

/**
 * Buffering's {@code retryExpression}, in the circuit breaker's grammar ({@link ExpressionParser})
 * with other functions: {@code Attempts()} (tries so far, the first counts 1), {@code ResponseCode()}
 * (the upstream's status, or the 502/504 the proxy gives a failure) and {@code IsNetworkError()}
 * (no answer came), e.g. {@code IsNetworkError() && Attempts() < 2}.
 */
public final class RetryExpression {
    /** What a try ended with. */
    private record Outcome(int attempts, int status, boolean networkError) {}

    private RetryExpression() {}

    /**
     * Parses {@code text}.
     *
     * @throws dev.sluice.proxy.middleware.circuitbreaker.Expression.ExpressionException naming the column (1-based)
     */
    public static Retries.Condition parse(String text) {
        Predicate<Outcome> parsed = new ExpressionParser<>(text, new ExpressionParser.Functions<Outcome>() {
            @Override
            public ExpressionParser.Function<Outcome> resolve(String name, List<Double> args) {
                ExpressionParser.arity(name, args, 0);
                return switch (name) {
                    case "Attempts" -> ExpressionParser.Function.number(o -> o.attempts());
                    case "ResponseCode" -> ExpressionParser.Function.number(o -> o.status());
                    case "IsNetworkError" -> ExpressionParser.Function.bool(Outcome::networkError);
                    default -> throw new IllegalArgumentException("unknown function " + name + "; known: Attempts, ResponseCode, IsNetworkError");
                };
            }

            @Override
            public String example() {
                return "IsNetworkError() && Attempts() < 2";
            }
        }).parse();
        String shown = text;
        return new Retries.Condition() {
            @Override
            public boolean retry(int attempts, int status, boolean networkError) {
                return parsed.test(new Outcome(attempts, status, networkError));
            }

            @Override
            public String toString() {
                return shown;
            }
        };
    }
}
