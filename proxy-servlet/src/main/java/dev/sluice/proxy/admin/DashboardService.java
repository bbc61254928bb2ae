package dev.sluice.proxy.admin;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code dashboard@internal} until the dashboard exists: {@code /} redirects to {@code /dashboard/}
 * as Traefik's, and {@code /dashboard/...} answers 404 with a short page that says the dashboard is
 * not built yet and where the API is. Honest rather than a fake user interface.
 */
final class DashboardService implements HttpService {
    private static final byte[] PAGE = ("<!doctype html><html><head><meta charset=\"utf-8\"><title>Sluice</title></head><body>"
            + "<h1>Sluice</h1><p>The dashboard is not built yet. The API answers JSON under <a href=\"../api/overview\">/api/</a>"
            + " (rawdata, overview, entrypoints, http, tcp, udp, version, explain).</p></body></html>\n")
            .getBytes(StandardCharsets.UTF_8);

    private final String name;
    private final String prefix;

    DashboardService(InternalServices.Context context) {
        this.name = context.name();
        this.prefix = context.config().api() == null ? "" : context.config().api().pathPrefix();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException {
        String path = AdminPaths.path(request);
        if (path.equals(prefix + "/") || path.equals(prefix)) {
            response.setStatus(301);
            response.setHeader("Location", prefix + "/dashboard/");
            response.setContentLength(0);
            return;
        }
        response.setStatus(404);
        response.setContentType("text/html; charset=utf-8");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentLength(PAGE.length);
        if (!"HEAD".equals(request.getMethod())) {
            response.getOutputStream().write(PAGE);
        }
    }
}
