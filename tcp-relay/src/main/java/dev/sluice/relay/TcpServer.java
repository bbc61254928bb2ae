package dev.sluice.relay;

import dev.sluice.proxy.balance.Endpoint;
import dev.sluice.proxy.health.HealthState;
import dev.sluice.proxy.tls.ClientTls;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * One upstream of a TCP or UDP load balancer, with how to dial it and its live state (health,
 * connections in flight). Health is written by the health checker and read on the reactor.
 *
 * <p>{@code dial} says how connections to this server are made and ended; {@code tls}, if set, that
 * the relay speaks TLS to it. {@code address} is {@code host:port}, or {@code unix:/path} for a server
 * on a unix-domain socket (plain TCP: no TLS, and its health checks connect to the socket).
 */
final class TcpServer implements Endpoint {
    /**
     * @param dialTimeoutMillis connect timeout
     * @param keepAliveSeconds TCP keep-alive probes on upstream connections after this many idle
     *     seconds, and then this often (Go's dialer, hence Traefik's {@code dialKeepAlive}); 0: off
     * @param terminationDelayMillis the other half's deadline after a half-close; negative: none
     * @param proxyProtocol 0 (off), 1 or 2
     */
    record Dial(long dialTimeoutMillis, int keepAliveSeconds, long terminationDelayMillis, int proxyProtocol) {}

    /** TLS to this server ({@code tls = true}), or null. */
    final ClientTls tls;
    private final String address;
    /** The TCP address, or null for a unix socket. */
    private final InetSocketAddress socketAddress;
    /** Where to connect: {@link #socketAddress}, or the unix socket. */
    private final SocketAddress connectAddress;
    private final int weight;
    final Dial dial;
    /** The same health model as HTTP servers: written by the checks, read on the reactor. */
    private final HealthState health = new HealthState();
    private int inFlight;

    TcpServer(String address, int weight, Dial dial, ClientTls tls) {
        this.tls = tls;
        this.address = address;
        this.weight = weight;
        this.dial = dial;
        if (dev.sluice.proxy.config.EntryPointAddress.isUnix(address)) {
            this.socketAddress = null;
            this.connectAddress = UnixDomainSocketAddress.of(dev.sluice.proxy.config.EntryPointAddress.parse(address).unix());
            return;
        }
        int colon = address.lastIndexOf(':');
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // Resolved once, when the configuration is loaded: the reactor thread never waits on DNS.
        this.socketAddress = new InetSocketAddress(host, Integer.parseInt(address.substring(colon + 1)));
        this.connectAddress = socketAddress;
    }

    /** The TCP address; null for a unix socket server. */
    InetSocketAddress socketAddress() {
        return socketAddress;
    }

    /** Where connections go: the TCP address or the unix socket. */
    SocketAddress connectAddress() {
        return connectAddress;
    }

    /** True for a server on a unix-domain socket (no TCP options apply). */
    boolean isUnix() {
        return socketAddress == null;
    }

    /**
     * A new socket to dial this server with: an IPv4 socket for an IPv4 server (the JDK's default,
     * a dual-stack IPv6 socket, costs a setsockopt per connection and the kernel's IPv4-mapped paths).
     */
    SocketChannel openChannel() throws IOException {
        if (socketAddress == null) {
            return SocketChannel.open(StandardProtocolFamily.UNIX);
        }
        return socketAddress.getAddress() instanceof Inet4Address ? SocketChannel.open(StandardProtocolFamily.INET) : SocketChannel.open();
    }

    boolean isUp() {
        return health.isUp();
    }

    void setUp(boolean up) {
        health.checked(up);
    }

    HealthState health() {
        return health;
    }

    /** Reactor thread only. */
    void connected() {
        inFlight++;
    }

    /** Reactor thread only. */
    void released() {
        inFlight--;
    }

    @Override
    public int weight() {
        return weight;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public String id() {
        return address;
    }

    @Override
    public String toString() {
        return address;
    }
}
