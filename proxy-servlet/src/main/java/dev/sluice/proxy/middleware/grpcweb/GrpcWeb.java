package dev.sluice.proxy.middleware.grpcweb;

import dev.sluice.proxy.config.middleware.GrpcWebConfig;
import dev.sluice.proxy.middleware.CompletionHook;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * {@code grpcWeb}, as Traefik's (which wraps improbable-eng's grpc-web handler): a gRPC-Web call
 * ({@code POST} with {@code Content-Type: application/grpc-web[-text][+codec]}, over HTTP/1.1 or
 * HTTP/2) goes upstream as gRPC ({@code application/grpc[+codec]}, {@code TE: trailers}; a text
 * body base64-decoded), and the gRPC answer comes back as gRPC-Web: the same messages (base64 for
 * text), then the upstream's trailers as one more frame with flag {@code 0x80}, as the gRPC-Web
 * protocol says. A trailers-only answer keeps its status in the headers. The upstream must speak
 * gRPC, so its servers are {@code h2c://} (or {@code https://} with h2).
 *
 * <p>CORS, for origins in {@code allowOrigins} ({@code *}: any): a preflight asking for
 * {@code x-grpc-web} is answered here with 204 (methods POST, the requested headers, credentials,
 * a 10-minute max age), and calls get {@code Access-Control-Allow-Origin} and expose the gRPC
 * status headers. A preflight from another origin gets the 204 without CORS headers, so the
 * browser refuses the call. Other requests pass untouched.
 */
public final class GrpcWeb implements Filter {
    private static final String EXPOSED = "grpc-status, grpc-message, grpc-status-details-bin";

    private final List<String> allowOrigins;

    public GrpcWeb(GrpcWebConfig config) {
        this.allowOrigins = config.allowOrigins();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (isPreflight(request)) {
            answerPreflight(request, response);
            return;
        }
        GrpcWebMode mode = "POST".equals(request.getMethod()) ? GrpcWebMode.of(request.getContentType()) : null;
        if (mode == null) {
            chain.doFilter(req, res);
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin != null && allowed(origin)) {
            response.setHeader("Access-Control-Allow-Origin", origin);
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.setHeader("Access-Control-Expose-Headers", EXPOSED);
            response.addHeader("Vary", "Origin");
        }
        GrpcWebResponse web = new GrpcWebResponse(response, mode);
        CompletionHook hooked = new CompletionHook(new GrpcWebRequest(request, mode), web, web::beforeComplete);
        chain.doFilter(hooked, web);
        if (!hooked.startedAsync()) {
            web.beforeComplete(() -> {}); // answered before the chain returned (a middleware's own answer)
        }
    }

    /** As improbable-eng's handler: an OPTIONS whose {@code Access-Control-Request-Headers} name {@code x-grpc-web}. */
    private static boolean isPreflight(HttpServletRequest request) {
        String headers = request.getHeader("Access-Control-Request-Headers");
        return "OPTIONS".equals(request.getMethod()) && request.getHeader("Access-Control-Request-Method") != null
                && headers != null && headers.toLowerCase(Locale.ROOT).contains("x-grpc-web");
    }

    private void answerPreflight(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
        response.addHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        String origin = request.getHeader("Origin");
        if (origin == null || !allowed(origin)) {
            return;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        response.setHeader("Access-Control-Allow-Credentials", "true");
        response.setHeader("Access-Control-Allow-Methods", "POST");
        response.setHeader("Access-Control-Allow-Headers", request.getHeader("Access-Control-Request-Headers"));
        response.setHeader("Access-Control-Max-Age", "600");
    }

    private boolean allowed(String origin) {
        for (String allowed : allowOrigins) {
            if (allowed.equals("*") || allowed.equals(origin)) {
                return true;
            }
        }
        return false;
    }
}
