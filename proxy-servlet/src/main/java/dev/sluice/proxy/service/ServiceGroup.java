package dev.sluice.proxy.service;

import dev.sluice.proxy.balance.Endpoint;
import dev.sluice.proxy.balance.Selector;
import dev.sluice.proxy.balance.Strategy;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A service of services: {@code weighted} (smooth weighted round-robin, optionally sticky) and
 * {@code highestRandomWeight} (rendezvous hashing of the client IP). With {@code healthCheck {}}
 * it only picks children that are up, and reports itself up while one of them is.
 */
public final class ServiceGroup extends HealthReportingService {
    /** One child with its weight; its sticky value hashes the child's name. */
    public record Child(HttpService service, int weight) implements Endpoint {
        @Override
        public int inFlight() {
            return 0;
        }

        @Override
        public String id() {
            return service.name();
        }

        boolean isUp() {
            return !(service instanceof HealthAware aware) || aware.isUp();
        }
    }

    private final List<Child> children;
    private final Strategy strategy;
    private final boolean followsHealth;
    private final StickyCookie sticky;
    private final Map<String, Child> byStickyValue = new HashMap<>();
    private volatile Selector<Child> selector;

    public ServiceGroup(String name, List<Child> children, Strategy strategy, boolean followsHealth, StickyCookie sticky) {
        super(name);
        this.children = List.copyOf(children);
        this.strategy = strategy;
        this.followsHealth = followsHealth;
        this.sticky = sticky;
        for (Child child : children) {
            byStickyValue.put(StickyCookie.valueFor(child.service().name()), child);
            if (followsHealth && child.service() instanceof HealthAware aware) {
                aware.onChange(this::rebuild);
            }
        }
        rebuild();
    }

    private synchronized void rebuild() {
        List<Child> eligible = followsHealth ? children.stream().filter(Child::isUp).toList() : children;
        selector = strategy.newSelector(eligible);
        report(eligible.stream().anyMatch(Child::pickable));
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException, ServletException {
        Child child = null;
        if (sticky != null) {
            String value = sticky.read(request);
            Child remembered = value == null ? null : byStickyValue.get(value);
            if (remembered != null && (!followsHealth || remembered.isUp())) {
                child = remembered;
            }
        }
        if (child == null) {
            child = selector.select(request.getRemoteAddr());
            if (child != null && sticky != null) {
                sticky.write(response, StickyCookie.valueFor(child.service().name()));
            }
        }
        if (child == null) {
            exchange.target(null, null);
            proxy.doFilter(request, response); // 503 from the proxy
            return;
        }
        child.service().handle(exchange, request, response, proxy);
    }

    @Override
    public Target pick(HttpServletRequest request) {
        Child child = selector.select(request.getRemoteAddr());
        return child == null ? null : child.service().pick(request);
    }

    /** As {@link #handle} decides, without a cookie written or the selector moved. */
    @Override
    public Target peek(HttpServletRequest request) {
        Child child = null;
        if (sticky != null) {
            String value = sticky.read(request);
            Child remembered = value == null ? null : byStickyValue.get(value);
            if (remembered != null && (!followsHealth || remembered.isUp())) {
                child = remembered;
            }
        }
        if (child == null) {
            child = selector.peek(request.getRemoteAddr());
        }
        return child == null ? null : child.service().peek(request);
    }
}
