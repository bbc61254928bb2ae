package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.config.middleware.ChainConfig;
import dev.sluice.proxy.middleware.MiddlewareContext;
import dev.sluice.proxy.middleware.Middlewares;
import dev.sluice.proxy.service.HttpService;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The filters of one snapshot's middlewares, one instance per configured name (so state such as a
 * rate limiter's buckets is shared by every router that names it), and the expansion of a list of
 * names, chains included, into the filters to run.
 *
 * <p>A middleware whose name and options are unchanged by a reload is the same instance in the new
 * snapshot, state included (buckets, breaker windows, cache contents, JWKS); it looks services up in
 * whichever snapshot is current, so it never holds on to a retired service tree.
 */
final class MiddlewareChains {
    private final Map<String, MiddlewareConfig> configs;
    private final Map<String, Filter> filters;

    private MiddlewareChains(Map<String, MiddlewareConfig> configs, Map<String, Filter> filters) {
        this.configs = configs;
        this.filters = filters;
    }

    /**
     * @param services the services of the snapshot serving at the time of the call (a middleware
     *     such as errors or retry asks for one per request)
     */
    static MiddlewareChains build(Map<String, MiddlewareConfig> configs, Function<String, HttpService> services, HttpClient client,
            Carryover carryover) {
        Map<String, Filter> filters = new HashMap<>();
        configs.forEach((name, config) -> {
            if (config.options() instanceof ChainConfig) {
                return;
            }
            Built built = carryover.keep(new Key(name, config, client), () -> create(name, config, services, client));
            filters.put(name, built.filter);
        });
        return new MiddlewareChains(configs, filters);
    }

    private static Built create(String name, MiddlewareConfig config, Function<String, HttpService> services, HttpClient client) {
        Context context = new Context(name, services, client, new ArrayList<>());
        try {
            return new Built(Middlewares.create(config, context), context.closeables);
        } catch (Exception e) {
            new Built(null, context.closeables).close();
            throw new IllegalStateException("http.middlewares." + name + "." + config.type() + ": " + e.getMessage(), e);
        }
    }

    /** The filters of {@code names} in order, each chain replaced by its members. */
    Filter[] chain(List<String> names) {
        List<Filter> out = new ArrayList<>();
        expand(names, out);
        return out.toArray(Filter[]::new);
    }

    private void expand(List<String> names, List<Filter> out) {
        for (String name : names) {
            if (configs.get(name).options() instanceof ChainConfig chain) {
                expand(chain.middlewares(), out); // cycles were refused by validation
            } else {
                out.add(filters.get(name));
            }
        }
    }

    /** What a middleware instance depends on: its name, its options, and the client its sub-requests use. */
    private record Key(String name, MiddlewareConfig config, HttpClient client) {}

    /** One middleware instance and what stops with it. */
    private record Built(Filter filter, List<AutoCloseable> closeables) implements AutoCloseable {
        @Override
        public void close() {
            Snapshot.closeAll(closeables);
            if (filter != null) {
                filter.destroy();
            }
        }
    }

    private record Context(String name, Function<String, HttpService> services, HttpClient httpClient, List<AutoCloseable> closeables)
            implements MiddlewareContext {
        @Override
        public HttpService service(String serviceName) {
            return services.apply(serviceName);
        }

        @Override
        public Scheduler scheduler() {
            return httpClient.getScheduler();
        }

        @Override
        public void onClose(AutoCloseable resource) {
            closeables.add(resource);
        }
    }
}
