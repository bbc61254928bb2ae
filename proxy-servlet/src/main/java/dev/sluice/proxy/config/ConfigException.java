package dev.sluice.proxy.config;

import java.util.List;

/**
 * A configuration that cannot be served. Each problem starts with the key path it concerns, for
 * example {@code http.routers.api.service: unknown service "apii" (did you mean "api"?)}.
 */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public ConfigException(String problem, Throwable cause) {
        super(problem, cause);
        this.problems = List.of(problem);
    }

    /** One line per problem, each starting with its key path. */
    public List<String> problems() {
        return problems;
    }
}
