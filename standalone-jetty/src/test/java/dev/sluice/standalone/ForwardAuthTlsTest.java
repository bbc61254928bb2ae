package dev.sluice.standalone;

import static dev.sluice.standalone.AuthTestSupport.config;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.tls.Certs;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** forwardAuth's {@code tls} options against a real HTTPS auth server that demands a client certificate. */
class ForwardAuthTlsTest {
    @TempDir
    static Path dir;
    private static Certs.Issued ca;
    private static Certs.Issued server;
    private Server authServer;
    private int authPort;
    private Backend upstream;
    private Sluice sluice;

    @BeforeAll
    static void certificates() throws Exception {
        ca = Certs.ca("Auth Test CA");
        ca.writeCert(dir.resolve("ca.pem"));
        server = Certs.leaf(ca, "localhost", List.of("dns:localhost", "ip:127.0.0.1"));
        Certs.Issued client = Certs.leaf(ca, "sluice", List.of("dns:sluice"));
        client.writeCert(dir.resolve("client.pem"));
        client.writeKey(dir.resolve("client-key.pem"));
    }

    @BeforeEach
    void start() throws Exception {

        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(server.keyStore(ca.cert()));
        tls.setKeyStorePassword("secret");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.cert());
        tls.setTrustStore(trust);
        tls.setNeedClientAuth(true);
        authServer = new Server();
        ServerConnector connector = new ServerConnector(authServer, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        authServer.addConnector(connector);
        authServer.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                    org.eclipse.jetty.util.Callback callback) {
                response.getHeaders().put("X-Auth-User", "by-tls");
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        authServer.start();
        authPort = connector.getLocalPort();
        upstream = new Backend("up");
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {sluice, upstream}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        authServer.stop();
    }

    private int status(String tlsLines) throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        sluice = Sluice.start(config(upstream, """
                [http.middlewares.auth.forwardAuth]
                address = "https://127.0.0.1:%d/auth"
                authResponseHeaders = ["X-Auth-User"]
                """.formatted(authPort) + tlsLines));
        return AuthTestSupport.get(sluice.uri("web", "/")).statusCode();
    }

    private String file(String name) {
        return "'" + dir.resolve(name) + "'";
    }

    @Test
    void aTrustedCaAndAClientCertificateReachTheAuthServer() throws Exception {
        assertEquals(200, status("tls.ca = %s\ntls.cert = %s\ntls.key = %s\n".formatted(file("ca.pem"), file("client.pem"), file("client-key.pem"))));
        assertEquals("by-tls", upstream.take().headers().get("X-Auth-User"));
    }

    @Test
    void withoutTheCaOrTheClientCertificateTheHandshakeFailsAnd500Follows() throws Exception {
        assertEquals(500, status(""), "the JVM does not trust the test CA");
        assertEquals(500, status("tls.ca = %s\n".formatted(file("ca.pem"))), "no client certificate");
        assertEquals(500, status("tls.insecureSkipVerify = true\n"), "no client certificate either");
    }
}
