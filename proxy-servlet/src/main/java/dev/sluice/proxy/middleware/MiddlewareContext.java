package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.HttpService;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * What a middleware may use besides its options, all owned by the snapshot that built it: services
 * (the errors middleware serves its page from one), an HTTP client for sub-requests (forwardAuth,
 * JWKS), a scheduler for timers, and a place to register what must stop with the snapshot.
 */
public interface MiddlewareContext {
    /** The middleware's configured name, for logs and derived names. */
    String name();

    /** The service called {@code name} in the same snapshot, or null. */
    HttpService service(String name);

    /** The {@code default} transport's client: non-blocking, pooled, started. */
    HttpClient httpClient();

    /** Timers (delays, periodic refreshes); tasks must not block. */
    Scheduler scheduler();

    /** Called when the snapshot is retired (a reload or a stop). */
    void onClose(AutoCloseable resource);
}
