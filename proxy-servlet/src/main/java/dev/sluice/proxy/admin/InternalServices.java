package dev.sluice.proxy.admin;

import dev.sluice.proxy.config.InternalServiceNames;
import dev.sluice.proxy.config.SluiceConfig;
import dev.sluice.proxy.observe.metrics.PrometheusService;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.service.HttpService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The handlers of the internal services ({@code api@internal}, {@code ping@internal}, ...), by name:
 * when a router's service ends in {@code @internal}, the snapshot builder asks here for it. A factory
 * is called once per snapshot, with the configuration being built and the runtime (whose
 * {@link SluiceRuntime#current()} the handler reads per request). Which names a configuration may
 * use is {@link InternalServiceNames}'s business, checked at load with the key path; a new internal
 * service is registered in both.
 *
 * <pre>
 * InternalServices services = InternalServices.defaults().register("prometheus", ctx -> new PrometheusService(ctx));
 * SluiceRuntime runtime = SluiceRuntime.start(config, null, services);
 * </pre>
 */
public final class InternalServices {
    /** Builds the handler of one internal service for one snapshot. */
    @FunctionalInterface
    public interface Factory {
        HttpService create(Context context);
    }

    /**
     * What a factory may use.
     *
     * @param name the full name, {@code api@internal}
     * @param config the configuration of the snapshot being built (not yet serving)
     * @param runtime the runtime it will serve in: its current snapshot, its shutdown state, its observers
     */
    public record Context(String name, SluiceConfig config, SluiceRuntime runtime) {}

    private final Map<String, Factory> factories = new ConcurrentHashMap<>();

    private InternalServices() {}

    /** Sluice's own: {@code api}, {@code dashboard} (the web dashboard), {@code ping}, {@code prometheus}, {@code noop}. */
    public static InternalServices defaults() {
        return new InternalServices()
                .register("api", ApiService::new)
                .register("dashboard", DashboardService::new)
                .register("ping", PingService::new)
                .register("prometheus", ctx -> new PrometheusService(ctx.name(), ctx.runtime()))
                .register("noop", ctx -> new NoopService(ctx.name()));
    }

    /** Adds or replaces the factory of {@code name} ({@code prometheus} or {@code prometheus@internal}). */
    public InternalServices register(String name, Factory factory) {
        factories.put(name.endsWith(InternalServiceNames.SUFFIX) ? name : name + InternalServiceNames.SUFFIX, factory);
        return this;
    }

    /** True if {@code name} ({@code x@internal}) has a handler. */
    public boolean has(String name) {
        return factories.containsKey(name);
    }

    /**
     * The handler of {@code name} for the snapshot of {@code config}. The configuration was validated,
     * so a missing one means a name {@link InternalServiceNames} knows but nothing registered.
     */
    public HttpService create(String name, SluiceConfig config, SluiceRuntime runtime) {
        Factory factory = factories.get(name);
        if (factory == null) {
            throw new IllegalStateException("internal service \"" + name + "\" is not available in this build of Sluice");
        }
        return factory.create(new Context(name, config, runtime));
    }
}
