package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.MockConfig;
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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * {@code mock} (Pingap): a canned answer — status, headers, body — for every request or for one
 * path. With a delay the request is suspended and answered from a timer, so no thread waits.
 */
public final class Mock implements Filter {
    private final String path;
    private final int status;
    private final List<String[]> headers;
    private final byte[] body;
    private final long delayMillis;
    private final Scheduler scheduler;

    public Mock(MockConfig options, Scheduler scheduler) {
        this.path = options.path();
        this.status = options.status();
        this.headers = options.headers().stream().map(h -> {
            int colon = h.indexOf(':');
            return new String[] {h.substring(0, colon).trim(), h.substring(colon + 1).trim()};
        }).toList();
        this.body = options.data().getBytes(StandardCharsets.UTF_8);
        this.delayMillis = options.delay().toMillis();
        this.scheduler = scheduler;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!path.isEmpty() && !RawPath.of((HttpServletRequest) req).equals(path)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        if (delayMillis <= 0) {
            answer(response);
            return;
        }
        AsyncContext async = req.startAsync();
        async.setTimeout(0); // the timer ends it; the container's default timeout (30 s) could fire first
        scheduler.schedule(() -> async.start(() -> {
            try {
                answer(response);
            } catch (IOException clientGone) {
                // nothing to tell a client that left
            } finally {
                async.complete();
            }
        }), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void answer(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        for (String[] header : headers) {
            response.addHeader(header[0], header[1]);
        }
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
