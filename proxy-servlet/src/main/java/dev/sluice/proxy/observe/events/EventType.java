package dev.sluice.proxy.observe.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.sluice.proxy.config.Suggestions;
import java.util.Arrays;
import java.util.List;

/** What happened, by the name a webhook's {@code events} filter and a payload's {@code type} use. */
public enum EventType {
    CONFIG_RELOADED("config.reloaded"),
    CONFIG_REJECTED("config.rejected"),
    SERVER_UP("server.up"),
    SERVER_DOWN("server.down"),
    CERTIFICATE_ISSUED("certificate.issued"),
    CERTIFICATE_RENEWED("certificate.renewed"),
    CERTIFICATE_FAILED("certificate.failed"),
    RATE_LIMIT_STORM("ratelimit.storm"),
    PROCESS_STARTED("process.started"),
    PROCESS_STOPPING("process.stopping");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Every wire name, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(EventType::wireName).toList();
    }

    @JsonCreator
    public static EventType of(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown event type \"" + name + "\"" + Suggestions.didYouMean(name, names())
                + "; known types: " + String.join(", ", names()));
    }
}
