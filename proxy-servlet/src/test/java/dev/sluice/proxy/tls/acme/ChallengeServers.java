package dev.sluice.proxy.tls.acme;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.proxy.tls.CertifiedKey;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * What the HTTPS side will do, in miniature, so Pebble's validation authority has something to talk
 * to: a plain HTTP server answering {@code /.well-known/acme-challenge/TOKEN} from
 * {@link Http01Challenges}, and a TLS server that presents the {@link TlsAlpnChallenges} certificate
 * when the client offers {@code acme-tls/1}, else the certificate a resolver holds for the SNI name.
 */
final class ChallengeServers implements AutoCloseable {
    /** The resolvers of the test running now (null between tests). */
    volatile AcmeResolvers acme;
    /** Requests for names starting with "refused." are answered 404: a failing HTTP-01 challenge. */
    final AtomicInteger http01Requests = new AtomicInteger();
    private final HttpServer http;
    private final SSLServerSocket tls;
    private final Thread acceptor;

    ChallengeServers() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext(Http01Challenges.PATH_PREFIX, exchange -> {
            http01Requests.incrementAndGet();
            String token = exchange.getRequestURI().getPath().substring(Http01Challenges.PATH_PREFIX.length());
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
            AcmeResolvers current = acme;
            Optional<String> answer = current == null || host.startsWith("refused.") ? Optional.empty()
                    : current.http01().keyAuthorization(token);
            byte[] body = answer.orElse("no such challenge").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(answer.isPresent() ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new X509ExtendedKeyManager[] {new SniKeys()}, null, null);
        tls = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 16, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "test-tls-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int httpPort() {
        return http.getAddress().getPort();
    }

    int tlsPort() {
        return tls.getLocalPort();
    }

    private void accept() {
        while (!tls.isClosed()) {
            try {
                SSLSocket socket = (SSLSocket) tls.accept();
                Thread t = new Thread(() -> handshake(socket), "test-tls-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void handshake(SSLSocket socket) {
        try (socket) {
            socket.setSoTimeout(5000);
            socket.setHandshakeApplicationProtocolSelector((s, offered) -> offered.contains(TlsAlpnChallenges.PROTOCOL)
                    ? TlsAlpnChallenges.PROTOCOL : "");
            socket.startHandshake();
        } catch (IOException e) {
            // a client that gave up, or a name with no certificate
        }
    }

    /** Picks the certificate by SNI and ALPN, as the TLS entry point's key manager will. */
    private final class SniKeys extends X509ExtendedKeyManager {
        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            SSLSocket ssl = (SSLSocket) socket;
            ExtendedSSLSession session = (ExtendedSSLSession) ssl.getHandshakeSession();
            String sni = session.getRequestedServerNames().stream().filter(SNIHostName.class::isInstance)
                    .map(n -> ((SNIHostName) n).getAsciiName()).findFirst().orElse(null);
            // The ALPN protocol is chosen before the certificate; acme-tls/1 means "the challenge certificate".
            boolean challenge = TlsAlpnChallenges.PROTOCOL.equals(ssl.getHandshakeApplicationProtocol());
            Optional<CertifiedKey> key = sni == null ? Optional.empty() : lookup(sni, challenge);
            return key.filter(k -> k.key().getAlgorithm().equals(keyType)).map(k -> (challenge ? "challenge:" : "cert:") + sni)
                    .orElse(null);
        }

        private Optional<CertifiedKey> lookup(String sni, boolean challenge) {
            AcmeResolvers current = acme;
            if (current == null) {
                return Optional.empty();
            }
            if (challenge) {
                return current.tlsAlpn01().certificate(sni);
            }
            return current.resolver("le").flatMap(r -> r.certificate(sni));
        }

        private Optional<CertifiedKey> byAlias(String alias) {
            int colon = alias.indexOf(':');
            return lookup(alias.substring(colon + 1), alias.startsWith("challenge:"));
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return byAlias(alias).map(k -> k.chain().toArray(X509Certificate[]::new)).orElse(null);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return byAlias(alias).map(CertifiedKey::key).orElse(null);
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        tls.close();
    }
}
