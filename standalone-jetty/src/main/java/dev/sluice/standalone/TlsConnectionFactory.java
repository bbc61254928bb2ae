package dev.sluice.standalone;

import dev.sluice.proxy.tls.HttpsTermination;
import dev.sluice.relay.ClientHello;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;

/**
 * TLS on an HTTP entry point, behind a {@link DetectorConnectionFactory} so that one port serves
 * TLS and plain HTTP, as Traefik's entry points do. Jetty's own {@code SslConnectionFactory} makes
 * its engine before any byte is read; this one waits for the whole ClientHello (the detector
 * buffers it), reads its SNI, and takes the engine of the TLS options of that host from the
 * entry point's current {@link HttpsTermination}, which a reload replaces: new handshakes get the
 * new certificates and options, connections already established keep theirs.
 *
 * <p>Connection sequence: detector (buffers the ClientHello) → {@link Hello} (takes the buffered
 * bytes, makes the engine) → Jetty's {@link SslConnection} → ALPN → HTTP/1.1 or h2.
 */
final class TlsConnectionFactory extends AbstractConnectionFactory implements ConnectionFactory.Detecting {
    static final String PROTOCOL = "sluice-tls";

    private final String nextProtocol;
    private volatile HttpsTermination termination;

    TlsConnectionFactory(String nextProtocol, HttpsTermination termination) {
        super(PROTOCOL);
        this.nextProtocol = nextProtocol;
        this.termination = termination;
    }

    /** From now on, new handshakes use {@code next}. */
    void termination(HttpsTermination next) {
        termination = next;
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
        ByteBuffer bytes = buffer.duplicate();
        byte[] data = new byte[bytes.remaining()];
        bytes.get(data);
        ClientHello.Result result = ClientHello.parse(data, data.length);
        if (result instanceof ClientHello.NeedMore) {
            return Detection.NEED_MORE_BYTES;
        }
        // Not a ClientHello Sluice can read (plain HTTP, or garbage): HTTP/1.1 answers it, with a 400 if need be.
        return result instanceof ClientHello.Hello ? Detection.RECOGNIZED : Detection.NOT_RECOGNIZED;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
        return configure(new Hello(connector, endPoint, termination), connector, endPoint);
    }

    /** Holds the ClientHello the detector read for as long as it takes to make the TLS connection that consumes it. */
    private final class Hello extends AbstractConnection implements Connection.UpgradeTo, Connection.UpgradeFrom {
        private final Connector connector;
        private final HttpsTermination tls;
        private ByteBuffer hello = ByteBuffer.allocate(0);

        Hello(Connector connector, EndPoint endPoint, HttpsTermination tls) {
            super(endPoint, connector.getExecutor());
            this.connector = connector;
            this.tls = tls;
        }

        @Override
        public void onUpgradeTo(ByteBuffer buffered) {
            if (buffered != null) {
                hello = ByteBuffer.allocate(buffered.remaining());
                hello.put(buffered).flip();
            }
        }

        @Override
        public ByteBuffer onUpgradeFrom() {
            return hello.hasRemaining() ? hello : null;
        }

        @Override
        public void onOpen() {
            super.onOpen();
            byte[] data = new byte[hello.remaining()];
            hello.duplicate().get(data);
            String sni = ClientHello.parse(data, data.length) instanceof ClientHello.Hello h ? h.sni() : "";
            SSLEngine engine = tls.newEngine(sni);
            SslConnection ssl = new SslConnection(connector.getByteBufferPool(), connector.getExecutor(), getEndPoint(), engine, false, false);
            ssl.setRenegotiationAllowed(false); // TLS 1.3 has none; below it, a client-driven cost for nothing
            EndPoint decrypted = ssl.getSslEndPoint();
            decrypted.setConnection(connector.getConnectionFactory(nextProtocol).newConnection(connector, decrypted));
            getEndPoint().upgrade(ssl);
        }

        @Override
        public void onFillable() {
            // never interested: upgraded as soon as opened
        }
    }
}
