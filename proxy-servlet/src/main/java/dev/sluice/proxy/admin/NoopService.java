package dev.sluice.proxy.admin;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code noop@internal}: the service of routers whose middleware always answers (an entry point's
 * redirection); reached only when it did not (a trusted proxy said https already): 404, as Traefik.
 */
final class NoopService implements HttpService {
    private final String name;

    NoopService(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException {
        ShortAnswers.error(request, response, 404);
    }
}
