package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.servlet.MiddlewareFilter;
import dev.sluice.proxy.tls.Certs;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * passTLSClientCert on a real TLS connection: Sluice's entry points have no TLS yet, so a Jetty
 * server of the test's own, wanting client certificates, runs the middleware through
 * {@link MiddlewareFilter} in front of a servlet that echoes the headers it received.
 */
class PathsTlsClientCertTest {
    private static final String CERT = "X-Forwarded-Tls-Client-Cert";
    private static final String INFO = "X-Forwarded-Tls-Client-Cert-Info";

    private Server server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** The echo server on 127.0.0.1 (TLS, client certificates from {@code ca} wanted, not needed), with the middleware configured by {@code options} (name, value pairs). */
    private URI start(Certs.Issued ca, String... options) throws Exception {
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(Certs.leaf(ca, "localhost", List.of("ip:127.0.0.1")).keyStore(ca.cert()));
        tls.setKeyStorePassword("secret");
        tls.setTrustStore(trustStore(ca));
        tls.setWantClientAuth(true);

        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer(); // exposes the verified chain as a servlet attribute
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        FilterHolder middleware = new FilterHolder(MiddlewareFilter.class);
        middleware.setName("client-cert");
        middleware.setAsyncSupported(true);
        middleware.setInitParameter("type", "passTLSClientCert");
        for (int i = 0; i < options.length; i += 2) {
            middleware.setInitParameter(options[i], options[i + 1]);
        }
        context.addFilter(middleware, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
                response.setContentType("text/plain; charset=utf-8");
                response.getWriter().print(request.getHeader(CERT) + "\n" + request.getHeader(INFO));
            }
        }), "/*");
        server.setHandler(context);
        server.start();
        return URI.create("https://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    private static KeyStore trustStore(Certs.Issued ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.cert());
        return trust;
    }

    /** Lines: the cert header, then the info header, as the servlet saw them ("null" when absent). */
    private static String[] echo(URI uri, Certs.Issued ca, KeyStore clientKeys, String... headers) throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore(ca));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(clientKeys, "secret".toCharArray());
        ssl.init(clientKeys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        HttpClient client = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body().split("\n", -1);
    }

    /** A client certificate with every distinguished-name part Traefik knows, and one SAN of each kind. */
    private static Certs.Issued client(Certs.Issued ca) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        var keys = generator.generateKeyPair();
        long now = System.currentTimeMillis() / 1000 * 1000;
        var builder = new JcaX509v3CertificateBuilder(new X500Name(ca.cert().getSubjectX500Principal().getName()), BigInteger.valueOf(4242),
                new Date(now - 3_600_000L), new Date(now + 86_400_000L),
                new X500Name("DC=org,DC=example,C=FR,ST=Ile de France,L=Paris,O=Acme,OU=Dev,SERIALNUMBER=42,CN=alice"), keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/alice"),
            new GeneralName(GeneralName.iPAddress, "192.0.2.7"),
            new GeneralName(GeneralName.rfc822Name, "alice@example.org"),
            new GeneralName(GeneralName.dNSName, "alice.example.org"),
        }));
        var cert = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keys().getPrivate())));
        return new Certs.Issued(keys, cert);
    }

    @Test
    void passesTheChainAndTheChosenFieldsAsTraefikFormatsThem() throws Exception {
        Certs.Issued ca = Certs.ca("Test CA");
        Certs.Issued alice = client(ca);
        URI uri = start(ca,
                "pem", "true",
                "info.notBefore", "true",
                "info.notAfter", "true",
                "info.sans", "true",
                "info.serialNumber", "true",
                "info.subject.country", "true",
                "info.subject.province", "true",
                "info.subject.locality", "true",
                "info.subject.organization", "true",
                "info.subject.organizationalUnit", "true",
                "info.subject.commonName", "true",
                "info.subject.serialNumber", "true",
                "info.subject.domainComponent", "true",
                "info.issuer.commonName", "true");
        String[] seen = echo(uri, ca, alice.keyStore(ca.cert()));

        Base64.Encoder base64 = Base64.getEncoder();
        assertEquals(base64.encodeToString(alice.cert().getEncoded()) + "," + base64.encodeToString(ca.cert().getEncoded()), seen[0],
                "the chain as the client sent it: base64 DER, no PEM lines, comma-separated");

        long nb = alice.cert().getNotBefore().getTime() / 1000;
        long na = alice.cert().getNotAfter().getTime() / 1000;
        long caNb = ca.cert().getNotBefore().getTime() / 1000;
        long caNa = ca.cert().getNotAfter().getTime() / 1000;
        String expected = "Subject=\"DC=org,DC=example,C=FR,ST=Ile de France,L=Paris,O=Acme,OU=Dev,SN=42,CN=alice\";"
                + "Issuer=\"CN=Test CA\";SerialNumber=\"4242\";NB=\"" + nb + "\";NA=\"" + na + "\";"
                + "SAN=\"alice.example.org,alice@example.org,192.0.2.7,spiffe://example.org/alice\""
                + ",Subject=\"CN=Test CA\";Issuer=\"CN=Test CA\";SerialNumber=\"" + ca.cert().getSerialNumber()
                + "\";NB=\"" + caNb + "\";NA=\"" + caNa + "\"";
        assertEquals(expected, URLDecoder.decode(seen[1], StandardCharsets.UTF_8));
        assertTrue(seen[1].startsWith("Subject%3D%22DC%3Dorg%2CDC%3Dexample%2CC%3DFR%2CST%3DIle+de+France%2C"), seen[1]);
    }

    @Test
    void onlyWhatIsAskedFor() throws Exception {
        Certs.Issued ca = Certs.ca("Test CA");
        URI uri = start(ca, "info.subject.commonName", "true", "info.issuer.organization", "true");
        String[] seen = echo(uri, ca, client(ca).keyStore());
        assertEquals("null", seen[0], "pem is off by default");
        assertEquals("Subject%3D%22CN%3Dalice%22", seen[1], "an issuer without the chosen part is left out");
    }

    @Test
    void withoutAClientCertificateForgedHeadersAreRemoved() throws Exception {
        Certs.Issued ca = Certs.ca("Test CA");
        URI uri = start(ca, "pem", "true", "info.notAfter", "true");
        String[] seen = echo(uri, ca, null, CERT, "forged", INFO, "Subject%3D%22CN%3Dadmin%22");
        assertEquals("null", seen[0]);
        assertEquals("null", seen[1]);
    }
}
