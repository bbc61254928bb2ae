package dev.sluice.proxy.servlet;

import dev.sluice.proxy.middleware.Resume;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Runs a router's middlewares in order, then its service; the service may continue to the proxy. */
final class RouterChain implements Resume.ResumableChain {
    private final Filter[] middlewares;
    private final HttpService service;
    private final Exchange exchange;
    private FilterChain proxy;
    private int next;

    RouterChain(Filter[] middlewares, HttpService service, Exchange exchange, FilterChain proxy) {
        this.middlewares = middlewares;
        this.service = service;
        this.exchange = exchange;
        this.proxy = proxy;
    }

    /** After an async wait the container's chain may be recycled: the proxy servlet then ends this one itself. */
    @Override
    public FilterChain withTerminal(FilterChain terminal) {
        this.proxy = terminal;
        return this;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response) throws IOException, ServletException {
        if (next < middlewares.length) {
            middlewares[next++].doFilter(request, response, this);
        } else {
            exchange.reachedService();
            service.handle(exchange, (HttpServletRequest) request, (HttpServletResponse) response, proxy);
        }
    }
}
