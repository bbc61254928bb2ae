package dev.sluice.standalone;

import dev.sluice.proxy.tls.CertifiedKey;
import dev.sluice.proxy.tls.HttpsTermination;
import dev.sluice.proxy.tls.acme.TlsAlpnChallenges;
import dev.sluice.relay.ClientHello;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
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
 *
 * <p>ACME TLS-ALPN-01 (RFC 8737): a ClientHello offering {@code acme-tls/1} for a name with a pending
 * challenge gets the challenge certificate, {@code acme-tls/1} as its only protocol, and the connection
 * is closed once the handshake is done; no HTTP is served on it.
 */
final class TlsConnectionFactory extends AbstractConnectionFactory implements ConnectionFactory.Detecting {
    static final String PROTOCOL = "sluice-tls";

    private final String nextProtocol;
    private final Function<String, Optional<CertifiedKey>> challenges;
    private volatile HttpsTermination termination;

    /** @param challenges the TLS-ALPN-01 certificate pending for an SNI name, if any */
    TlsConnectionFactory(String nextProtocol, HttpsTermination termination, Function<String, Optional<CertifiedKey>> challenges) {
        super(PROTOCOL);
        this.nextProtocol = nextProtocol;
        this.termination = termination;
        this.challenges = challenges;
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
            ClientHello.Hello parsed = ClientHello.parse(data, data.length) instanceof ClientHello.Hello h ? h : null;
            String sni = parsed == null || parsed.sni() == null ? "" : parsed.sni();
            Optional<CertifiedKey> challenge = parsed != null && parsed.alpn().contains(TlsAlpnChallenges.PROTOCOL) && !sni.isEmpty()
                    ? challenges.apply(sni) : Optional.empty();
            SSLEngine engine;
            try {
                engine = challenge.isPresent() ? challengeEngine(challenge.get()) : tls.newEngine(sni);
            } catch (GeneralSecurityException | java.io.IOException e) {
                getEndPoint().close(e);
                return;
            }
            SslConnection ssl = new SslConnection(connector.getByteBufferPool(), connector.getExecutor(), getEndPoint(), engine, false, false);
            ssl.setRenegotiationAllowed(false); // TLS 1.3 has none; below it, a client-driven cost for nothing
            EndPoint decrypted = ssl.getSslEndPoint();
            if (challenge.isPresent()) {
                decrypted.setConnection(new ChallengeConnection(decrypted, connector));
                // The validation authority only looks at the handshake; nothing is served after it.
                ssl.addHandshakeListener(new SslHandshakeListener() {
                    @Override
                    public void handshakeSucceeded(Event event) {
                        decrypted.close();
                    }
                });
            } else {
                decrypted.setConnection(connector.getConnectionFactory(nextProtocol).newConnection(connector, decrypted));
            }
            getEndPoint().upgrade(ssl);
        }

        @Override
        public void onFillable() {
            // never interested: upgraded as soon as opened
        }
    }

    /** An engine presenting only {@code key} and negotiating only {@code acme-tls/1}: one per challenge connection. */
    private static SSLEngine challengeEngine(CertifiedKey key) throws GeneralSecurityException, java.io.IOException {
        char[] password = new char[0];
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("challenge", key.key(), password, key.chain().toArray(java.security.cert.X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {TlsAlpnChallenges.PROTOCOL});
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Above a TLS-ALPN-01 handshake: reads (which drives the handshake) and closes at the end of it or of the stream. */
    private static final class ChallengeConnection extends AbstractConnection {
        ChallengeConnection(EndPoint endPoint, Connector connector) {
            super(endPoint, connector.getExecutor());
        }

        @Override
        public void onOpen() {
            super.onOpen();
            fillInterested();
        }

        @Override
        public void onFillable() {
            try {
                ByteBuffer discard = ByteBuffer.allocate(512);
                discard.flip();
                int n = getEndPoint().fill(discard);
                if (n < 0) {
                    getEndPoint().close();
                } else {
                    fillInterested();
                }
            } catch (java.io.IOException e) {
                getEndPoint().close(e);
            }
        }
    }
}
