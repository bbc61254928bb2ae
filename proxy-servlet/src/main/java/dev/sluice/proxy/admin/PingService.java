package dev.sluice.proxy.admin;

import dev.sluice.proxy.config.PingEndpointConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.eclipse.jetty.http.HttpStatus;

/**
 * {@code ping@internal}, Traefik's {@code pkg/ping}: {@code 200 OK} while serving, and
 * {@code ping.terminatingStatusCode} (503 by default) once {@link SluiceRuntime#beginShutdown()} was
 * called, so that a load balancer in front stops sending traffic while Sluice drains. Any method;
 * the body is the status text, as Go's {@code http.StatusText}.
 */
final class PingService implements HttpService {
    private final String name;
    private final SluiceRuntime runtime;
    private final int terminatingStatus;

    PingService(InternalServices.Context context) {
        this.name = context.name();
        this.runtime = context.runtime();
        PingEndpointConfig ping = context.config().ping();
        this.terminatingStatus = ping == null ? 503 : ping.terminatingStatusCode();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException {
        int status = runtime != null && runtime.terminating() ? terminatingStatus : 200;
        String text = HttpStatus.getMessage(status);
        ShortAnswers.text(request, response, status, text == null ? Integer.toString(status) : text);
    }
}
