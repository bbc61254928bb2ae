package dev.sluice.proxy.middleware;

import dev.sluice.proxy.config.middleware.BufferingConfig;
import dev.sluice.proxy.middleware.body.RewrittenExchange;
import dev.sluice.proxy.middleware.body.SpillingBuffer;
import dev.sluice.proxy.service.Exchange;
import dev.sluice.proxy.service.Retries;
import dev.sluice.proxy.service.Upgrades;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code buffering}: the request body is read whole, without blocking a thread, before the chain
 * goes on (more than {@code maxRequestBodyBytes} → 413), then forwarded with a fixed
 * Content-Length; the response is kept whole before anything is sent (more than
 * {@code maxResponseBodyBytes} → 500) and sent with its length. Bodies beyond the {@code mem*}
 * limits wait in temporary files, deleted when the exchange ends. The chain goes on in a new
 * dispatch once the body is read ({@link Resume}). A {@code retryExpression} ({@link RetryExpression})
 * arms {@link Retries}: the request, its kept body included, is sent again while it holds.
 */
public final class Buffering implements Filter {
    private static final Logger LOG = LoggerFactory.getLogger(Buffering.class);

    private final BufferingConfig config;
    private final MiddlewareContext context;
    private final Retries.Condition retryCondition;

    public Buffering(BufferingConfig config, MiddlewareContext context) {
        this.config = config;
        this.context = context;
        this.retryCondition = config.retryExpression() == null ? null : RetryExpression.parse(config.retryExpression());
    }

    /**
     * With a {@code retryExpression}, arms {@link Retries} in the exchange: the proxy servlet sends
     * the request again, to a server the service picks anew, while the expression holds and nothing
     * reached the client (the whole response is kept here, so nothing did); {@code replay} serves the
     * kept body again from its start.
     */
    private void armRetries(HttpServletRequest request, UnaryOperator<HttpServletRequest> replay) {
        Exchange exchange = Exchange.of(request);
        if (retryCondition != null && exchange != null && context != null) {
            Retries.arm(exchange, retryCondition, context.service(exchange.service()), replay);
        }
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (Upgrades.requested(req)) {
            chain.doFilter(req, res); // a tunnel's bytes are never held back
            return;
        }
        RewrittenExchange.run((HttpServletRequest) req, (HttpServletResponse) res,
                (request, response) -> withWholeBody((HttpServletRequest) request, (HttpServletResponse) response, chain),
                new WholeResponse(config.memResponseBodyBytes(), config.maxResponseBodyBytes()));
    }

    /** Reads the request body first, if there is one, then goes on with the chain. */
    private void withWholeBody(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        long declared = request.getContentLengthLong();
        if (declared <= 0 && request.getHeader("Transfer-Encoding") == null) {
            armRetries(request, UnaryOperator.identity());
            chain.doFilter(request, response);
            return;
        }
        long max = config.maxRequestBodyBytes();
        if (max > 0 && declared > max) {
            answer(response, 413, "413 Request Entity Too Large\n");
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // the connection's idle timeout bounds a stalled upload
        SpillingBuffer body = new SpillingBuffer(config.memRequestBodyBytes());
        async.addListener(new Cleanup(body));
        ServletInputStream input = request.getInputStream();
        input.setReadListener(new BodyReader(request, response, chain, async, input, body));
    }

    /** Reads the request body as it arrives; at its end, resumes the rest of the chain. */
    private final class BodyReader implements ReadListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final FilterChain chain;
        private final AsyncContext async;
        private final ServletInputStream input;
        private final SpillingBuffer body;
        private final byte[] buffer = new byte[16 * 1024];
        private final AtomicBoolean done = new AtomicBoolean();

        BodyReader(HttpServletRequest request, HttpServletResponse response, FilterChain chain, AsyncContext async,
                ServletInputStream input, SpillingBuffer body) {
            this.request = request;
            this.response = response;
            this.chain = chain;
            this.async = async;
            this.input = input;
            this.body = body;
        }

        @Override
        public void onDataAvailable() throws IOException {
            long max = config.maxRequestBodyBytes();
            while (!done.get() && input.isReady()) {
                int n = input.read(buffer);
                if (n < 0) {
                    return; // onAllDataRead follows
                }
                body.write(buffer, 0, n);
                if (max > 0 && body.size() > max && done.compareAndSet(false, true)) {
                    body.delete();
                    response.setHeader("Connection", "close"); // the rest of the body is not read
                    answer(response, 413, "413 Request Entity Too Large\n");
                    async.complete();
                    return;
                }
            }
        }

        @Override
        public void onAllDataRead() throws IOException {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            body.close();
            armRetries(request, r -> new StoredBodyRequest(r, body));
            try {
                Resume.later(async, chain, new StoredBodyRequest(request, body), response);
            } catch (ServletException | RuntimeException e) {
                LOG.warn("buffering: the chain failed after the request body was read: {}", e.toString());
                answer(response, 500, "500 Internal Server Error\n");
                async.complete();
            }
        }

        @Override
        public void onError(Throwable failure) {
            if (done.compareAndSet(false, true)) {
                LOG.debug("buffering: reading the request body failed: {}", failure.toString());
                async.complete();
            }
        }
    }

    /** Deletes the kept request body when the exchange ends (through every further async cycle). */
    private record Cleanup(SpillingBuffer body) implements AsyncListener {
        @Override
        public void onComplete(AsyncEvent event) {
            body.delete();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            body.delete();
        }

        @Override
        public void onError(AsyncEvent event) {
            body.delete();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this); // a new cycle after the resume: listeners must register again
        }
    }

    /** A short plain-text answer made here (413, 500), when nothing was sent yet. */
    static void answer(HttpServletResponse response, int status, String text) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("text/plain; charset=utf-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
