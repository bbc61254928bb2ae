package dev.sluice.proxy.service;

import dev.sluice.proxy.balance.Endpoint;
import dev.sluice.proxy.config.LoadBalancerConfig.ServerConfig;
import dev.sluice.proxy.config.UnixUrl;
import dev.sluice.proxy.health.HealthState;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.io.Transport;

/**
 * One upstream server of a load balancer, with its live state (requests in flight, health,
 * response time). Everything
 * derivable from the URL is computed once here, so that building the upstream request costs one
 * string concatenation at most.
 *
 * <p>A server may be a unix-domain socket (an extension): {@code unix:/run/app.sock}, or
 * {@code unix:/run/app.sock:/base} with a path that counts as an {@code http://} URL's path does
 * (with {@code preservePath}). It speaks HTTP/1.1 over the socket, with {@code Host: localhost}
 * unless the client's host is passed on.
 */
public final class Server implements Endpoint {
    private final String url;
    private final URI origin;
    private final boolean h2c;
    private final String hostHeader;
    private final String pathPrefix;
    private final int weight;
    private final String stickyValue;
    private final ServerState state;
    /** The unix-domain socket to connect to, or null for a TCP server. */
    private final Transport transport;
    /** The socket file of a unix server, or null. */
    private final Path socket;

    /** A server with state of its own (nothing carried over). */
    public Server(ServerConfig config) {
        this(config, new ServerState());
    }

    /** A server whose live state is {@code state}, possibly taken over from a previous snapshot. */
    public Server(ServerConfig config, ServerState state) {
        this.state = state;
        this.url = config.url();
        UnixUrl unix = UnixUrl.parse(config.url());
        this.socket = unix == null ? null : unix.socket();
        this.transport = unix == null ? null : new Transport.TCPUnix(unix.socket());
        // A unix server's requests are built on http://localhost; the transport decides where they go.
        URI uri = URI.create(unix == null ? config.url() : "http://localhost" + unix.path());
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        this.h2c = scheme.equals("h2c");
        String wireScheme = h2c ? "http" : scheme;
        int port = uri.getPort() > 0 ? uri.getPort() : (wireScheme.equals("https") ? 443 : 80);
        String host = uri.getHost();
        this.origin = URI.create(wireScheme + "://" + uri.getRawAuthority());
        this.hostHeader = uri.getPort() > 0 ? host + ":" + port : host;
        String path = uri.getRawPath();
        // preservePath joins the server path in front of the request path; without it only the
        // origin of the URL counts, as in Traefik.
        boolean preservePath = config.preservePath() && path != null && !path.isEmpty() && !path.equals("/");
        this.pathPrefix = preservePath ? stripTrailingSlash(path) : "";
        this.weight = config.weight();
        this.stickyValue = StickyCookie.valueFor(config.url());
    }

    /** The URL as configured, for logs. */
    public String url() {
        return url;
    }

    /** {@code scheme://host:port} to connect to ({@code h2c} becomes {@code http}). */
    public URI origin() {
        return origin;
    }

    /** The socket file of a {@code unix:} server, or null. */
    public Path socket() {
        return socket;
    }

    /** The unix-domain transport of a {@code unix:} server, or null for a TCP one. */
    public Transport transport() {
        return transport;
    }

    /** {@code request}, sent over this server's unix-domain socket when it is one. */
    public Request via(Request request) {
        return transport == null ? request : request.transport(transport);
    }

    /** True for {@code h2c://} servers: HTTP/2 with prior knowledge over clear text. */
    public boolean h2c() {
        return h2c;
    }

    /** The {@code Host} to send when the client's is not passed on. */
    public String hostHeader() {
        return hostHeader;
    }

    /** The raw path and query to request upstream for the client's raw path and query. */
    public String upstreamPath(String rawPath, String rawQuery) {
        String path = pathPrefix.isEmpty() ? rawPath : pathPrefix + rawPath;
        return rawQuery == null ? path : path + '?' + rawQuery;
    }

    @Override
    public String id() {
        return url;
    }

    /** The opaque sticky-cookie value that designates this server (a hash, never the URL). */
    public String stickyValue() {
        return stickyValue;
    }

    public HealthState health() {
        return state.health;
    }

    public boolean isUp() {
        return state.health.isUp();
    }

    @Override
    public double responseTimeMillis() {
        return state.responseTimeMillis;
    }

    /**
     * Folds one time-to-first-byte into the moving average (weight 1/8 for the new sample, like
     * TCP's smoothed RTT). A lost update under contention only drops one sample.
     */
    public void recordResponseTime(double millis) {
        double current = state.responseTimeMillis;
        state.responseTimeMillis = current == 0 ? millis : current + (millis - current) / 8;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int inFlight() {
        return state.inFlight.get();
    }

    /** Called when a request is sent to this server; pair with {@link #finished()}. */
    public void started() {
        state.inFlight.incrementAndGet();
    }

    public void finished() {
        state.inFlight.decrementAndGet();
    }

    @Override
    public String toString() {
        return url;
    }

    private static String stripTrailingSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
