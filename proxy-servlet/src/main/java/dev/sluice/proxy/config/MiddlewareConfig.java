package dev.sluice.proxy.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.sluice.proxy.config.middleware.MiddlewareOptions;
import dev.sluice.proxy.config.middleware.MiddlewareTypes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code [http.middlewares.NAME]}: exactly one middleware type, e.g. {@code [http.middlewares.NAME.stripPrefix]}.
 *
 * @param type the canonical type name ({@code stripPrefix}), or null if the table names none
 * @param options that type's options record
 */
@JsonDeserialize(using = MiddlewareConfig.Reader.class)
public record MiddlewareConfig(String type, MiddlewareOptions options) {

    public MiddlewareConfig withOptions(MiddlewareOptions replaced) {
        return new MiddlewareConfig(type, replaced);
    }

    /**
     * Binds the one type key to its registered record. An unknown type is reported like any unknown
     * key (with a suggestion); a second type in the same table is an error naming both.
     */
    static final class Reader extends JsonDeserializer<MiddlewareConfig> {
        @Override
        public MiddlewareConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return (MiddlewareConfig) ctxt.handleUnexpectedToken(MiddlewareConfig.class, p);
            }
            String type = null;
            MiddlewareOptions options = null;
            for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                String canonical = MiddlewareTypes.canonical(key);
                if (canonical == null) {
                    List<Object> known = new ArrayList<>(MiddlewareTypes.names());
                    throw UnrecognizedPropertyException.from(p, MiddlewareConfig.class, key, known);
                }
                if (type != null) {
                    throw JsonMappingException.from(p, "exactly one middleware type allowed, found " + type + " and " + canonical);
                }
                p.nextToken();
                type = canonical;
                try {
                    options = ctxt.readValue(p, MiddlewareTypes.options(canonical));
                } catch (JsonMappingException e) {
                    throw JsonMappingException.wrapWithPath(e, MiddlewareConfig.class, key);
                }
                if (options == null) {
                    throw JsonMappingException.from(p, canonical + ": options must be a table");
                }
            }
            return new MiddlewareConfig(type, options);
        }
    }
}
