package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.tls.Certs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS upstreams through serversTransports: trust, host names, SNI, SANs and mutual TLS, with certificates made here. */
class TlsUpstreamTest {
    @TempDir
    static Path dir;
    private static Certs.Issued ca;
    private static Certs.Issued localhost;
    private static Certs.Issued other;
    private static Certs.Issued client;

    private final HttpClient http = HttpClient.newHttpClient();
    private Server upstream;
    private Sluice sluice;

    @BeforeAll
    static void certificates() throws Exception {
        ca = Certs.ca("Sluice Test CA");
        ca.writeCert(dir.resolve("ca.pem"));
        localhost = Certs.leaf(ca, "localhost", List.of("dns:localhost", "ip:127.0.0.1", "uri:spiffe://test/upstream"));
        other = Certs.leaf(ca, "other.example", List.of("dns:other.example"));
        client = Certs.leaf(ca, "sluice-client", List.of("dns:sluice-client"));
        client.writeCert(dir.resolve("client.pem"));
        client.writeKey(dir.resolve("client-key.pem"));
    }

    @AfterEach
    void stop() throws Exception {
        if (sluice != null) {
            sluice.close();
        }
        if (upstream != null) {
            upstream.stop();
        }
    }

    /** An HTTPS server presenting {@code cert}; with {@code needClientAuth} it demands a certificate from our CA. */
    private int https(Certs.Issued cert, boolean needClientAuth) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(cert.keyStore(ca.cert()));
        tls.setKeyStorePassword("secret");
        if (needClientAuth) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca.cert());
            tls.setTrustStore(trust);
            tls.setNeedClientAuth(true);
        }
        upstream = new Server();
        HttpConfiguration config = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(upstream, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        upstream.addConnector(connector);
        upstream.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                    org.eclipse.jetty.util.Callback callback) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "secure " + cert.cert().getSubjectX500Principal().getName(), callback);
                return true;
            }
        });
        upstream.start();
        return connector.getLocalPort();
    }

    private int status(String upstreamUrl, String transport) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                serversTransport = "t"
                servers = [{url = "%s"}]
                [http.serversTransports.t]
                %s
                """.formatted(upstreamUrl, transport));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(sluice.uri("web", "/")).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    private static String file(String name) {
        return "\"" + dir.resolve(name).toString().replace("\\", "/") + "\"";
    }

    @Test
    void trustsTheConfiguredCa() throws Exception {
        int port = https(localhost, false);
        assertEquals(200, status("https://localhost:" + port, "rootCAs = [" + file("ca.pem") + "]"));
    }

    @Test
    void rejectsAnUnknownCaByDefault() throws Exception {
        int port = https(localhost, false);
        assertEquals(502, status("https://localhost:" + port, "maxIdleConnsPerHost = 2"));
    }

    @Test
    void insecureSkipVerifyAcceptsAnything() throws Exception {
        int port = https(other, false);
        assertEquals(200, status("https://127.0.0.1:" + port, "insecureSkipVerify = true"));
    }

    @Test
    void wrongSanIsRejectedUnlessServerNameSaysOtherwise() throws Exception {
        int port = https(other, false);
        assertEquals(502, status("https://127.0.0.1:" + port, "rootCAs = [" + file("ca.pem") + "]"));
        sluice.close();
        sluice = null;
        assertEquals(200, status("https://127.0.0.1:" + port, "rootCAs = [" + file("ca.pem") + "]\nserverName = \"other.example\""));
    }

    @Test
    void peerCertSansMustMatch() throws Exception {
        int port = https(localhost, false);
        assertEquals(200, status("https://localhost:" + port, "rootCAs = [" + file("ca.pem") + "]\n"
                + "peerCertSANs = [{type = \"URI\", value = \"spiffe://test/upstream\"}]"));
        sluice.close();
        sluice = null;
        assertEquals(502, status("https://localhost:" + port, "rootCAs = [" + file("ca.pem") + "]\n"
                + "peerCertSANs = [{type = \"URI\", value = \"spiffe://test/somebody-else\"}]"));
    }

    @Test
    void mutualTlsSendsTheClientCertificate() throws Exception {
        int port = https(localhost, true);
        assertEquals(502, status("https://localhost:" + port, "rootCAs = [" + file("ca.pem") + "]"));
        sluice.close();
        sluice = null;
        assertEquals(200, status("https://localhost:" + port, "rootCAs = [" + file("ca.pem") + "]\n"
                + "certificates = [{certFile = " + file("client.pem") + ", keyFile = " + file("client-key.pem") + "}]"));
    }
}
