package dev.sluice.proxy.observe.metrics;

import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code prometheus@internal}: the runtime's scrape endpoint, whatever the path (Traefik's handler
 * answers every path a router sends it; its own router is {@code PathPrefix(`/metrics`)}).
 */
public final class PrometheusService implements HttpService {
    private final String name;
    private final SluiceRuntime runtime;

    public PrometheusService(String name, SluiceRuntime runtime) {
        this.name = name;
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException {
        PrometheusMetrics metrics = runtime == null ? null : runtime.metrics();
        if (metrics == null) {
            // [metrics.prometheus] came with a reload: the registry is made at start only.
            ShortAnswers.text(request, response, 503, "Prometheus metrics start with Sluice: restart it to enable them\n");
            return;
        }
        metrics.endpoint().serve(request, response);
    }
}
