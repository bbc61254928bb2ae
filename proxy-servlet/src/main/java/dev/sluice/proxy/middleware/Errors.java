package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.ErrorsConfig;
import dev.sluice.proxy.config.middleware.StatusRanges;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code errors} (Traefik): when the answer's status is one of {@code status}, nothing of it reaches
 * the client; once it is over, the page is fetched from the error service and sent instead, with
 * the original status, or the one {@code statusRewrites} maps it to, and the page's
 * {@code Content-Type}. Other answers stream through untouched. If the page cannot be fetched, the
 * client gets that status with a short plain-text body.
 */
public final class Errors implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private record Rewrite(StatusRanges from, int to) {}

    private final String name;
    private final StatusRanges caught;
    private final List<Rewrite> rewrites;
    private final ErrorPages pages;

    Errors(String name, StatusRanges caught, List<Rewrite> rewrites, ErrorPages pages) {
        this.name = name;
        this.caught = caught;
        this.rewrites = rewrites;
        this.pages = pages;
    }

    static Errors create(ErrorsConfig options, MiddlewareContext context) {
        List<Rewrite> rewrites = new ArrayList<>();
        for (Map.Entry<String, Integer> rewrite : options.statusRewrites().entrySet()) {
            rewrites.add(new Rewrite(StatusRanges.parse(List.of(rewrite.getKey())), rewrite.getValue()));
        }
        ErrorPages pages = new ErrorPages(() -> context.service(options.service()), options.query(), options.errorRequestHeaders());
        return new Errors(context.name(), StatusRanges.parse(options.status()), List.copyOf(rewrites), pages);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        ErrorCatcher catcher = new ErrorCatcher(response, caught);
        CompletionHook hooked = new CompletionHook(request, catcher, complete -> replace(request, response, catcher, complete));
        chain.doFilter(hooked, catcher);
        if (!hooked.startedAsync() && catcher.caughtStatus() != 0) {
            // Answered before doFilter returned (Sluice's own 503, say): the page still comes asynchronously.
            AsyncContext async = request.startAsync();
            async.setTimeout(0); // the page request has its own timeout
            replace(request, response, catcher, async::complete);
        }
    }

    /** The answer downstream is over: sends the page if its status was caught, then completes. */
    private void replace(HttpServletRequest request, HttpServletResponse response, ErrorCatcher catcher, Runnable complete) {
        int original = catcher.caughtStatus();
        if (original == 0 || response.isCommitted()) {
            complete.run();
            return;
        }
        int status = rewrite(original);
        pages.fetch(request, status, original, page -> {
            if (page == null) {
                LOG.warn("middleware {}: no error page for status {} ({}), answering plain text", name, original, request.getRequestURI());
            }
            send(response, status, page, complete);
        });
    }

    private int rewrite(int status) {
        for (Rewrite rewrite : rewrites) {
            if (rewrite.from().contains(status)) {
                return rewrite.to();
            }
        }
        return status;
    }

    private static void send(HttpServletResponse response, int status, ErrorPages.Page page, Runnable complete) {
        try {
            byte[] body;
            response.setStatus(status);
            if (page != null) {
                body = page.body();
                if (page.contentType() != null) {
                    response.setContentType(page.contentType());
                }
            } else {
                body = (status + " " + HttpStatus.getMessage(status) + "\n").getBytes(StandardCharsets.UTF_8);
                response.setContentType("text/plain; charset=utf-8");
            }
            response.setContentLength(body.length);
            BodyWriter.send(response, body, complete);
        } catch (IOException | RuntimeException e) {
            LOG.debug("error page not sent", e);
            complete.run();
        }
    }
}
