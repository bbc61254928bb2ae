package dev.sluice.proxy.runtime;

import dev.sluice.proxy.config.MiddlewareConfig;
import dev.sluice.proxy.config.middleware.ChainConfig;
import dev.sluice.proxy.middleware.MiddlewareContext;
import dev.sluice.proxy.middleware.Middlewares;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.transport.UpstreamClients;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The filters of one snapshot's middlewares, one instance per configured name (so state such as a
 * rate limiter's buckets is shared by every router that names it), and the expansion of a list of
 * names, chains included, into the filters to run.
 */
final class MiddlewareChains {
    private final Map<String, MiddlewareConfig> configs;
    private final Map<String, Filter> filters;

    private MiddlewareChains(Map<String, MiddlewareConfig> configs, Map<String, Filter> filters) {
        this.configs = configs;
        this.filters = filters;
    }

    static MiddlewareChains build(Map<String, MiddlewareConfig> configs, Map<String, HttpService> services,
            UpstreamClients clients, List<AutoCloseable> closeables) {
        Map<String, Filter> filters = new HashMap<>();
        configs.forEach((name, config) -> {
            if (config.options() instanceof ChainConfig) {
                return;
            }
            try {
                filters.put(name, Middlewares.create(config, new Context(name, services, clients.get(UpstreamClients.DEFAULT), closeables)));
            } catch (Exception e) {
                throw new IllegalStateException("http.middlewares." + name + "." + config.type() + ": " + e.getMessage(), e);
            }
        });
        return new MiddlewareChains(configs, filters);
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

    private record Context(String name, Map<String, HttpService> services, HttpClient httpClient, List<AutoCloseable> closeables)
            implements MiddlewareContext {
        @Override
        public HttpService service(String serviceName) {
            return services.get(serviceName);
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
