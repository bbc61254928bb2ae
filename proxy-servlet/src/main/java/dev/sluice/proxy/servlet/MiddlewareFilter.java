package dev.sluice.proxy.servlet;

import dev.sluice.proxy.config.ConfigException;
import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.middleware.MiddlewareContext;
import dev.sluice.proxy.middleware.Middlewares;
import dev.sluice.proxy.observe.ExchangeObserver;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.transport.UpstreamClients;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Any Sluice middleware declared directly in a web application's {@code web.xml}, in front of
 * whatever the application serves. Init-param {@code type} names the middleware type; every other
 * init-param is one of its options, written as a TOML value ({@code ["a", "b"]}, {@code 10},
 * {@code true}); a value that is not valid TOML is taken as a plain string, so {@code realm} can be
 * written {@code My Realm}. Nested options use dotted names ({@code ipStrategy.depth}).
 *
 * <pre>{@code
 * <filter>
 *   <filter-name>auth</filter-name>
 *   <filter-class>dev.sluice.proxy.servlet.MiddlewareFilter</filter-class>
 *   <async-supported>true</async-supported>
 *   <init-param><param-name>type</param-name><param-value>basicAuth</param-value></init-param>
 *   <init-param><param-name>users</param-name><param-value>["test:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/"]</param-value></init-param>
 * </filter>
 * }</pre>
 *
 * The options are validated as in a config file; a bad one fails the web application's start with
 * the option named. Sub-requests (forwardAuth, JWKS) use the Sluice runtime's client when the
 * application also runs Sluice, else a client of the filter's own.
 */
public class MiddlewareFilter implements Filter {
    private Filter delegate;
    private final List<AutoCloseable> resources = new ArrayList<>();

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        String name = filterConfig.getFilterName();
        MiddlewareConfig config;
        try {
            config = parse(name, filterConfig);
        } catch (ConfigException e) {
            throw new ServletException("filter " + name + ": " + e.getMessage());
        }
        try {
            HttpClient client;
            Object runtime = filterConfig.getServletContext().getAttribute(SluiceRuntime.ATTRIBUTE);
            if (runtime instanceof SluiceRuntime sluice) {
                client = sluice.clients().get(UpstreamClients.DEFAULT);
            } else {
                UpstreamClients own = UpstreamClients.start(Map.of());
                resources.add(own);
                client = own.get(UpstreamClients.DEFAULT);
            }
            delegate = Middlewares.create(config, new Context(name, client, resources));
            delegate.init(filterConfig);
        } catch (ServletException e) {
            throw e;
        } catch (Exception e) {
            destroy();
            throw new ServletException("filter " + name + ": " + e.getMessage(), e);
        }
    }

    private static MiddlewareConfig parse(String name, FilterConfig filterConfig) throws ConfigException {
        String type = filterConfig.getInitParameter("type");
        if (type == null || type.isBlank()) {
            throw new ConfigException("init-param type: missing; name a middleware type such as basicAuth");
        }
        String key = TomlText.key(name);
        StringBuilder toml = new StringBuilder("[http.middlewares.").append(key).append('.').append(type.trim()).append("]\n");
        for (String param : Collections.list(filterConfig.getInitParameterNames())) {
            if (!param.equals("type")) {
                toml.append(param).append(" = ").append(TomlText.value(filterConfig.getInitParameter(param))).append('\n');
            }
        }
        return ConfigLoader.parse(toml.toString(), "web.xml filter " + name + ".toml").http().middlewares().values().iterator().next();
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (Exchange.of(request) != null) {
            delegate.doFilter(request, response, chain); // in front of Sluice's filter, or behind another of these
            return;
        }
        // The first Sluice middleware of a plain web application: it begins the exchange, whose end
        // the middlewares wait for (an in-flight slot, a breaker's verdict).
        Exchange exchange = Exchange.begin((HttpServletRequest) request, (HttpServletResponse) response, null, ExchangeObserver.NONE);
        exchange.run(() -> delegate.doFilter(exchange.request(), exchange.response(), chain));
    }

    @Override
    public void destroy() {
        if (delegate != null) {
            delegate.destroy();
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception ignored) {
                // stopping: nothing left to tell
            }
        }
        resources.clear();
    }

    private record Context(String name, HttpClient httpClient, List<AutoCloseable> resources) implements MiddlewareContext {
        @Override
        public HttpService service(String serviceName) {
            return null; // a filter in web.xml has no services: the errors middleware needs Sluice's config
        }

        @Override
        public Scheduler scheduler() {
            return httpClient.getScheduler();
        }

        @Override
        public void onClose(AutoCloseable resource) {
            resources.add(resource);
        }
    }
}
