package dev.sluice.proxy.service;

import dev.sluice.proxy.balance.Selector;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.eclipse.jetty.client.HttpClient;

/** {@code loadBalancer}: picks a server with its strategy and hands the request to the proxy. */
public final class LoadBalancer implements HttpService {
    private final String name;
    private final List<Server> servers;
    private final Selector<Server> selector;
    private final boolean passHostHeader;
    private final HttpClient client;
    private final long responseHeaderTimeoutMillis;

    public LoadBalancer(String name, List<Server> servers, Selector<Server> selector, boolean passHostHeader,
            HttpClient client, long responseHeaderTimeoutMillis) {
        this.name = name;
        this.servers = List.copyOf(servers);
        this.selector = selector;
        this.passHostHeader = passHostHeader;
        this.client = client;
        this.responseHeaderTimeoutMillis = responseHeaderTimeoutMillis;
    }

    @Override
    public String name() {
        return name;
    }

    public List<Server> servers() {
        return servers;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException, ServletException {
        // A null server is passed on too: the proxy answers 503 in the one place that maps errors.
        exchange.target(selector.select(), client, passHostHeader, responseHeaderTimeoutMillis);
        proxy.doFilter(request, response);
    }
}
