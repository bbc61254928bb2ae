package dev.sluice.proxy.middleware.circuitbreaker;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * Recursive descent over a context {@code T}: or := and ('||' and)*; and := unary ('&&' unary)*;
 * unary := '!' unary | '(' or ')' | comparison; comparison := function (op number)?, the op being
 * optional only for a boolean function. The functions are the caller's ({@link Functions}): the
 * circuit breaker's metrics, or a buffering retry's {@code Attempts() ResponseCode() IsNetworkError()}.
 */
public final class ExpressionParser<T> {
    /** A function of the grammar: a number (compared) or a boolean (used as it is, or compared to 1/0). */
    public record Function<T>(ToDoubleFunction<T> number, Predicate<T> bool) {
        public static <T> Function<T> number(ToDoubleFunction<T> f) {
            return new Function<>(f, null);
        }

        public static <T> Function<T> bool(Predicate<T> p) {
            return new Function<>(t -> p.test(t) ? 1 : 0, p);
        }
    }

    /** Resolves a call; throws {@link IllegalArgumentException} (reported at the call's column) when it is wrong. */
    public interface Functions<T> {
        Function<T> resolve(String name, List<Double> args);

        /** An example for "expected a function such as …". */
        String example();
    }

    private final String text;
    private final Functions<T> functions;
    private int pos;

    public ExpressionParser(String text, Functions<T> functions) {
        this.text = text == null ? "" : text;
        this.functions = functions;
    }

    /**
     * Parses the whole text.
     *
     * @throws Expression.ExpressionException naming the column (1-based) of the problem
     */
    public Predicate<T> parse() {
        skipSpace();
        if (pos == text.length()) {
            throw error("empty expression; for example " + functions.example());
        }
        Predicate<T> e = or();
        skipSpace();
        if (pos < text.length()) {
            throw error("unexpected \"" + text.substring(pos, Math.min(text.length(), pos + 10)) + "\"");
        }
        String shown = text;
        return new Predicate<>() {
            @Override
            public boolean test(T t) {
                return e.test(t);
            }

            @Override
            public String toString() {
                return shown;
            }
        };
    }

    private Predicate<T> or() {
        List<Predicate<T>> terms = new ArrayList<>(List.of(and()));
        while (accept("||")) {
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : m -> terms.stream().anyMatch(t -> t.test(m));
    }

    private Predicate<T> and() {
        List<Predicate<T>> terms = new ArrayList<>(List.of(unary()));
        while (accept("&&")) {
            terms.add(unary());
        }
        return terms.size() == 1 ? terms.get(0) : m -> terms.stream().allMatch(t -> t.test(m));
    }

    private Predicate<T> unary() {
        skipSpace();
        if (text.startsWith("!", pos) && !text.startsWith("!=", pos)) {
            pos++;
            return unary().negate();
        }
        if (accept("(")) {
            Predicate<T> inner = or();
            expect(")");
            return inner;
        }
        return comparison();
    }

    private Predicate<T> comparison() {
        Function<T> function = function();
        ToDoubleFunction<T> metric = function.number();
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
            if (function.bool() != null) {
                return function.bool();
            }
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

    private Function<T> function() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos);
        if (name.isEmpty()) {
            throw error("expected a function such as " + functions.example());
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
        Function<T> f;
        try {
            f = functions.resolve(name, args);
        } catch (Expression.ExpressionException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
        pos = end;
        return f;
    }

    /** The check every resolver makes: {@code name} takes {@code expected} arguments. */
    public static void arity(String name, List<Double> args, int expected) {
        if (args.size() != expected) {
            throw new IllegalArgumentException(name + " takes " + expected + " argument" + (expected == 1 ? "" : "s") + ", got " + args.size());
        }
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
