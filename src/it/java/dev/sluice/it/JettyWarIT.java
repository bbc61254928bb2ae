package dev.sluice.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee.webapp.WebAppClassLoader;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** sluice.war in an embedded Jetty 12 (ee10 WebAppContext), with Jetty's webdefault-ee10.xml. */
class JettyWarIT extends WarContract {

    /**
     * Jetty's ee10 servlet upgrade cannot carry a tunnel (it ends the client's input at once): the
     * WAR in Jetty refuses WebSocket handshakes with a clear 501 instead of a 101 on a dead connection.
     */
    @Test
    void refusesWebSocketHandshakesWith501() throws Exception {
        try (WsEcho echo = new WsEcho()) {
            deploy("/", params("upstreams", echo.url()));
            start();
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port())) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                byte[] head = new byte[12];
                int n = socket.getInputStream().readNBytes(head, 0, head.length);
                org.junit.jupiter.api.Assertions.assertEquals("HTTP/1.1 501", new String(head, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
    }

    private Server server;
    private ServerConnector connector;
    private ServerConnector https;
    private ContextHandlerCollection handlers;
    private final Map<String, WebAppContext> contexts = new HashMap<>();

    @BeforeEach
    void createJetty() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool(32, 4);
        threads.setName("jetty-war");
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);

        // The container owns TLS: a second connector, HTTPS, asking for (not requiring) a client certificate.
        TlsMaterial tls = TlsMaterial.get();
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.server);
        ssl.setKeyStorePassword(TlsMaterial.PASSWORD);
        ssl.setTrustStore(tls.trust);
        ssl.setWantClientAuth(true);
        HttpConfiguration secure = new HttpConfiguration();
        // The client connects to an IP address, so sends no SNI name to check against the certificate.
        secure.addCustomizer(new SecureRequestCustomizer(false));
        https = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(secure));
        https.setHost("127.0.0.1");
        https.setPort(0);
        server.addConnector(https);
        handlers = new ContextHandlerCollection();
        server.setHandler(handlers);
    }

    @Override
    void deploy(String contextPath, Map<String, String> params) throws Exception {
        String name = contextPath.equals("/") ? "ROOT" : contextPath.substring(1).replace('/', '_');
        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath(contextPath);
        webapp.setWar(war().toString());
        Path temp = Files.createDirectories(tmp.resolve("jetty").resolve(name));
        webapp.setTempDirectory(temp.toFile());
        // Child-first (Jetty's default for webapps): the WAR's own jetty-client, jetty-util… are
        // used; Jetty hides its server classes (org.eclipse.jetty.*) from the webapp anyway.
        webapp.setParentLoaderPriority(false);
        webapp.setClassLoader(new WebAppClassLoader(ContainerOnlyClassLoader.jetty(), webapp));
        // Deployment-time context-params go in an override descriptor, applied after the WAR's web.xml.
        // WebAppContext.setInitParameter would not do: a context-param that web.xml declares (as
        // sluice.war declares upstreams, strategy, preserveHost) replaces the programmatic value.
        webapp.addOverrideDescriptor(overrideDescriptor(temp.resolveSibling(name + "-override-web.xml"), params).toString());
        handlers.addHandler(webapp);
        contexts.put(contextPath, webapp);
    }

    private static Path overrideDescriptor(Path file, Map<String, String> params) throws Exception {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                """);
        params.forEach((name, value) -> xml.append("  <context-param><param-name>").append(escape(name))
                .append("</param-name><param-value>").append(escape(value)).append("</param-value></context-param>\n"));
        return Files.writeString(file, xml.append("</web-app>\n"));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    @Override
    void start() throws Exception {
        server.start();
    }

    @Override
    int port() {
        return connector.getLocalPort();
    }

    @Override
    int httpsPort() {
        return https.getLocalPort();
    }

    @Override
    boolean available(String contextPath) {
        WebAppContext webapp = contexts.get(contextPath);
        return webapp.isAvailable() && !webapp.isFailed() && webapp.getUnavailableException() == null;
    }

    @Override
    String startupFailure(String contextPath) {
        Throwable unavailable = contexts.get(contextPath).getUnavailableException();
        if (unavailable == null) {
            return null;
        }
        StringBuilder failure = new StringBuilder();
        for (Throwable t = unavailable; t != null; t = t.getCause()) {
            failure.append(t).append('\n');
        }
        return failure.toString();
    }

    @Override
    ClassLoader webappClassLoader(String contextPath) {
        return contexts.get(contextPath).getClassLoader();
    }

    @Override
    void undeploy(String contextPath) throws Exception {
        WebAppContext webapp = contexts.remove(contextPath);
        webapp.stop();
        handlers.removeHandler(webapp);
    }

    @Override
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Override
    Map<String, String> trickyExpectations() {
        Map<String, String> expected = new java.util.LinkedHashMap<>();
        expected.put("plain", "200 A /x");
        expected.put("encoded slash", "400"); // Jetty's default UriCompliance (set UriCompliance.UNSAFE or a custom one)
        expected.put("encoded percent", "400");
        expected.put("encoded NUL", "400");
        expected.put("encoded backslash", "400");
        expected.put("path parameters", "200 A /a;jsessionid=1/b;v=2");
        expected.put("double slash", "400");
        expected.put("dot segments", "200 A /p/../q");
        expected.put("encoded dot segments", "400");
        expected.put("above the root", "400");
        expected.put("unicode, encoded", "200 A /caf%C3%A9");
        expected.put("long path", "200 A /" + "a".repeat(7_000));
        expected.put("huge path", "414"); // Jetty: HttpConfiguration.requestHeaderSize (8 KiB)
        expected.put("absolute-form", "400"); // Jetty: HttpCompliance MISMATCHED_AUTHORITY
        expected.put("OPTIONS *", "404"); // Jetty itself: no context takes the target "*" (Sluice never sees it)
        expected.put("CONNECT", "501"); // SluiceFilter answers it
        expected.put("underscore header", "200 A /u");
        expected.put("Expect 100-continue", "200 A /e");
        expected.put("unknown Expect", "417");
        expected.put("HTTP/1.1 without Host", "400");
        expected.put("two Hosts", "400");
        return expected;
    }
}
