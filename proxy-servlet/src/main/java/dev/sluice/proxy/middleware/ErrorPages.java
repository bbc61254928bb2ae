package dev.sluice.proxy.middleware;

import dev.sluice.proxy.service.HopByHop;
import dev.sluice.proxy.service.HttpService;
import dev.sluice.proxy.service.Server;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;

/**
 * Fetches the page of the {@code errors} middleware from its service, without blocking: a GET to a
 * server the service picks, at {@code query} with its placeholders filled in, with the client's
 * headers (or those listed in {@code errorRequestHeaders}) and the client's {@code Host} unless the
 * service has {@code passHostHeader = false}.
 */
final class ErrorPages {
    /** A page bigger than this counts as a failure to fetch it. */
    static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;
    private static final long TIMEOUT_SECONDS = 30;
    /** Besides hop-by-hop headers: the page request is a GET without a body. */
    private static final Set<String> NOT_COPIED = Set.of("content-length", "expect", "content-type");

    /** A fetched page. */
    record Page(String contentType, byte[] body) {}

    /** Looked up per page: a reload may replace the service while this middleware lives on. */
    private final java.util.function.Supplier<HttpService> service;
    private final String query;
    private final Set<String> headers;

    /** @param headers lower-case names of the headers to send; null: all */
    ErrorPages(java.util.function.Supplier<HttpService> service, String query, List<String> headers) {
        this.service = service;
        this.query = query;
        this.headers = headers == null ? null : Set.copyOf(headers.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
    }

    /** Calls {@code done} with the page, or with null when the service could not give one. */
    void fetch(HttpServletRequest request, int status, int originalStatus, Consumer<Page> done) {
        HttpService errorService = service.get();
        HttpService.Target target = errorService == null ? null : errorService.pick(request);
        if (target == null) {
            done.accept(null);
            return;
        }
        Server server = target.server();
        String pathQuery = expand(request, status, originalStatus);
        int question = pathQuery.indexOf('?');
        String upstream = question < 0 ? server.upstreamPath(pathQuery, null)
                : server.upstreamPath(pathQuery.substring(0, question), pathQuery.substring(question + 1));
        Request page;
        try {
            page = server.via(target.balancer().settings().client().newRequest(URI.create(server.origin() + upstream)));
        } catch (IllegalArgumentException badUri) {
            done.accept(null);
            return;
        }
        page.method("GET").timeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (server.h2c()) {
            page.version(HttpVersion.HTTP_2);
        }
        Set<String> connectionNamed = HopByHop.namedBy(request.getHeaders("Connection"));
        boolean passHost = target.balancer().settings().passHostHeader();
        page.headers(fields -> {
            for (Enumeration<String> names = request.getHeaderNames(); names.hasMoreElements(); ) {
                String name = names.nextElement();
                String lower = name.toLowerCase(Locale.ROOT);
                if (HopByHop.drop(name, connectionNamed) || NOT_COPIED.contains(lower) || (headers != null && !headers.contains(lower))) {
                    continue;
                }
                for (Enumeration<String> values = request.getHeaders(name); values.hasMoreElements(); ) {
                    fields.add(name, values.nextElement());
                }
            }
            String host = request.getHeader("Host");
            if (passHost && host != null && !server.h2c()) {
                fields.put(HttpHeader.HOST, host);
            }
        });
        page.send(new BufferingResponseListener(MAX_PAGE_BYTES) {
            @Override
            public void onComplete(Result result) {
                done.accept(result.isFailed() ? null
                        : new Page(result.getResponse().getHeaders().get(HttpHeader.CONTENT_TYPE), getContent()));
            }
        });
    }

    /** {@code query} with {@code {status}}, {@code {originalStatus}} and {@code {url}} (query-escaped) filled in. */
    String expand(HttpServletRequest request, int status, int originalStatus) {
        String uri = request.getRequestURI();
        String queryString = request.getQueryString();
        String url = queryString == null ? uri : uri + "?" + queryString;
        return query.replace("{status}", Integer.toString(status))
                .replace("{originalStatus}", Integer.toString(originalStatus))
                .replace("{url}", URLEncoder.encode(url, StandardCharsets.UTF_8));
    }
}
