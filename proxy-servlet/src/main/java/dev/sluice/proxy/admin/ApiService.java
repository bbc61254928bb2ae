package dev.sluice.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.proxy.config.ApiConfig;
import dev.sluice.proxy.runtime.SluiceRuntime;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;

/**
 * {@code api@internal}: Traefik's REST API ({@code pkg/api}), read-only JSON under
 * {@code api.basePath}. Only GET (and HEAD); anything unknown is 404 with Traefik's
 * {@code {"message": "..."}} body.
 */
final class ApiService implements HttpService {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant STARTED = Instant.now();

    private final String name;
    private final SluiceRuntime runtime;
    private final ApiConfig api;

    ApiService(InternalServices.Context context) {
        this.name = context.name();
        this.runtime = context.runtime();
        this.api = context.config().api() == null ? new ApiConfig(null, null, null, null, null, null, null) : context.config().api();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void handle(Exchange exchange, HttpServletRequest request, HttpServletResponse response, FilterChain proxy)
            throws IOException {
        String path = AdminPaths.path(request);
        String prefix = api.pathPrefix();
        if (!path.startsWith(prefix + "/")) {
            JsonAnswers.error(request, response, 404, "not found: " + path);
            return;
        }
        path = path.substring(prefix.length());
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.setHeader("Allow", "GET, HEAD");
            JsonAnswers.error(request, response, 405, "method not allowed: " + request.getMethod());
            return;
        }
        if (path.equals("/api/version")) {
            JsonAnswers.write(request, response, 200, version());
            return;
        }
        JsonAnswers.error(request, response, 404, "not found: " + path);
    }

    /** Traefik's {@code /api/version}: {@code Version}, {@code Codename}, {@code startDate}. */
    private ObjectNode version() {
        ObjectNode v = JSON.createObjectNode();
        v.put("Version", Versions.SLUICE);
        v.put("Codename", "sluice");
        v.put("startDate", STARTED.toString());
        if (api.disableDashboardAd()) {
            v.put("disableDashboardAd", true);
        }
        if (api.dashboardName() != null && !api.dashboardName().isEmpty()) {
            v.put("dashboardName", api.dashboardName());
        }
        return v;
    }
}
