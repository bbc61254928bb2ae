package dev.sluice.proxy.observe;

import java.util.function.BiConsumer;

/**
 * What the proxy servlet tells an exchange's trace: each try of an upstream ({@link #attempt}),
 * whose trace context travels in the upstream request's headers. Kept free of OpenTelemetry's
 * types so that the servlet layer does not care whether tracing is on: {@link #NONE} costs nothing.
 */
public interface ExchangeTrace {
    /** No tracing: attempts record nothing and add no header. */
    ExchangeTrace NONE = (method, serverUrl) -> Attempt.NONE;

    /** The proxy sends the request ({@code method}) to the upstream at {@code serverUrl} (again, on a retry). */
    Attempt attempt(String method, String serverUrl);

    /** One try of an upstream: a client span when tracing is on. */
    interface Attempt {
        Attempt NONE = new Attempt() {
            @Override
            public void headers(BiConsumer<String, String> put) {}

            @Override
            public void ended(int status, Throwable failure) {}
        };

        /** Puts the headers that carry this attempt's trace context upstream ({@code traceparent}, {@code tracestate}). */
        void headers(BiConsumer<String, String> put);

        /** The try is over: the upstream's status (0 if none arrived), and why it failed (null if it did not). */
        void ended(int status, Throwable failure);
    }
}
