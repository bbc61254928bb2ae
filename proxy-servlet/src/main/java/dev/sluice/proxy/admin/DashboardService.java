package dev.sluice.proxy.admin;

import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.ShortAnswers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code dashboard@internal}: Sluice's web dashboard. {@code /} and {@code /dashboard} redirect to
 * {@code /dashboard/} (as Traefik's), which is a static page that reads only the JSON API (relative
 * {@code ../api/...}, so {@code api.basePath} and a WAR's context path need nothing more) and its
 * three files ({@link DashboardAssets}). Every answer forbids any other origin (CSP), framing and
 * sniffing; files are revalidated by ETag on every load ({@code no-cache}), so an upgrade shows at once.
 */
final class DashboardService implements HttpService {
    /** Only this origin, only files (no inline script or style), only the API by fetch. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self';"
            + " form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

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
        String page = prefix + "/dashboard/";
        if (path.equals(prefix + "/") || path.equals(prefix) || path.equals(prefix + "/dashboard")) {
            String query = request.getQueryString();
            ShortAnswers.redirect(request, response, request.getContextPath() + page + (query == null ? "" : "?" + query), true);
            return;
        }
        DashboardAssets.Asset asset = path.startsWith(page) ? DashboardAssets.ALL.get(path.substring(page.length())) : null;
        if (asset == null) {
            ShortAnswers.error(request, response, 404);
            return;
        }
        if (!"GET".equals(request.getMethod()) && !ShortAnswers.isHead(request)) {
            response.setHeader("Allow", "GET, HEAD");
            ShortAnswers.status(request, response, 405);
            return;
        }
        response.setHeader("Content-Security-Policy", CSP);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", asset.etag());
        String match = request.getHeader("If-None-Match");
        if (match != null && (match.equals(asset.etag()) || match.contains(asset.etag()))) {
            ShortAnswers.empty(response, HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(200);
        response.setContentType(asset.contentType());
        response.setContentLength(asset.bytes().length);
        if (!ShortAnswers.isHead(request)) {
            // Tens of kilobytes at most, answered on the admin entry point: a plain write is enough.
            response.getOutputStream().write(asset.bytes());
        }
    }
}
