package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.tls.Certs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each of Traefik's five {@code clientAuthType}s on an HTTPS entry point, against three clients: one without
 * a certificate, one with a certificate of the configured CA, one with a certificate of another CA. What the
 * backend sees (passTLSClientCert) tells whether the certificate was asked for and passed on. Both providers.
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {TlsProviders.JDK, TlsProviders.CONSCRYPT})
class ClientAuthTypesTest {
    @Parameter
    String provider;

    @TempDir
    Path dir;

    /** What one client got: refused, or served with the CN of the certificate the backend was given ("-" for none). */
    private static final String REFUSED = "refused";

    @Test
    void eachTypeAcceptsAndRefusesTheRightClients() throws Exception {
        Certs.Issued ca = Certs.ca("Trusted Clients");
        Certs.Issued other = Certs.ca("Other Clients");
        List<String> types = List.of("NoClientCert", "RequestClientCert", "RequireAnyClientCert", "VerifyClientCertIfGiven",
                "RequireAndVerifyClientCert");
        StringBuilder toml = new StringBuilder("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [http.middlewares.cert.passTLSClientCert.info]
                subject.commonName = true
                """);
        List<String> names = new ArrayList<>();
        for (String type : types) {
            String host = type.toLowerCase() + ".example";
            names.add("dns:" + host);
            toml.append("""
                    [http.routers.%1$s]
                    rule = "Host(`%2$s`)"
                    service = "backend"
                    middlewares = ["cert"]
                    [http.routers.%1$s.tls]
                    options = "%1$s"
                    [tls.options.%1$s.clientAuth]
                    clientAuthType = "%1$s"
                    caFiles = ["%3$s"]
                    """.formatted(type, host, ca.writeCert(dir.resolve("ca.pem"))));
        }
        Certs.Issued server = Certs.leaf(ca, "server", names);
        try (Backend backend = new Backend("ok")) {
            toml.append("""
                    [[tls.certificates]]
                    certFile = "%s"
                    keyFile = "%s"
                    [[http.services.backend.loadBalancer.servers]]
                    url = "%s"
                    """.formatted(server.writeCert(dir.resolve("server.pem")), server.writeKey(dir.resolve("server.key")), backend.url()));
            try (Sluice sluice = Sluice.start(toml.toString(), TlsProviders.resolve(provider))) {
                int port = sluice.port("websecure");
                SSLContext none = Certs.trustingEverything();
                SSLContext trusted = presenting(Certs.leaf(ca, "alice", List.of("dns:alice.test")), ca);
                SSLContext untrusted = presenting(Certs.leaf(other, "mallory", List.of("dns:mallory.test")), other);
                List<String> seen = new ArrayList<>();
                for (String type : types) {
                    String host = type.toLowerCase() + ".example";
                    seen.add(type + ": " + attempt(port, host, none, backend) + " / " + attempt(port, host, trusted, backend) + " / "
                            + attempt(port, host, untrusted, backend));
                }
                assertEquals(List.of(
                        "NoClientCert: - / - / -", // never asked: the client sends none
                        "RequestClientCert: - / alice / mallory", // asked, not required, not verified
                        "RequireAnyClientCert: refused / alice / mallory", // required, not verified
                        "VerifyClientCertIfGiven: - / alice / refused", // not required, verified when given
                        "RequireAndVerifyClientCert: refused / alice / refused"), seen);
            }
        }
    }

    /**
     * A client that presents {@code leaf} whenever asked, whatever CAs the server names: the JDK's own key manager
     * would keep a certificate of another CA to itself, and the server would never see mallory's.
     */
    private static SSLContext presenting(Certs.Issued leaf, Certs.Issued ca) throws Exception {
        javax.net.ssl.KeyManagerFactory factory = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
        factory.init(leaf.keyStore(ca.cert()), "secret".toCharArray());
        javax.net.ssl.X509ExtendedKeyManager keys = (javax.net.ssl.X509ExtendedKeyManager) factory.getKeyManagers()[0];
        String alias = keys.getClientAliases(leaf.cert().getPublicKey().getAlgorithm(), null)[0];
        javax.net.ssl.X509ExtendedKeyManager always = new javax.net.ssl.X509ExtendedKeyManager() {
            @Override
            public String chooseClientAlias(String[] keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return alias;
            }

            @Override
            public String chooseEngineClientAlias(String[] keyType, java.security.Principal[] issuers, javax.net.ssl.SSLEngine engine) {
                return alias;
            }

            @Override
            public String[] getClientAliases(String keyType, java.security.Principal[] issuers) {
                return new String[] {alias};
            }

            @Override
            public String[] getServerAliases(String keyType, java.security.Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, java.security.Principal[] issuers, java.net.Socket socket) {
                return null;
            }

            @Override
            public java.security.cert.X509Certificate[] getCertificateChain(String name) {
                return keys.getCertificateChain(name);
            }

            @Override
            public java.security.PrivateKey getPrivateKey(String name) {
                return keys.getPrivateKey(name);
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new javax.net.ssl.KeyManager[] {always}, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {}

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** One GET over a new connection; the CN the backend was told of ("-" for none), or "refused". */
    private static String attempt(int port, String host, SSLContext client, Backend backend) throws Exception {
        try (HttpsClient connection = HttpsClient.connect(port, host, client)) {
            // In TLS 1.3 the client learns of a refused certificate only when it reads: the GET fails then.
            if (connection.get(host, "/").status() != 200) {
                return "status";
            }
        } catch (IOException e) {
            return REFUSED;
        }
        String info = backend.take().headers().get("X-Forwarded-Tls-Client-Cert-Info");
        if (info == null) {
            return "-";
        }
        String decoded = java.net.URLDecoder.decode(info, java.nio.charset.StandardCharsets.UTF_8);
        int cn = decoded.indexOf("CN=");
        return cn < 0 ? decoded : decoded.substring(cn + 3).replaceAll("[\",;].*", "");
    }
}
