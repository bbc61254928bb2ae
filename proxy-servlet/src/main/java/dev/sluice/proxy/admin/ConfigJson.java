package dev.sluice.proxy.admin;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.ser.BeanSerializerModifier;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.sluice.proxy.balance.HashKey;
import dev.sluice.proxy.config.Durations;
import dev.sluice.proxy.rule.RuleParser;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The configuration records as the API shows them, in Traefik's JSON: the keys of the file schema,
 * durations as Go strings ({@code "10s"}), rules as written, enumerations in lower case, defaults
 * filled in, and null or empty values left out as Go's {@code omitempty} does; false and 0 stay
 * ({@code passHostHeader = false} must not read as the default true). Secrets are redacted here,
 * once, for every endpoint: {@link #redact}.
 */
final class ConfigJson {
    /** What replaces a secret. */
    static final String REDACTED = "REDACTED";

    /** Keys whose values are secrets wherever they appear (jwt {@code secret}, keyAuth {@code keys}, ...). */
    private static final Set<String> SECRET_KEYS = Set.of("secret", "keys", "password", "token", "privatekey", "key", "signingsecret",
            "hmacencoded",
            // Header maps (headers middleware, health checks, webhooks, exporters): the names of headers that carry credentials.
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-auth-token");
    /** Keys holding {@code name:secret} entries: the name stays, the hash goes (basicAuth, digestAuth). */
    private static final Set<String> USER_LISTS = Set.of("users");

    private static final ObjectMapper MAPPER = mapper();

    private ConfigJson() {}

    private static ObjectMapper mapper() {
        SimpleModule module = new SimpleModule("sluice-api");
        module.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(Durations.format(value));
            }
        });
        module.addSerializer(RuleParser.HttpRule.class, new JsonSerializer<>() {
            @Override
            public void serialize(RuleParser.HttpRule value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.text());
            }
        });
        module.addSerializer(RuleParser.TcpRule.class, new JsonSerializer<>() {
            @Override
            public void serialize(RuleParser.TcpRule value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.text());
            }
        });
        // Registered for Enum: SimpleSerializers looks every enum up under it.
        @SuppressWarnings({"rawtypes", "unchecked"})
        JsonSerializer<Enum> lowerCase = new JsonSerializer<>() {
            @Override
            public void serialize(Enum value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.name().toLowerCase(Locale.ROOT));
            }
        };
        module.addSerializer(Enum.class, lowerCase);
        module.setSerializerModifier(new BeanSerializerModifier() {
            @Override
            public JsonSerializer<?> modifySerializer(SerializationConfig config, BeanDescription description, JsonSerializer<?> serializer) {
                Class<?> type = description.getBeanClass();
                // A constant with a body is a subclass of its enum, which isEnum() does not admit.
                if (Enum.class.isAssignableFrom(type)) {
                    return lowerCase;
                }
                // Sluice's typed values (regexes, sizes, hash keys): their text, as the file says them.
                if (type == HashKey.class || type.getName().startsWith("dev.sluice.") && !type.isRecord() && !type.isEnum()) {
                    return ToStringSerializer.instance;
                }
                return serializer;
            }

        });
        return new ObjectMapper().registerModule(module)
                .setSerializationInclusion(JsonInclude.Include.NON_EMPTY)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }

    /** {@code value} (a configuration record) as Traefik's JSON, secrets redacted. */
    static ObjectNode of(Object value) {
        JsonNode node = MAPPER.valueToTree(value);
        ObjectNode object = node instanceof ObjectNode o ? o : MAPPER.createObjectNode();
        redact(object);
        return object;
    }

    /** Replaces every secret below {@code node}, in place. */
    static void redact(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey().toLowerCase(Locale.ROOT);
                JsonNode value = field.getValue();
                if (USER_LISTS.contains(key) && value instanceof ArrayNode users) {
                    for (int i = 0; i < users.size(); i++) {
                        String entry = users.get(i).asText();
                        int colon = entry.indexOf(':');
                        users.set(i, TextNode.valueOf((colon < 0 ? "" : entry.substring(0, colon + 1)) + REDACTED));
                    }
                } else if (SECRET_KEYS.contains(key) && !value.isContainerNode()) {
                    field.setValue(TextNode.valueOf(REDACTED));
                } else if (SECRET_KEYS.contains(key) && value instanceof ArrayNode list) {
                    for (int i = 0; i < list.size(); i++) {
                        list.set(i, TextNode.valueOf(REDACTED));
                    }
                } else if (value.isTextual() && value.asText().contains("PRIVATE KEY-----")) {
                    // An inline PEM key (tls keyFile, a transport's client key).
                    field.setValue(TextNode.valueOf(REDACTED));
                } else {
                    redact(value);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(ConfigJson::redact);
        }
    }
}
