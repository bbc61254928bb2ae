package dev.sluice.proxy.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code failover}: the main service while it is healthy, the fallback while it is not. Following
 * the main's health needs a health check on it (validated); without one the main is always used.
 */
public final class Failover extends HealthReportingService {
    private final HttpService main;
    private final HttpService fallback;

    public Failover(String name, HttpService main, HttpService fallback, boolean reportsHealth) {
        super(name);
        this.main = main;
        this.fallback = fallback;
        if (reportsHealth) {
            Runnable update = this::update;
            if (main instanceof HealthAware aware) {
                aware.onChange(update);
            }
            if (fallback instanceof HealthAware aware) {
                aware.onChange(update);
            }
            update();
        }
    }

    private synchronized void update() {
        report(up(main) || up(fallback));
    }

    private static boolean up(HttpService service) {
        return !(service instanceof HealthAware aware) || aware.isUp();
    }

    private HttpService active() {
        return up(main) ? main : fallback;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException, ServletException {
        active().handle(exchange, request, response, proxy);
    }

    @Override
    public Target pick(HttpServletRequest request) {
        return active().pick(request);
    }
}
