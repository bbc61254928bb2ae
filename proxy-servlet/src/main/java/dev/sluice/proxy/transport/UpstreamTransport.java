package dev.sluice.proxy.transport;

import java.util.Locale;
import org.eclipse.jetty.http.MetaData;

/**
 * The seam between the proxy servlet and the wire to an upstream. Two engines sit behind it:
 * {@code jetty}, Jetty's {@code HttpClient} (HTTP/1.1, h2c, TLS; what {@code AsyncProxyServlet}
 * drives), and {@code lean}, Sluice's own HTTP/1.1 pool on Jetty's low-level pieces ({@link LeanUpstream})
 * for plain {@code http://} upstreams. The system property {@value #PROPERTY} ({@code lean} or
 * {@code jetty}) chooses; an upstream the lean engine does not cover always goes through Jetty's client.
 */
public interface UpstreamTransport {
    /** System property naming the engine for plain HTTP/1.1 upstreams. */
    String PROPERTY = "sluice.upstream";

    /**
     * A call to {@code host:port}, not yet sent: {@link UpstreamCall#send()} starts it (the handler
     * may hear from it before {@code send} returns, so the caller holds the call first).
     */
    UpstreamCall newCall(String host, int port, MetaData.Request head, boolean hasBody, UpstreamCall.Handler handler);

    /** The engines. */
    enum Engine {
        JETTY, LEAN;

        /** The engine {@value #PROPERTY} names; {@code jetty} when unset. */
        public static Engine configured() {
            String value = System.getProperty(PROPERTY, "jetty").trim().toLowerCase(Locale.ROOT);
            return switch (value) {
                case "lean" -> LEAN;
                case "jetty" -> JETTY;
                default -> throw new IllegalArgumentException("-D" + PROPERTY + ": expected lean or jetty, got \"" + value + "\"");
            };
        }
    }
}
