package dev.sluice.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.sluice.proxy.balance.HashKey;
import dev.sluice.proxy.balance.Strategy;
import dev.sluice.proxy.rule.RuleParser;
import dev.sluice.proxy.rule.RuleParser.HttpRule;
import dev.sluice.proxy.rule.RuleParser.TcpRule;
import dev.sluice.proxy.rule.RuleSyntaxException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;

/**
 * The configuration strings that mean something more than text, interpreted once, while the file
 * is bound: {@code loadBalancer.strategy} into a {@link Strategy}, {@code hashKey} into a
 * {@link HashKey}, and router rules into compiled {@link HttpRule}s and {@link TcpRule}s. Nothing
 * after binding parses them again: validation reads the typed values, the runtime builds from them.
 *
 * <p>A value that does not parse does not stop binding (that would hide every later problem): it is
 * added to the load's {@link Problems} under its key path, e.g. {@code
 * http.services.api.loadBalancer.strategy: unknown strategy "wrrr" (did you mean "wrr"?); known: …},
 * and binds as null, so the record takes its default and the load fails once everything is read.
 */
final class TypedValues {
    /** The reader attribute under which binding finds the load's problem sink. */
    static final Class<Problems> PROBLEMS = Problems.class;

    private TypedValues() {}

    static SimpleModule module() {
        SimpleModule module = new SimpleModule("sluice-typed-values");
        module.addDeserializer(Strategy.class, new Lenient<>(Strategy.class, TypedValues::strategy));
        module.addDeserializer(HashKey.class, new Lenient<>(HashKey.class, HashKey::parse));
        module.addDeserializer(HttpRule.class, new Lenient<>(HttpRule.class, text -> rule(text, RuleParser::compile)));
        module.addDeserializer(TcpRule.class, new Lenient<>(TcpRule.class, text -> rule(text, RuleParser::parseTcp)));
        return module;
    }

    /** A compiled rule, null for a blank one (validation says "missing rule", with an example for its protocol). */
    private static <R> R rule(String text, RuleCompiler<R> compiler) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return compiler.compile(text);
        } catch (RuleSyntaxException e) {
            throw new IllegalArgumentException("invalid rule \"" + text + "\": " + e.getMessage());
        }
    }

    @FunctionalInterface
    private interface RuleCompiler<R> {
        R compile(String text) throws RuleSyntaxException;
    }

    /**
     * The strategy named {@code text} (any case).
     *
     * @throws IllegalArgumentException {@code unknown strategy "wrrr" (did you mean "wrr"?); known: …}
     */
    static Strategy strategy(String text) {
        Strategy strategy = Strategy.byName(text);
        if (strategy == null) {
            throw new IllegalArgumentException("unknown strategy \"" + text + "\"" + Suggestions.didYouMean(text, Strategy.names())
                    + "; known: " + String.join(", ", Strategy.names()));
        }
        return strategy;
    }

    /** A string-valued key read by {@code parse}; its {@link IllegalArgumentException} is a problem at the key. */
    private static final class Lenient<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final Function<String, T> parse;

        Lenient(Class<T> type, Function<String, T> parse) {
            this.type = type;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                // Not a string at all ("strategy = 3") is a type error, which stops binding as other type errors do.
                return type.cast(ctxt.handleUnexpectedToken(String.class, p));
            }
            String text = p.getText();
            try {
                return parse.apply(text);
            } catch (IllegalArgumentException e) {
                Problems problems = (Problems) ctxt.getAttribute(PROBLEMS);
                if (problems == null) {
                    return type.cast(ctxt.handleWeirdStringValue(type, text, e.getMessage()));
                }
                problems.add(path(p.getParsingContext()), e.getMessage());
                return null;
            }
        }
    }

    /** {@code http.services.api.loadBalancer.strategy}: the key the parser stands on, from the root. */
    static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(c.getCurrentIndex(), 0) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push((c.getParent() == null || c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
            }
        }
        return parts.isEmpty() ? "(root)" : String.join("", parts);
    }
}
