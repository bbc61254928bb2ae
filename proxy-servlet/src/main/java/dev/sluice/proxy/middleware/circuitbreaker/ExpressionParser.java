package dev.sluice.proxy.middleware.circuitbreaker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Recursive descent: or := and ('||' and)*; and := primary ('&&' primary)*; primary := '(' or ')' | comparison. */
final class ExpressionParser {
    private final String text;
    private int pos;
    private boolean latency;

    ExpressionParser(String text) {
        this.text = text == null ? "" : text;
    }

    Expression parse() {
        skipSpace();
        if (pos == text.length()) {
            throw error("empty expression; for example NetworkErrorRatio() > 0.5");
        }
        Expression e = or();
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected \"" + text.substring(pos, Math.min(text.length(), pos + 10)) + "\"");
        }
        boolean usesLatency = latency;
        return new Expression() {
            @Override
            public boolean test(Metrics metrics) {
                return e.test(metrics);
            }

            @Override
            public boolean usesLatency() {
                return usesLatency;
            }

            @Override
            public String toString() {
                return text;
            }
        };
    }

    private Expression or() {
        List<Expression> terms = new ArrayList<>(List.of(and()));
        while (accept("||")) {
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : m -> terms.stream().anyMatch(t -> t.test(m));
    }

    private Expression and() {
        List<Expression> terms = new ArrayList<>(List.of(primary()));
        while (accept("&&")) {
            terms.add(primary());
        }
        return terms.size() == 1 ? terms.get(0) : m -> terms.stream().allMatch(t -> t.test(m));
    }

    private Expression primary() {
        if (accept("(")) {
            Expression inner = or();
            expect(")");
            return inner;
        }
        return comparison();
    }

    private Expression comparison() {
        ToDoubleFunction<Metrics> metric = function();
        skipSpace();
        int at = pos;
        String op = null;
        for (String candidate : new String[] {">=", "<=", "==", "!=", ">", "<"}) {
            if (text.startsWith(candidate, pos)) {
                op = candidate;
                pos += candidate.length();
                break;
            }
        }
        if (op == null) {
            pos = at;
            throw error("expected a comparison (> >= < <= == !=) after the function");
        }
        double value = number();
        return switch (op) {
            case ">" -> m -> metric.applyAsDouble(m) > value;
            case ">=" -> m -> metric.applyAsDouble(m) >= value;
            case "<" -> m -> metric.applyAsDouble(m) < value;
            case "<=" -> m -> metric.applyAsDouble(m) <= value;
            case "==" -> m -> metric.applyAsDouble(m) == value;
            default -> m -> metric.applyAsDouble(m) != value;
        };
    }

    private ToDoubleFunction<Metrics> function() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (name.isEmpty()) {
            throw error("expected a function such as NetworkErrorRatio()");
        }
        expect("(");
        List<Double> args = new ArrayList<>();
        if (!accept(")")) {
            do {
                args.add(number());
            } while (accept(","));
            expect(")");
        }
        int end = pos;
        pos = start; // problems with the call are reported at its name
        ToDoubleFunction<Metrics> f = switch (name) {
            case "NetworkErrorRatio" -> {
                arity(name, args, 0);
                yield Metrics::networkErrorRatio;
            }
            case "ResponseCodeRatio" -> {
                arity(name, args, 4);
                int[] codes = args.stream().mapToInt(d -> whole(name, d)).toArray();
                yield m -> m.responseCodeRatio(codes[0], codes[1], codes[2], codes[3]);
            }
            case "LatencyAtQuantileMS" -> {
                arity(name, args, 1);
                double percent = args.get(0);
                if (percent < 0 || percent > 100) {
                    throw error(name + " takes a percentile between 0 and 100, got " + args.get(0));
                }
                latency = true;
                yield m -> m.latencyAtQuantileMs(percent);
            }
            case "RequestThreshold" -> {
                arity(name, args, 0);
                yield m -> (double) m.requests();
            }
            default -> {
                throw error("unknown function " + name + "; known: NetworkErrorRatio, ResponseCodeRatio, LatencyAtQuantileMS, RequestThreshold");
            }
        };
        pos = end;
        return f;
    }

    private void arity(String name, List<Double> args, int expected) {
        if (args.size() != expected) {
            throw error(name + " takes " + expected + " argument" + (expected == 1 ? "" : "s") + ", got " + args.size());
        }
    }

    private int whole(String name, double d) {
        if (d != Math.rint(d)) {
            throw error(name + " takes whole status codes, got " + d);
        }
        return (int) d;
    }

    private double number() {
        skipSpace();
        int start = pos;
        if (pos < text.length() && (text.charAt(pos) == '-' || text.charAt(pos) == '+')) {
            pos++;
        }
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        String s = text.substring(start, pos);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            pos = start;
            throw error("expected a number" + (s.isEmpty() ? "" : ", got \"" + s + "\""));
        }
    }

    private boolean accept(String token) {
        skipSpace();
        if (text.startsWith(token, pos)) {
            pos += token.length();
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw error("expected \"" + token + "\"" + (pos < text.length() ? "" : " before the end"));
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private Expression.ExpressionException error(String message) {
        return new Expression.ExpressionException(pos + 1, message);
    }
}
