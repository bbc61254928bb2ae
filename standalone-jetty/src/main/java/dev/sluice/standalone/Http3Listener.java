package dev.sluice.standalone;

import dev.sluice.proxy.tls.CertifiedKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http3.server.HTTP3ServerConnectionFactory;
import org.eclipse.jetty.http3.server.HTTP3ServerQuicConfiguration;
import org.eclipse.jetty.quic.quiche.server.QuicheServerConnector;
import org.eclipse.jetty.quic.quiche.server.QuicheServerQuicConfiguration;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The HTTP/3 side of an HTTPS entry point ({@code [entryPoints.NAME.http3]}, as Traefik): a QUIC
 * listener on the same port over UDP (Jetty's HTTP/3 over quiche), feeding the entry point's
 * servlet context, and the {@code Alt-Svc} header that tells clients of the TCP side it exists.
 *
 * <p>quiche takes one certificate from PEM files: the listener serves
 * {@link dev.sluice.proxy.tls.HttpsTermination#primaryCertificate()} for every name, written to a
 * private temporary directory that is deleted when the listener stops.
 */
final class Http3Listener {
    private static final String ALIAS = "sluice";
    private static final char[] PASSWORD = "sluice".toCharArray();

    private final QuicheServerConnector connector;
    private final Path pemDirectory;

    private Http3Listener(QuicheServerConnector connector, Path pemDirectory) {
        this.connector = connector;
        this.pemDirectory = pemDirectory;
    }

    /** A listener for {@code certificate} on {@code host}; its port is set at {@link #start(int)}. */
    static Http3Listener create(Server server, HttpConfiguration http, String name, String host, CertifiedKey certificate)
            throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry(ALIAS, certificate.key(), PASSWORD, certificate.chain().toArray(Certificate[]::new));
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys);
        tls.setKeyStorePassword(new String(PASSWORD));
        tls.setCertAlias(ALIAS);
        // quiche reads the key and chain from PEM files that Jetty writes here: readable by this user only.
        Path pem = Files.createTempDirectory("sluice-h3-" + name + "-");
        QuicheServerQuicConfiguration quic = HTTP3ServerQuicConfiguration.configure(new QuicheServerQuicConfiguration(pem));
        QuicheServerConnector connector = new QuicheServerConnector(server, tls, quic, new HTTP3ServerConnectionFactory(http));
        connector.setName(name); // the entry point's context answers it (virtual host "@name")
        connector.setHost(host);
        return new Http3Listener(connector, pem);
    }

    /** Binds UDP {@code port} (the TCP side's) and starts. */
    void start(int port) throws Exception {
        connector.setPort(port);
        connector.getServer().addConnector(connector);
        try {
            connector.start();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    QuicheServerConnector connector() {
        return connector;
    }

    void setIdleTimeout(long millis) {
        connector.setIdleTimeout(millis);
    }

    void stop() {
        try {
            connector.stop();
        } catch (Exception ignored) {
            // closing a datagram socket; nothing to recover
        } finally {
            connector.getServer().removeConnector(connector);
            IO.delete(pemDirectory.toFile());
        }
    }

    int localPort() {
        return connector.getLocalPort();
    }

    /**
     * Adds {@code Alt-Svc: h3=":PORT"; ma=86400} to the answers of requests that came over TLS (not over
     * HTTP/3 itself, nor plain HTTP), as Traefik does; {@code port} is {@code http3.advertisedPort}, or
     * the entry point's own.
     */
    static HttpConfiguration.Customizer altSvc(java.util.function.IntSupplier port) {
        return new HttpConfiguration.Customizer() {
            @Override
            public Request customize(Request request, HttpFields.Mutable responseHeaders) {
                if (request.isSecure() && request.getConnectionMetaData().getHttpVersion() != org.eclipse.jetty.http.HttpVersion.HTTP_3) {
                    responseHeaders.put(HttpHeader.ALT_SVC, "h3=\":" + port.getAsInt() + "\"; ma=86400");
                }
                return request;
            }
        };
    }
}
