package dev.sluice.standalone;

import dev.sluice.proxy.tls.CertifiedKey;
import dev.sluice.proxy.tls.HttpsTermination;
import dev.sluice.proxy.tls.acme.TlsAlpnChallenges;
import dev.sluice.relay.ClientHello;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.io.ssl.SslHandshakeListener;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.Request;

/**
 * TLS on an HTTP entry point, behind a {@link DetectorConnectionFactory} so that one port serves
 * TLS and plain HTTP, as Traefik's entry points do. Jetty's own {@code SslConnectionFactory} makes
 * its engine before any byte is read; this one waits for the whole ClientHello (the detector
 * buffers it), reads its SNI, and takes the engine of the TLS options of that host from the
 * entry point's current {@link HttpsTermination}, which a reload replaces: new handshakes get the
 * new certificates and options, connections already established keep theirs.
 *
 * <p>Connection sequence: detector (buffers the ClientHello) → {@link Hello} (takes the buffered
 * bytes, makes the engine) → {@link SniSslConnection} (Jetty's {@link SslConnection}, remembering the
 * SNI) → ALPN among the protocols of the host's TLS options ({@code alpnProtocols}) → HTTP/1.1 or h2.
 * Requests on it are checked against its SNI ({@link #misdirected}).
 *
 * <p>ACME TLS-ALPN-01 (RFC 8737): a ClientHello offering {@code acme-tls/1} for a name with a pending
 * challenge gets the challenge certificate, {@code acme-tls/1} as its only protocol, and the connection
 * is closed once the handshake is done; no HTTP is served on it.
 */
final class TlsConnectionFactory extends AbstractConnectionFactory implements ConnectionFactory.Detecting {
    static final String PROTOCOL = "sluice-tls";

    private final String defaultProtocol;
    private final Function<String, Optional<CertifiedKey>> challenges;
    private volatile HttpsTermination termination;
    /** One ALPN factory per list of protocols some TLS options offer (a handful at most). */
    private final ConcurrentHashMap<List<String>, ALPNServerConnectionFactory> alpn = new ConcurrentHashMap<>();

    /**
     * @param defaultProtocol what a client offering no ALPN speaks (HTTP/1.1)
     * @param challenges the TLS-ALPN-01 certificate pending for an SNI name, if any
     */
    TlsConnectionFactory(String defaultProtocol, HttpsTermination termination, Function<String, Optional<CertifiedKey>> challenges) {
        super(PROTOCOL);
        this.defaultProtocol = defaultProtocol;
        this.termination = termination;
        this.challenges = challenges;
    }

    /**
     * True when {@code request} came over a TLS connection of this kind whose SNI selects other TLS options
     * than its {@code Host} (see {@link HttpsTermination#misdirected}): it must be answered 421.
     */
    static boolean misdirected(Request request) {
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        return endPoint instanceof SslConnection.SslEndPoint tls && tls.getSslConnection() instanceof SniSslConnection sni
                && sni.misdirected(request.getHttpURI().getHost());
    }

    private ALPNServerConnectionFactory alpn(List<String> protocols) {
        return alpn.computeIfAbsent(protocols, p -> {
            ALPNServerConnectionFactory factory = new ALPNServerConnectionFactory(p.toArray(String[]::new));
            factory.setDefaultProtocol(defaultProtocol);
            return factory;
        });
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
            if (challenge.isEmpty() && parsed != null && !parsed.alpn().isEmpty()
                    && parsed.alpn().stream().noneMatch(tls.alpnFor(sni)::contains)) {
                // Nothing in common with the host's alpnProtocols: refused before the handshake, the same with every
                // provider (Conscrypt would go on without ALPN where the JDK sends no_application_protocol).
                getEndPoint().close();
                return;
            }
            SSLEngine engine;
            try {
                engine = challenge.isPresent() ? challengeEngine(challenge.get()) : tls.newEngine(sni);
            } catch (GeneralSecurityException | java.io.IOException e) {
                getEndPoint().close(e);
                return;
            }
            SslConnection ssl = challenge.isPresent()
                    ? new SslConnection(connector.getByteBufferPool(), connector.getExecutor(), getEndPoint(), engine, false, false)
                    : new SniSslConnection(connector, getEndPoint(), engine, sni);
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
                decrypted.setConnection(alpn(tls.alpnFor(sni)).newConnection(connector, decrypted));
            }
            getEndPoint().upgrade(ssl);
        }

        @Override
        public void onFillable() {
            // never interested: upgraded as soon as opened
        }
    }

    /** Jetty's TLS connection, with the SNI name of its ClientHello ("" for none). */
    private final class SniSslConnection extends SslConnection {
        private final String sni;

        SniSslConnection(Connector connector, EndPoint endPoint, SSLEngine engine, String sni) {
            super(connector.getByteBufferPool(), connector.getExecutor(), endPoint, engine, false, false);
            this.sni = sni;
        }

        /** Against the entry point's current TLS settings, as Traefik checks against its current routers. */
        boolean misdirected(String host) {
            return termination.misdirected(sni, host);
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
