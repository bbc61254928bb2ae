package dev.sluice.proxy.servlet;

import dev.sluice.proxy.route.Router;
import dev.sluice.proxy.runtime.Snapshot;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.ForwardingPolicy;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The entry of every request: picks the router of this entry point, runs its middlewares and its
 * service. Requests that match no router get 404. Map it to {@code /*} in front of
 * {@link SluiceProxyServlet}, async-supported.
 *
 * <p>Init-param {@code entryPoint}: the entry point this filter serves (the standalone launcher sets
 * it); without it, as in a WAR, every router applies.
 */
public class SluiceFilter implements Filter {
    private String entryPoint;
    private volatile SluiceRuntime runtime;
    private FilterConfig filterConfig;

    @Override
    public void init(FilterConfig config) {
        this.filterConfig = config;
        this.entryPoint = config.getInitParameter("entryPoint");
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        SluiceRuntime runtime = runtime();
        Exchange exchange = Exchange.begin((HttpServletRequest) req, (HttpServletResponse) res, entryPoint, runtime.observers());
        exchange.run(() -> route(runtime.current(), exchange, chain));
    }

    private void route(Snapshot snapshot, Exchange exchange, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = exchange.request();
        HttpServletResponse response = exchange.response();
        if (!underContextPath(request)) {
            ShortAnswers.error(request, response, 400);
            return;
        }
        if ("CONNECT".equals(request.getMethod())) {
            // Sluice is no forward proxy: a tunnel asked of a reverse proxy is not implemented (RFC 9110 15.6.2),
            // and an authority-form target must never reach the routers as if it were a path. The connection
            // closes: what the client sent after its CONNECT was meant for the tunnel, never to be read as requests.
            response.setHeader("Connection", "close");
            ShortAnswers.text(request, response, 501, "501 Not Implemented\n");
            return;
        }
        ForwardingPolicy policy = snapshot.forwarding(entryPoint);
        HttpServletRequest routed = ForwardedHeaders.dropUntrusted(request, policy);

        // The connection's TLS, never X-Forwarded-Proto: what the client sent Sluice (or the container) itself.
        Router router = snapshot.routes(entryPoint).match(new ServletRuleRequest(routed), request.isSecure());
        if (router == null) {
            ShortAnswers.error(request, response, 404);
            return;
        }
        HttpService service = snapshot.service(router.service());
        exchange.routed(router.name(), service.name(), policy);
        ProxyChain proxy = new ProxyChain(chain, exchange);
        try {
            new RouterChain(snapshot.middlewares(entryPoint, router), service, exchange, proxy).doFilter(routed, response);
        } finally {
            proxy.dispatchReturned();
        }
    }

    /**
     * Everything downstream takes the path after the context path from the raw request URI. A
     * client that spells the context path differently ({@code /%70roxy}, {@code /a/../proxy}) would
     * make that cut land in the wrong place, so such requests are refused.
     */
    private static boolean underContextPath(HttpServletRequest request) {
        String context = request.getContextPath();
        if (context.isEmpty()) {
            return true;
        }
        String uri = request.getRequestURI();
        return uri.startsWith(context) && (uri.length() == context.length() || uri.charAt(context.length()) == '/');
    }

    private SluiceRuntime runtime() throws ServletException {
        SluiceRuntime current = runtime;
        if (current == null) {
            current = (SluiceRuntime) filterConfig.getServletContext().getAttribute(SluiceRuntime.ATTRIBUTE);
            if (current == null) {
                throw new ServletException("Sluice is not started: no " + SluiceRuntime.ATTRIBUTE + " in the servlet context");
            }
            runtime = current;
        }
        return current;
    }
}
