package dev.sluice.relay;

import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What the relay's TLS tests share: a CA and certificates made once (RSA keys take a moment), written
 * as PEM files, JDK TLS clients and servers on 127.0.0.1.
 */
final class TlsKit {
    final Certs.Issued ca;
    final Path dir;
    final Path caPem;

    TlsKit(Path dir) throws Exception {
        this.dir = dir;
        this.ca = Certs.ca("Relay Test CA");
        this.caPem = ca.writeCert(dir.resolve("ca.pem"));
    }

    /** A leaf signed by the CA, written as {@code name.pem} and {@code name.key}. */
    Certs.Issued leaf(String name, String... sans) throws Exception {
        Certs.Issued leaf = Certs.leaf(ca, name, List.of(sans));
        leaf.writeCert(dir.resolve(name + ".pem"));
        leaf.writeKey(dir.resolve(name + ".key"));
        return leaf;
    }

    String certFile(String name) {
        return dir.resolve(name + ".pem").toString();
    }

    String keyFile(String name) {
        return dir.resolve(name + ".key").toString();
    }

    /** A client context trusting the CA and presenting {@code clientCert} if given; or, with {@code trustAll} and no certificate, trusting everything. */
    SSLContext clientContext(boolean trustAll, Certs.Issued clientCert) throws Exception {
        if (trustAll && clientCert == null) {
            return Certs.trustingEverything();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(clientCert == null ? null : keys(clientCert), trusting(ca.cert()), null);
        return context;
    }

    SSLContext serverContext(Certs.Issued cert, boolean needClientAuth) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys(cert), needClientAuth ? trusting(ca.cert()) : null, null);
        return context;
    }

    private javax.net.ssl.KeyManager[] keys(Certs.Issued cert) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(cert.keyStore(ca.cert()), "secret".toCharArray());
        return keys.getKeyManagers();
    }

    private static javax.net.ssl.TrustManager[] trusting(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        return factory.getTrustManagers();
    }

    /** A TLS client over an already connected socket, sending {@code sni}, offering {@code protocols} and {@code alpn}. */
    static SSLSocket client(SSLContext context, Socket plain, String sni, String[] protocols, String... alpn) throws IOException {
        plain.setSoTimeout(10_000);
        // The host names the client's session cache entry: one per SNI, so no session is resumed under another name.
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, sni == null ? "relay" : sni, plain.getPort(), true);
        SSLParameters params = socket.getSSLParameters();
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        if (protocols != null) {
            params.setProtocols(protocols);
        }
        params.setApplicationProtocols(alpn);
        socket.setSSLParameters(params);
        return socket;
    }

    static SSLSocket connect(SSLContext context, int port, String sni, String... alpn) throws IOException {
        SSLSocket socket = client(context, new Socket(InetAddress.getLoopbackAddress(), port), sni, null, alpn);
        socket.startHandshake();
        return socket;
    }

    static String servedCn(SSLSocket socket) throws IOException {
        X509Certificate leaf = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return leaf.getSubjectX500Principal().getName();
    }

    /** A TLS server on 127.0.0.1 running {@code handler} per connection; {@link #sniSeen} records what clients asked for. */
    static final class TlsBackend implements AutoCloseable {
        final List<String> sniSeen = new CopyOnWriteArrayList<>();
        /** Connections whose handshake failed (for instance: the client refused this server's certificate). */
        final java.util.concurrent.atomic.AtomicInteger failedHandshakes = new java.util.concurrent.atomic.AtomicInteger();
        private final ServerSocket server;

        TlsBackend(SSLContext context, boolean needClientAuth, TcpBackend.Handler handler) throws IOException {
            this(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), context, needClientAuth, handler, false);
        }

        /** {@code proxyFirst}: a PROXY v2 header comes in the clear before the handshake; the handler sees it in {@link #proxyHeaders}. */
        TlsBackend(ServerSocket server, SSLContext context, boolean needClientAuth, TcpBackend.Handler handler, boolean proxyFirst) {
            this.server = server;
            SSLSocketFactory factory = context.getSocketFactory();
            Thread acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket plain = server.accept();
                        Thread worker = new Thread(() -> serve(factory, plain, needClientAuth, handler, proxyFirst), "tls-backend");
                        worker.setDaemon(true);
                        worker.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "tls-backend-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        final List<byte[]> proxyHeaders = new CopyOnWriteArrayList<>();

        private void serve(SSLSocketFactory factory, Socket plain, boolean needClientAuth, TcpBackend.Handler handler, boolean proxyFirst) {
            try (plain) {
                plain.setSoTimeout(10_000);
                if (proxyFirst) {
                    InputStream in = plain.getInputStream();
                    byte[] fixed = in.readNBytes(16);
                    int length = ((fixed[14] & 0xFF) << 8) | (fixed[15] & 0xFF);
                    byte[] rest = in.readNBytes(length);
                    byte[] header = new byte[16 + length];
                    System.arraycopy(fixed, 0, header, 0, 16);
                    System.arraycopy(rest, 0, header, 16, length);
                    proxyHeaders.add(header);
                }
                try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, null, true)) {
                    tls.setUseClientMode(false);
                    tls.setNeedClientAuth(needClientAuth);
                    try {
                        tls.startHandshake();
                    } catch (IOException e) {
                        failedHandshakes.incrementAndGet();
                        throw e;
                    }
                    for (SNIServerName name : ((ExtendedSSLSession) tls.getSession()).getRequestedServerNames()) {
                        sniSeen.add(((SNIHostName) name).getAsciiName());
                    }
                    handler.handle(tls);
                }
            } catch (Exception ignored) {
                // the test sees the effect on the wire
            }
        }

        String address() {
            return "127.0.0.1:" + server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

}
