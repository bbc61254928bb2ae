package dev.sluice.proxy.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Turns Jackson's binding failures into one line that starts with the key path. */
final class BindingErrors {
    private BindingErrors() {}

    static String describe(JsonProcessingException e) {
        return firstLine(describeAll(e));
    }

    private static String describeAll(JsonProcessingException e) {
        // A syntax error met while binding (YAML is read lazily) comes wrapped with the path reached so
        // far; it is still a syntax error. Only JsonParseException: an InputCoercionException (number out
        // of range) is a StreamReadException too, but a binding problem that belongs to its key path.
        if (e instanceof JsonMappingException && e.getCause() instanceof JsonParseException read) {
            e = read;
        }
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
            String message = mismatch.getOriginalMessage();
            if (message != null && message.startsWith("Trailing token")) {
                return "(root): unexpected content after the end of the document (one document per file)";
            }
            return path(mismatch) + ": expected " + typeName(mismatch.getTargetType()) + offendingValue(mismatch) + reason(mismatch);
        }
        if (e instanceof JsonMappingException mapping) {
            return path(mapping) + ": " + mapping.getOriginalMessage();
        }
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof MarkedYAMLException)) {
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        if (cause instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            // SnakeYAML knows where the problem is; the parser's own location is where it stopped reading.
            Mark mark = yaml.getProblemMark();
            String problem = yaml.getProblem() == null ? e.getOriginalMessage() : yaml.getProblem();
            return "syntax error: line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": " + problem;
        }
        JsonLocation where = e.getLocation();
        String at = where == null || where.getLineNr() < 0 ? "" : "line " + where.getLineNr() + ", column " + where.getColumnNr() + ": ";
        return "syntax error: " + at + e.getOriginalMessage();
    }

    /** Problems are one line each; parsers like to add context lines (snippets, carets) after the first. */
    private static String firstLine(String message) {
        int end = 0;
        while (end < message.length() && message.charAt(end) != '\n' && message.charAt(end) != '\r') {
            end++;
        }
        return message.substring(0, end).stripTrailing();
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

    /**
     * {@code , got "abc"} when the parser is still on the scalar that did not fit (Jackson keeps the value
     * only in its message for a refused coercion, e.g. {@code weight = "abc"}); empty otherwise.
     */
    private static String offendingValue(MismatchedInputException e) {
        if (e instanceof InvalidNullException || !(e.getProcessor() instanceof JsonParser parser) || parser.isClosed()) {
            return "";
        }
        try {
            JsonToken token = parser.currentToken();
            if (token == null || !token.isScalarValue() || token == JsonToken.VALUE_NULL || token == JsonToken.VALUE_EMBEDDED_OBJECT) {
                return "";
            }
            String text = parser.getText();
            return text == null ? "" : ", got " + (token == JsonToken.VALUE_STRING ? quote(text) : text);
        } catch (IOException | RuntimeException unavailable) {
            return "";
        }
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
