package dev.sluice.proxy.service;

import dev.sluice.proxy.balance.Selector;
import dev.sluice.proxy.balance.Strategy;
import dev.sluice.proxy.health.HealthState.PassivePolicy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.jetty.client.HttpClient;

/**
 * {@code loadBalancer}: picks a healthy server with its strategy (or the one a sticky cookie names)
 * and hands the request to the proxy. The selector only ever sees healthy servers: it is rebuilt,
 * off the request path, whenever a server's health changes.
 */
public final class LoadBalancer extends HealthReportingService {
    private final List<Server> servers;
    private final Strategy strategy;
    private final Function<HttpServletRequest, String> hashKey;
    private final StickyCookie sticky;
    private final Map<String, Server> byStickyValue = new HashMap<>();
    private final Settings settings;
    private final List<AutoCloseable> subscriptions = new java.util.ArrayList<>();
    private volatile Selector<Server> selector;

    /** How requests to these servers are sent and judged. */
    /**
     * @param flushIntervalNanos {@code responseForwarding.flushInterval}: negative flushes every chunk,
     *     0 only when the container's buffer fills or the body ends
     * @param tunnelIdleTimeoutMillis how long an upgraded connection may carry nothing; 0 = never
     */
    public record Settings(HttpClient client, boolean passHostHeader, long responseHeaderTimeoutMillis,
            PassivePolicy passive, boolean healthChecked, long flushIntervalNanos, long tunnelIdleTimeoutMillis) {}

    public LoadBalancer(String name, List<Server> servers, Strategy strategy, Function<HttpServletRequest, String> hashKey,
            StickyCookie sticky, Settings settings) {
        super(name);
        this.servers = List.copyOf(servers);
        this.strategy = strategy;
        this.hashKey = hashKey;
        this.sticky = sticky;
        this.settings = settings;
        for (Server server : servers) {
            byStickyValue.put(server.stickyValue(), server);
            subscriptions.add(server.health().onChange(this::rebuild));
        }
        rebuild();
    }

    /**
     * Stops listening to the servers' health: their states outlive this balancer when a reload hands
     * them to the next snapshot, and must not keep it (and its whole tree) reachable.
     */
    void detach() throws Exception {
        for (AutoCloseable subscription : subscriptions) {
            subscription.close();
        }
    }

    private synchronized void rebuild() {
        List<Server> healthy = servers.stream().filter(Server::isUp).toList();
        selector = strategy.newSelector(healthy);
        report(healthy.stream().anyMatch(Server::pickable));
    }

    public List<Server> servers() {
        return servers;
    }

    public Settings settings() {
        return settings;
    }

    /** True for {@code leasttime}, which needs each server's time to first byte. */
    public boolean measuresResponseTime() {
        return strategy == Strategy.LEASTTIME;
    }

    /** Whether parents may rely on {@link #isUp()}: only with an active or passive check. */
    public boolean healthChecked() {
        return settings.healthChecked();
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException, ServletException {
        exchange.target(choose(request, response), this);
        // A null server is passed on too: the proxy answers 503 in the one place that maps errors.
        proxy.doFilter(request, response);
    }

    private Server choose(HttpServletRequest request, HttpServletResponse response) {
        if (sticky != null) {
            String value = sticky.read(request);
            Server remembered = value == null ? null : byStickyValue.get(value);
            if (remembered != null && remembered.isUp() && remembered.pickable()) {
                return remembered;
            }
        }
        Server chosen = selector.select(hashKey == null ? null : hashKey.apply(request));
        if (sticky != null && chosen != null) {
            sticky.write(response, chosen.stickyValue());
        }
        return chosen;
    }

    @Override
    public Target pick(HttpServletRequest request) {
        Server server = selector.select(hashKey == null ? null : hashKey.apply(request));
        return server == null ? null : new Target(server, this);
    }

    /** As {@link #choose} without writing a cookie or moving the selector: a remembered sticky server first. */
    @Override
    public Target peek(HttpServletRequest request) {
        if (sticky != null) {
            String value = sticky.read(request);
            Server remembered = value == null ? null : byStickyValue.get(value);
            if (remembered != null && remembered.isUp() && remembered.pickable()) {
                return new Target(remembered, this);
            }
        }
        Server server = selector.peek(hashKey == null ? null : hashKey.apply(request));
        return server == null ? null : new Target(server, this);
    }

    /** The outcome of one proxied request: feeds passive health checks and leasttime. */
    public void recordOutcome(Server server, boolean failed) {
        if (failed) {
            server.health().recordFailure(settings.passive(), settings.client().getScheduler());
        } else {
            server.health().recordSuccess();
        }
    }
}
