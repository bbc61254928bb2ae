package dev.sluice.proxy.testing;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * A loopback port that refuses every connection for as long as this object is open: a "down" backend.
 *
 * <p>Why not "bind a ServerSocket, close it, use its port": once closed, the port is free, and any other
 * server of the run (or of another build on the machine) may be given it before the test connects, which
 * then reaches a live server instead of a refusal. Here a TCP socket is bound to {@code 127.0.0.1:0} and
 * never listens nor connects: the port stays taken (no {@code SO_REUSEADDR}, so no other bind can share
 * it, and the kernel never hands a bound port out for an outgoing connection), and Linux answers each SYN
 * to a bound-but-not-listening socket with a RST, i.e. {@code Connection refused} at once.
 *
 * <p>{@link #udp()} is the same for datagrams: a UDP socket bound to the port and connected to a peer of
 * its own, so it accepts nothing from anyone else and the kernel answers every datagram with ICMP port
 * unreachable, exactly as for a closed port.
 *
 * <pre>{@code
 * try (RefusingPort down = new RefusingPort()) {
 *     start("servers = [{url = \"" + down.url() + "\"}]");
 *     assertEquals(502, get("/").statusCode());
 * }
 * }</pre>
 */
public final class RefusingPort implements AutoCloseable {
    private final Closeable[] held;
    private final int port;

    /** A TCP port: connects are refused. */
    public RefusingPort() {
        try {
            SocketChannel holder = SocketChannel.open();
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            this.held = new Closeable[] {holder};
            this.port = ((InetSocketAddress) holder.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback TCP port", e);
        }
    }

    private RefusingPort(int port, Closeable... held) {
        this.port = port;
        this.held = held;
    }

    /** A UDP port: datagrams sent to it get ICMP port unreachable, never an answer. */
    public static RefusingPort udp() {
        try {
            DatagramSocket holder = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            DatagramSocket peer = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            holder.connect(peer.getLocalSocketAddress()); // from now on only peer (which never sends) reaches it
            return new RefusingPort(holder.getLocalPort(), holder, peer);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind a loopback UDP port", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}, as a TCP or UDP server address in the config. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    /** {@code http://127.0.0.1:PORT}, as a server URL in the config. */
    public String url() {
        return "http://" + address();
    }

    @Override
    public void close() {
        for (Closeable c : held) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing held any more either way
            }
        }
    }

    @Override
    public String toString() {
        return "RefusingPort[" + address() + "]";
    }
}
