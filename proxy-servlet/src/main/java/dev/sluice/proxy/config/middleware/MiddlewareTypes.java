package dev.sluice.proxy.config.middleware;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Every middleware type, by its TOML name ({@code stripPrefix}), with the record its options bind
 * to. Names are matched without regard to case, as Traefik's file provider does. A new type is a
 * record here and a factory in {@code dev.sluice.proxy.middleware.Middlewares}.
 */
public final class MiddlewareTypes {
    private static final Map<String, Class<? extends MiddlewareOptions>> BY_NAME = new LinkedHashMap<>();
    private static final Map<String, String> CANONICAL = new LinkedHashMap<>();

    static {
        // paths and redirects
        register("addPrefix", AddPrefixConfig.class);
        register("stripPrefix", StripPrefixConfig.class);
        register("stripPrefixRegex", StripPrefixRegexConfig.class);
        register("replacePath", ReplacePathConfig.class);
        register("replacePathRegex", ReplacePathRegexConfig.class);
        register("redirectScheme", RedirectSchemeConfig.class);
        register("redirectRegex", RedirectRegexConfig.class);
        register("encodedCharacters", EncodedCharactersConfig.class);
        register("ping", PingConfig.class);
        register("mock", MockConfig.class);
        register("uaRestriction", UaRestrictionConfig.class);
        register("refererRestriction", RefererRestrictionConfig.class);
        register("passTLSClientCert", PassTLSClientCertConfig.class);
        // end paths and redirects

        // headers and small answers
        register("headers", HeadersConfig.class);
        register("responseHeaders", ResponseHeadersConfig.class);
        register("requestId", RequestIdConfig.class);
        register("contentType", ContentTypeConfig.class);
        // end headers and small answers

        // authentication
        register("basicAuth", BasicAuthConfig.class);
        register("digestAuth", DigestAuthConfig.class);
        register("keyAuth", KeyAuthConfig.class);
        register("forwardAuth", ForwardAuthConfig.class);
        register("jwt", JwtConfig.class);
        // end authentication

        // traffic control
        register("ipAllowList", IpAllowListConfig.class);
        register("ipWhiteList", IpAllowListConfig.class); // Traefik's deprecated name, still accepted in v3
        register("rateLimit", RateLimitConfig.class);
        register("inFlightReq", InFlightReqConfig.class);
        register("retry", RetryConfig.class);
        register("circuitBreaker", CircuitBreakerConfig.class);
        // end traffic control

        // bodies
        register("buffering", BufferingConfig.class);
        register("compress", CompressConfig.class);
        register("subFilter", SubFilterConfig.class);
        register("grpcWeb", GrpcWebConfig.class);
        register("grpc-web", GrpcWebConfig.class); // Pingap's plugin name
        // cache and errors
        register("errors", ErrorsConfig.class);
        // cache and errors
        register("cache", CacheConfig.class);
        // end bodies

        // composition
        register("chain", ChainConfig.class);
        // end composition
    }

    private MiddlewareTypes() {}

    private static void register(String name, Class<? extends MiddlewareOptions> options) {
        BY_NAME.put(name, options);
        CANONICAL.put(name.toLowerCase(Locale.ROOT), name);
    }

    /** The canonical spelling of {@code name} in any case, or null if there is no such type. */
    public static String canonical(String name) {
        return CANONICAL.get(name.toLowerCase(Locale.ROOT));
    }

    /** The options record of a canonical type name. */
    public static Class<? extends MiddlewareOptions> options(String canonicalName) {
        return BY_NAME.get(canonicalName);
    }

    public static Set<String> names() {
        return Collections.unmodifiableSet(BY_NAME.keySet());
    }
}
