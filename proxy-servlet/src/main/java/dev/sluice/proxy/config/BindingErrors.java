package dev.sluice.proxy.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Turns Jackson's binding failures into one line that starts with the key path. */
final class BindingErrors {
    private BindingErrors() {}

    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds() == null ? List.of()
                    : unknown.getKnownPropertyIds().stream().map(String::valueOf).toList();
            return path(unknown) + ": unknown key" + Suggestions.didYouMean(unknown.getPropertyName(), known)
                    + (known.isEmpty() ? "" : "; known keys: " + String.join(", ", known));
        }
        if (e instanceof InvalidFormatException format) {
            return path(format) + ": expected " + typeName(format.getTargetType()) + ", got " + quote(format.getValue())
                    + reason(format);
        }
        if (e instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause() == null ? instantiation : instantiation.getCause();
            return path(instantiation) + ": " + cause.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch) {
            return path(mismatch) + ": expected " + typeName(mismatch.getTargetType()) + reason(mismatch);
        }
        if (e instanceof JsonMappingException mapping) {
            return path(mapping) + ": " + mapping.getOriginalMessage();
        }
        JsonLocation where = e.getLocation();
        String at = where == null || where.getLineNr() < 0 ? "" : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
        return "syntax error: " + at + e.getOriginalMessage();
    }

    /** {@code http.services.api.loadBalancer.servers[1].url}; {@code (root)} for the document itself. */
    static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                b.append('[').append(ref.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "(root)" : b.toString();
    }

    private static String reason(JsonMappingException e) {
        String message = e.getOriginalMessage();
        // Our duration deserializer passes its own reason; Jackson's generic text adds nothing useful.
        int colon = message == null ? -1 : message.lastIndexOf("\": ");
        return message != null && message.contains("invalid duration") && colon >= 0 ? " (" + message.substring(message.indexOf("invalid duration")) + ")" : "";
    }

    private static String typeName(Class<?> type) {
        if (type == null) {
            return "a value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Duration.class) {
            return "a duration such as \"10s\" or \"150ms\"";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a table";
        }
        return "a " + type.getSimpleName();
    }

    private static String quote(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }
}
