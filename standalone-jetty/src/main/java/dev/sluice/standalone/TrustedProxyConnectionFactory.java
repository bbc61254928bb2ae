package dev.sluice.standalone;

import dev.sluice.proxy.config.EntryPointConfig;
import dev.sluice.proxy.config.IpRanges;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ProxyConnectionFactory;

/**
 * {@code entryPoints.NAME.proxyProtocol} on an HTTP entry point: Jetty's PROXY protocol detector
 * (v1 and v2, optional per connection), but only for peers in {@code trustedIPs} (or anyone with
 * {@code insecure}); other peers go straight to HTTP, where a PROXY header is just a bad request.
 * Behind it Jetty reports the announced client as the remote address, so ClientIP, the forwarded
 * headers and the logs all see the real client.
 */
final class TrustedProxyConnectionFactory extends ProxyConnectionFactory {
    private final String next;
    private final IpRanges trusted;
    private final boolean insecure;

    TrustedProxyConnectionFactory(String next, EntryPointConfig.ProxyProtocolConfig config) {
        super(next);
        this.next = next;
        this.trusted = IpRanges.parse(config.trustedIPs());
        this.insecure = config.insecure();
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        SocketAddress peer = endPoint.getRemoteSocketAddress();
        if (insecure || (peer instanceof InetSocketAddress inet && inet.getAddress() != null && trusted.contains(inet.getAddress()))) {
            return super.newConnection(connector, endPoint);
        }
        return connector.getConnectionFactory(next).newConnection(connector, endPoint);
    }
}
