package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.config.middleware.AddPrefixConfig;
import dev.sluice.proxy.config.middleware.BasicAuthConfig;
import dev.sluice.proxy.config.middleware.CacheConfig;
import dev.sluice.proxy.config.middleware.CircuitBreakerConfig;
import dev.sluice.proxy.config.middleware.ContentTypeConfig;
import dev.sluice.proxy.config.middleware.DigestAuthConfig;
import dev.sluice.proxy.config.middleware.EncodedCharactersConfig;
import dev.sluice.proxy.config.middleware.ErrorsConfig;
import dev.sluice.proxy.config.middleware.ForwardAuthConfig;
import dev.sluice.proxy.config.middleware.HeadersConfig;
import dev.sluice.proxy.config.middleware.InFlightReqConfig;
import dev.sluice.proxy.config.middleware.IpAllowListConfig;
import dev.sluice.proxy.config.middleware.JwtConfig;
import dev.sluice.proxy.config.middleware.KeyAuthConfig;
import dev.sluice.proxy.config.middleware.MiddlewareOptions;
import dev.sluice.proxy.config.middleware.MockConfig;
import dev.sluice.proxy.config.middleware.PassTLSClientCertConfig;
import dev.sluice.proxy.config.middleware.PingConfig;
import dev.sluice.proxy.config.middleware.RateLimitConfig;
import dev.sluice.proxy.config.middleware.RedirectRegexConfig;
import dev.sluice.proxy.config.middleware.RedirectSchemeConfig;
import dev.sluice.proxy.config.middleware.RefererRestrictionConfig;
import dev.sluice.proxy.config.middleware.ReplacePathConfig;
import dev.sluice.proxy.config.middleware.ReplacePathRegexConfig;
import dev.sluice.proxy.config.middleware.RequestIdConfig;
import dev.sluice.proxy.config.middleware.ResponseHeadersConfig;
import dev.sluice.proxy.config.middleware.RetryConfig;
import dev.sluice.proxy.config.middleware.StripPrefixConfig;
import dev.sluice.proxy.config.middleware.StripPrefixRegexConfig;
import dev.sluice.proxy.config.middleware.UaRestrictionConfig;
import dev.sluice.proxy.middleware.auth.BasicAuth;
import dev.sluice.proxy.middleware.auth.DigestAuth;
import dev.sluice.proxy.middleware.auth.ForwardAuth;
import dev.sluice.proxy.middleware.auth.Jwt;
import dev.sluice.proxy.middleware.auth.KeyAuth;
import dev.sluice.proxy.middleware.cache.Cache;
import jakarta.servlet.Filter;
import java.util.HashMap;
import java.util.Map;

/**
 * The filter factory of every middleware type, by options record. A new type is a record in
 * {@code dev.sluice.proxy.config.middleware.MiddlewareTypes}, a {@link Filter}, and one line here.
 * {@code chain} has no filter: it is expanded in place where it is referenced.
 */
public final class Middlewares {
    private static final Map<Class<?>, MiddlewareFactory<?>> FACTORIES = new HashMap<>();

    static {
        // paths and redirects
        register(AddPrefixConfig.class, (o, c) -> new AddPrefix(o.prefix()));
        register(StripPrefixConfig.class, (o, c) -> new StripPrefix(o.prefixes()));
        register(StripPrefixRegexConfig.class, (o, c) -> new StripPrefixRegex(o.regex()));
        register(ReplacePathConfig.class, (o, c) -> new ReplacePath(o.path()));
        register(ReplacePathRegexConfig.class, (o, c) -> new ReplacePathRegex(o.regex(), o.replacement()));
        register(RedirectSchemeConfig.class, (o, c) -> new RedirectScheme(o.scheme(), o.port(), o.permanent()));
        register(RedirectRegexConfig.class, (o, c) -> new RedirectRegex(o.regex(), o.replacement(), o.permanent()));
        register(EncodedCharactersConfig.class, (o, c) -> new EncodedCharacters(o));
        register(PingConfig.class, (o, c) -> new Ping(o.path()));
        register(MockConfig.class, (o, c) -> new Mock(o, c.scheduler()));
        register(UaRestrictionConfig.class, (o, c) -> new UaRestriction(o));
        register(RefererRestrictionConfig.class, (o, c) -> new RefererRestriction(o));
        register(PassTLSClientCertConfig.class, (o, c) -> new PassTLSClientCert(o));
        // end paths and redirects

        // headers and small answers
        register(HeadersConfig.class, (o, c) -> new Headers(o));
        register(ResponseHeadersConfig.class, (o, c) -> new ResponseHeaders(o));
        register(RequestIdConfig.class, (o, c) -> new RequestId(o.headerName(), o.algorithm(), o.size()));
        register(ContentTypeConfig.class, (o, c) -> o.autoDetect() ? new ContentType() : (rq, rs, next) -> next.doFilter(rq, rs));
        // end headers and small answers

        // authentication
        register(BasicAuthConfig.class, (o, c) -> new BasicAuth(o));
        register(DigestAuthConfig.class, (o, c) -> new DigestAuth(o));
        register(KeyAuthConfig.class, (o, c) -> new KeyAuth(o));
        register(ForwardAuthConfig.class, ForwardAuth::create);
        register(JwtConfig.class, Jwt::create);
        // end authentication

        // traffic control
        register(IpAllowListConfig.class, (o, c) -> new IpAllowList(o));
        register(RateLimitConfig.class, (o, c) -> new RateLimit(o, c.scheduler(), c.httpClient().getExecutor(), c.name()));
        register(InFlightReqConfig.class, (o, c) -> new InFlightReq(o, c.name()));
        register(RetryConfig.class, Retry::new);
        register(CircuitBreakerConfig.class, (o, c) -> new CircuitBreaker(o, c.name()));
        // end traffic control

        // bodies
        register(dev.sluice.proxy.config.middleware.BufferingConfig.class, (o, c) -> new Buffering(o, c));
        register(dev.sluice.proxy.config.middleware.CompressConfig.class, (o, c) -> new Compress(o, c.name()));
        register(dev.sluice.proxy.config.middleware.SubFilterConfig.class, (o, c) -> new SubFilter(o));
        register(dev.sluice.proxy.config.middleware.GrpcWebConfig.class, (o, c) -> new dev.sluice.proxy.middleware.grpcweb.GrpcWeb(o));
        // cache and errors
        register(ErrorsConfig.class, Errors::create);
        // cache and errors
        register(CacheConfig.class, Cache::create);
        // end bodies
    }

    private Middlewares() {}

    private static <O extends MiddlewareOptions> void register(Class<O> options, MiddlewareFactory<O> factory) {
        FACTORIES.put(options, factory);
    }

    /** The filter for one configured middleware (validated beforehand). */
    @SuppressWarnings("unchecked")
    public static Filter create(MiddlewareConfig config, MiddlewareContext context) throws Exception {
        MiddlewareFactory<MiddlewareOptions> factory = (MiddlewareFactory<MiddlewareOptions>) FACTORIES.get(config.options().getClass());
        if (factory == null) {
            throw new IllegalArgumentException("middleware type " + config.type() + " has no filter");
        }
        return factory.create(config.options(), context);
    }
}
