package dev.sluice.proxy.transport;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.util.Callback;

/**
 * One request on its way to an upstream and its answer on the way back, as an {@link UpstreamTransport}
 * carries it. Proxy→server: the head goes out when the call starts, the body (if the call has one)
 * through {@link #write}, one chunk at a time, the next only after the previous one's callback.
 * Server→proxy: the {@link Handler} hears the answer on the thread that parsed it; the next chunk is
 * parsed only after {@link Handler#onContent}'s callback, which is the back-pressure.
 */
public interface UpstreamCall {
    /** Sends the head as soon as a connection is there (a kept one, else a new one). */
    void send();

    /** Sends one chunk of the request body; {@code last} ends it ({@code content} may then be empty). */
    void write(ByteBuffer content, boolean last, Callback callback);

    /** Ends the call now: the connection is closed, the handler hears {@code cause} unless the call is over already. */
    void abort(Throwable cause);

    /** What the proxy does with an answer. Exactly one of {@link #onComplete} and {@link #onFailure} ends a call. */
    interface Handler {
        /** The request head (and body, if none) has been handed to the network; a body may follow through {@link #write}. */
        default void onCommitted() {}

        /** The whole request has been sent: the response-header timeout starts. */
        default void onRequestSent() {}

        /** An interim answer (100 Continue, 103 Early Hints): the final one follows. */
        default void onInterim(int status) {}

        /** The final answer's status line and headers. The handler may {@link #abort} the call here. */
        void onHeaders(MetaData.Response response);

        /** A chunk of the body: {@code content} is valid until {@code done} is completed. */
        void onContent(ByteBuffer content, Callback done);

        /** The answer is complete; {@code trailers} is null when none came. */
        void onComplete(HttpFields trailers);

        /** The call failed: refused, reset, timed out or aborted. */
        void onFailure(Throwable cause);
    }
}
