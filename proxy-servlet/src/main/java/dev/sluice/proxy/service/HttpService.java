package dev.sluice.proxy.service;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * A node of the service tree: it either answers the request itself (static files) or chooses the
 * upstream {@link Server} in the request's {@link Exchange} and passes it on to the proxy.
 */
public interface HttpService {
    /** The service's name in configuration. */
    String name();

    /**
     * Serves {@code request}, after the router's middlewares ran.
     *
     * @param proxy continues to the proxy servlet, which forwards to {@link Exchange#server()}
     */
    void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException, ServletException;

    /**
     * Where this service would send {@code request}, without side effects on the response (no
     * sticky cookie): used to send mirror copies. Null when nothing is available or the service
     * answers by itself (static files).
     */
    default Target pick(HttpServletRequest request) {
        return null;
    }

    /**
     * Where {@link #pick} would send {@code request} now, without moving a round-robin on (the route
     * explainer asks); by default {@link #pick} itself.
     */
    default Target peek(HttpServletRequest request) {
        return pick(request);
    }

    /** A chosen server and the load balancer it belongs to. */
    record Target(Server server, LoadBalancer balancer) {}
}
