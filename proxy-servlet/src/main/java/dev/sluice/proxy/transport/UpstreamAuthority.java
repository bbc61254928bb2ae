package dev.sluice.proxy.transport;

import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.io.ClientConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.HostPort;

/**
 * An upstream request that carries the client's {@code :authority} over HTTP/2 ({@code passHostHeader})
 * while it still goes to, and pools its connections with, the server it was built for (TLS included:
 * SNI and the certificate check follow the destination, which stays the server's).
 *
 * <p>Jetty's HTTP/2 client writes {@code :authority} from the request's host and port, which also
 * pick the destination (connection pool and address). {@link #keep} moves the request's host to the
 * client's and remembers the server's address; {@link Transport#newOrigin} then keys the request by
 * that address, so every client authority shares the server's one pool. Over HTTP/1.1 nothing
 * changes: the {@code Host} header is written from the request's headers (the same host).
 */
public final class UpstreamAuthority {
    private static final String SERVER_ADDRESS = UpstreamAuthority.class.getName() + ".server";

    private UpstreamAuthority() {}

    /** Sends {@code request} (built for its server's URL) with {@code authority} as its {@code :authority}. */
    public static void keep(Request request, String authority) {
        if (authority == null || authority.isEmpty()) {
            return;
        }
        HostPort client;
        try {
            client = new HostPort(authority);
        } catch (IllegalArgumentException malformed) {
            return; // the container accepted it, but it is no authority: keep the server's
        }
        request.attribute(SERVER_ADDRESS, new Origin.Address(request.getHost(), request.getPort()))
                .host(client.getHost())
                .port(client.getPort()); // 0 when absent: then :authority is the bare host, as the client sent it
    }

    /** The dynamic (HTTP/1.1 and HTTP/2) transport, routing requests {@link #keep} moved to their server's pool. */
    static final class Transport extends HttpClientTransportDynamic {
        Transport(ClientConnector connector, ClientConnectionFactory.Info... infos) {
            super(connector, infos);
        }

        @Override
        public Origin newOrigin(Request request) {
            Origin origin = super.newOrigin(request);
            if (request.getAttributes().get(SERVER_ADDRESS) instanceof Origin.Address server) {
                return new Origin(origin.getScheme(), server, origin.getTag(), origin.getProtocol(), origin.getTransport());
            }
            return origin;
        }
    }
}
