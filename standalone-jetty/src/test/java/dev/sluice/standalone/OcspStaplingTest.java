package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.proxy.tls.Certs;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OCSP stapling on an HTTPS entry point with the JDK's provider, as the jar sets it up
 * ({@link TlsProviders#resolveAndLog}): a certificate naming an OCSP responder (AIA) that this test runs
 * on 127.0.0.1 (Bouncy Castle's OCSP classes behind the JDK's HTTP server), and a client asking for the
 * certificate's status gets the responder's answer stapled to the handshake.
 */
class OcspStaplingTest {
    @TempDir
    Path dir;

    private String before;
    private HttpServer responder;
    private final AtomicInteger asked = new AtomicInteger();
    private Certs.Issued ca;

    @BeforeEach
    void responder() throws Exception {
        before = System.getProperty(TlsProviders.STAPLING);
        System.clearProperty(TlsProviders.STAPLING); // what a user who sets nothing has
        ca = Certs.ca("OCSP Test CA");
        responder = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        responder.createContext("/", exchange -> {
            asked.incrementAndGet();
            try (exchange) {
                // RFC 6960 A.1: POST with the DER request as body, or GET with it base64 and URL-encoded in the path.
                byte[] der = "POST".equals(exchange.getRequestMethod()) ? exchange.getRequestBody().readAllBytes()
                        : Base64.getDecoder().decode(URLDecoder.decode(exchange.getRequestURI().getRawPath().substring(1),
                                StandardCharsets.US_ASCII));
                byte[] answer = good(new OCSPReq(der));
                exchange.getResponseHeaders().set("Content-Type", "application/ocsp-response");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (Exception e) {
                exchange.sendResponseHeaders(500, -1);
            }
        });
        responder.start();
    }

    @AfterEach
    void stop() {
        responder.stop(0);
        if (before == null) {
            System.clearProperty(TlsProviders.STAPLING);
        } else {
            System.setProperty(TlsProviders.STAPLING, before);
        }
    }

    /** "good" for every certificate asked about, signed by the CA itself (a CA may answer for its own certificates). */
    private byte[] good(OCSPReq request) throws Exception {
        BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(new RespID(new X500Name(ca.cert().getSubjectX500Principal().getName())));
        Date now = new Date();
        for (Req req : request.getRequestList()) {
            builder.addResponse(req.getCertID(), CertificateStatus.GOOD, now, new Date(now.getTime() + 3_600_000L), null);
        }
        BasicOCSPResp basic = builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.keys().getPrivate()),
                new X509CertificateHolder[] {new JcaX509CertificateHolder(ca.cert())}, now);
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    /** A leaf of {@link #ca} for {@code name} whose Authority Information Access names the test's responder. */
    private X509Certificate leafWithOcsp(KeyPair keys, String name) throws Exception {
        long now = System.currentTimeMillis();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(ca.cert().getSubjectX500Principal().getName()),
                BigInteger.valueOf(now), new Date(now - 3_600_000L), new Date(now + 86_400_000L), new X500Name("CN=" + name),
                keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.dNSName, name)));
        String url = "http://127.0.0.1:" + responder.getAddress().getPort() + "/";
        builder.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, url))));
        return new JcaX509CertificateConverter().getCertificate(builder.build(
                new JcaContentSignerBuilder("SHA256withRSA").build(ca.keys().getPrivate())));
    }

    @Test
    void theJdkProviderStaplesTheResponderAnswerForAClientThatAsks() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X509Certificate leaf = leafWithOcsp(keys, "ocsp.example");
        // The chain holds the issuer: the JDK needs it to name the certificate in its OCSP request.
        Path chain = Files.writeString(dir.resolve("chain.pem"), pem("CERTIFICATE", leaf.getEncoded()) + pem("CERTIFICATE",
                ca.cert().getEncoded()));
        Path key = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));

        var provider = TlsProviders.resolveAndLog(TlsProviders.JDK); // as Main does for --tls-provider jdk
        assertEquals("true", System.getProperty(TlsProviders.STAPLING));
        try (Backend backend = new Backend("stapled");
                Sluice sluice = Sluice.start("""
                        [entryPoints.websecure]
                        address = "127.0.0.1:0"
                        [entryPoints.websecure.http.tls]
                        [http.routers.all]
                        rule = "PathPrefix(`/`)"
                        service = "backend"
                        [[tls.certificates]]
                        certFile = "%s"
                        keyFile = "%s"
                        [[http.services.backend.loadBalancer.servers]]
                        url = "%s"
                        """.formatted(chain, key, backend.url()), provider)) {
            int port = sluice.port("websecure");
            for (String version : List.of("TLSv1.3", "TLSv1.2")) {
                List<byte[]> stapled = stapledResponses(port, version); // the JDK's client asks for status by default
                // The leaf's first; in TLS 1.2 (status_request_v2) an empty one for the CA too, which names no responder.
                assertEquals(version.equals("TLSv1.3") ? 1 : 2, stapled.size(), version);
                stapled.stream().skip(1).forEach(other -> assertEquals(0, other.length, version));
                OCSPResp response = new OCSPResp(stapled.get(0));
                assertEquals(OCSPResp.SUCCESSFUL, response.getStatus());
                BasicOCSPResp basic = (BasicOCSPResp) response.getResponseObject();
                assertTrue(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(ca.cert().getPublicKey())),
                        "signed by the CA");
                SingleResp single = basic.getResponses()[0];
                assertEquals(leaf.getSerialNumber(), single.getCertID().getSerialNumber());
                assertNull(single.getCertStatus(), "good"); // Bouncy Castle's GOOD is null
            }
            // The JDK caches the response: the second handshake did not ask again.
            assertEquals(1, asked.get());
        }
    }

    /** Conscrypt's path does not staple (README says so): the same certificate, no response, the responder never asked. */
    @Test
    void theConscryptProviderDoesNotStaple() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Path chain = Files.writeString(dir.resolve("chain.pem"), pem("CERTIFICATE", leafWithOcsp(keys, "ocsp.example").getEncoded())
                + pem("CERTIFICATE", ca.cert().getEncoded()));
        Path key = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        try (Sluice sluice = Sluice.start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(chain, key), TlsProviders.resolve(TlsProviders.CONSCRYPT))) {
            assertEquals(List.of(), stapledResponses(sluice.port("websecure"), "TLSv1.3"));
            assertEquals(0, asked.get());
        }
    }

    /** The OCSP responses stapled to a handshake for ocsp.example in {@code version}. */
    private static List<byte[]> stapledResponses(int port, String version) throws Exception {
        Socket plain = new Socket(InetAddress.getLoopbackAddress(), port);
        plain.setSoTimeout(15_000);
        try (SSLSocket socket = (SSLSocket) Certs.trustingEverything().getSocketFactory().createSocket(plain, "ocsp.example", port, true)) {
            socket.setEnabledProtocols(new String[] {version});
            socket.startHandshake();
            return ((ExtendedSSLSession) socket.getSession()).getStatusResponses();
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}
