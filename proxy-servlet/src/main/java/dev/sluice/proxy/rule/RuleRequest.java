package dev.sluice.proxy.rule;

import java.net.InetAddress;
import java.util.function.Predicate;

/**
 * What a rule may look at in a request. Implementations compute each fact lazily and at most once
 * per request, so that a rule that only tests the host never parses the query.
 */
public interface RuleRequest {
    /** Lower-case host without port (request authority, else {@code Host} header); {@code ""} when absent. */
    String host();

    /** The routing path (see {@link RoutingPath#of(String)}); always starts with {@code /}. */
    String path();

    /** The request method, upper-case as sent. */
    String method();

    /** True if any field line of header {@code name} (case-insensitive) satisfies {@code test}. */
    boolean anyHeaderValue(String name, Predicate<String> test);

    /** True if query parameter {@code key} is present and one of its decoded values satisfies {@code test}. */
    boolean anyQueryValue(String key, Predicate<String> test);

    /** The address of the connection's peer (never {@code X-Forwarded-For}). */
    InetAddress clientAddress();

    /** The protocols a TLS ClientHello offers (ALPN), for TCP routers; empty for HTTP requests. */
    default java.util.List<String> alpn() {
        return java.util.List.of();
    }
}
