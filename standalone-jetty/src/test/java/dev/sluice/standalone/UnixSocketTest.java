package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.Transport;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unix-domain sockets on real sockets under a temporary directory: an HTTP backend (Jetty on a
 * {@code UnixDomainServerConnector}) and a TCP backend behind Sluice, and clients reaching Sluice's
 * own unix-socket entry point over HTTP/1.1 (JDK {@code SocketChannel}, and {@code curl --unix-socket})
 * and h2c (Jetty's HTTP/2 client over {@code Transport.TCPUnix}).
 */
class UnixSocketTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    /** "name path" of every request the HTTP backends got. */
    private final java.util.Queue<String> seen = new java.util.concurrent.ConcurrentLinkedQueue<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    /** A Jetty backend listening on {@code socket}, answering with its name, the path and query it got and the Host. */
    private Path httpBackend(String name, Path socket) throws Exception {
        Server server = new Server();
        org.eclipse.jetty.server.HttpConfiguration config = new org.eclipse.jetty.server.HttpConfiguration();
        config.setUriCompliance(org.eclipse.jetty.http.UriCompliance.UNSAFE); // shows the raw path Sluice sent, %2F included
        UnixDomainServerConnector connector = new UnixDomainServerConnector(server, new HttpConnectionFactory(config));
        connector.setUnixDomainPath(socket);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String query = request.getHttpURI().getQuery();
                seen.add(name + " " + request.getHttpURI().getPath());
                String body = name + " " + request.getHttpURI().getPath() + (query == null ? "" : "?" + query)
                        + " host=" + request.getHeaders().get("Host") + " xff=" + request.getHeaders().get("X-Forwarded-For")
                        + " port=" + request.getHeaders().get("X-Forwarded-Port");
                response.getHeaders().put("Content-Type", "text/plain");
                Content.Sink.write(response, true, body, callback);
                return true;
            }
        });
        server.start();
        closeables.add(server::stop);
        return socket;
    }

    private Sluice sluice(String toml) throws Exception {
        Sluice sluice = Sluice.start(toml);
        closeables.add(sluice);
        return sluice;
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void httpServersOnUnixSockets() throws Exception {
        Path a = httpBackend("a", dir.resolve("a.sock"));
        Path b = httpBackend("b", dir.resolve("b.sock"));
        Sluice sluice = sluice("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.plain]
                rule = "PathPrefix(`/plain`)"
                service = "plain"
                [http.routers.based]
                rule = "PathPrefix(`/based`)"
                service = "based"
                [http.services.plain.loadBalancer]
                passHostHeader = false
                [[http.services.plain.loadBalancer.servers]]
                url = "unix:%s"
                [http.services.based.loadBalancer]
                [http.services.based.loadBalancer.healthCheck]
                path = "/health"
                interval = "100ms"
                [[http.services.based.loadBalancer.servers]]
                url = "unix:%s:/base"
                preservePath = true
                """.formatted(a, b));

        HttpResponse<String> plain = get(sluice.uri("web", "/plain/x%2Fy?q=1"));
        assertEquals(200, plain.statusCode());
        assertEquals("a /plain/x%2Fy?q=1 host=localhost xff=127.0.0.1 port=" + sluice.port("web"), plain.body(), "raw path kept, Host of a unix server");
        HttpResponse<String> based = get(sluice.uri("web", "/based/z"));
        assertEquals(200, based.statusCode());
        assertEquals("b /base/based/z host=127.0.0.1:" + sluice.port("web") + " xff=127.0.0.1 port=" + sluice.port("web"), based.body(),
                "the base path after the socket, the client's Host passed on");
        // The active health check reaches b over its socket too (every 100ms).
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().filter("b /health"::equals).count() >= 2);
    }

    @Test
    void deadUnixServerIsA502() throws Exception {
        Path missing = dir.resolve("nobody.sock");
        Sluice sluice = sluice("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "unix:%s"
                """.formatted(missing));
        assertEquals(502, get(sluice.uri("web", "/")).statusCode());
    }

    @Test
    void tcpServerOnUnixSocket() throws Exception {
        Path socket = dir.resolve("echo.sock");
        ServerSocketChannel echo = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        echo.bind(UnixDomainSocketAddress.of(socket));
        closeables.add(echo);
        Thread acceptor = new Thread(() -> {
            while (echo.isOpen()) {
                try (SocketChannel channel = echo.accept()) {
                    ByteBuffer buffer = ByteBuffer.allocate(8192);
                    while (channel.read(buffer) >= 0) {
                        buffer.flip();
                        channel.write(buffer);
                        buffer.clear();
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }, "unix-echo");
        acceptor.setDaemon(true);
        acceptor.start();
        Sluice sluice = sluice("""
                [entryPoints.db]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.r]
                rule = "HostSNI(`*`)"
                service = "s"
                [tcp.services.s.loadBalancer]
                [[tcp.services.s.loadBalancer.servers]]
                address = "unix:%s"
                [tcp.services.s.loadBalancer.healthCheck]
                interval = "100ms"
                """.formatted(socket));
        try (Socket client = new Socket("127.0.0.1", sluice.port("db"))) {
            client.setSoTimeout(10_000);
            byte[] payload = new byte[256 * 1024];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) i;
            }
            Thread writer = new Thread(() -> {
                try {
                    client.getOutputStream().write(payload);
                    client.shutdownOutput();
                } catch (IOException ignored) {
                    // the reader fails the test
                }
            });
            writer.start();
            byte[] back = client.getInputStream().readAllBytes();
            writer.join(10_000);
            assertEquals(payload.length, back.length);
            assertTrue(java.util.Arrays.equals(payload, back), "the bytes came back through the unix socket");
        }
    }

    /** Sluice's entry point on a unix socket, HTTP/1.1 from a JDK SocketChannel, h2c from Jetty's HTTP/2 client. */
    @Test
    void entryPointOnUnixSocket() throws Exception {
        Path backend = httpBackend("a", dir.resolve("a.sock"));
        Path socket = dir.resolve("sluice.sock");
        Sluice sluice = sluice("""
                [entryPoints.local]
                address = "unix:%s"
                [entryPoints.local.unixSocket]
                mode = "0660"
                [http.routers.r]
                rule = "Host(`app.local`)"
                service = "s"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "unix:%s"
                """.formatted(socket, backend));
        assertEquals(java.util.Map.of("local", socket), sluice.server.unixSockets());
        assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));

        String answer = http11(socket, "GET /hello?x=1 HTTP/1.1\r\nHost: app.local\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
        assertTrue(answer.endsWith("a /hello?x=1 host=app.local xff=null port=80"), "a unix-socket client has no IP to forward: " + answer);
        assertTrue(http11(socket, "GET / HTTP/1.1\r\nHost: other\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 404 "));

        HTTP2Client http2 = new HTTP2Client();
        org.eclipse.jetty.client.HttpClient h2c = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(http2));
        h2c.start();
        closeables.add(h2c::stop);
        ContentResponse response = h2c.newRequest("http://app.local/h2").transport(new Transport.TCPUnix(socket))
                .timeout(10, TimeUnit.SECONDS).send();
        assertEquals(200, response.getStatus());
        assertEquals(HttpVersion.HTTP_2, response.getVersion());
        assertEquals("a /h2 host=app.local xff=null port=80", response.getContentAsString());

        sluice.close();
        closeables.remove(sluice);
        assertFalse(Files.exists(socket), "the socket file is removed on stop");
    }

    @Test
    void curlOverUnixSocket() throws Exception {
        Path curl = Tools.require("curl", "curl");
        Path backend = httpBackend("a", dir.resolve("a.sock"));
        Path socket = dir.resolve("sluice.sock");
        sluice("""
                [entryPoints.local]
                address = "unix:%s"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "s"
                [http.services.s.loadBalancer]
                [[http.services.s.loadBalancer.servers]]
                url = "unix:%s"
                """.formatted(socket, backend));
        for (String version : List.of("--http1.1", "--http2-prior-knowledge")) {
            Process process = new ProcessBuilder(curl.toString(), "-sS", version, "--max-time", "10", "--unix-socket", socket.toString(),
                    "http://curl.local/via-curl").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), out);
            assertEquals("a /via-curl host=curl.local xff=null port=80", out, version);
        }
    }

    @Test
    void staleSocketIsRemovedLiveOneIsNot() throws Exception {
        Path socket = dir.resolve("sluice.sock");
        // What a killed process leaves: a socket file nobody listens on.
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socket));
        dead.close();
        assertTrue(Files.exists(socket));
        String toml = """
                [entryPoints.local]
                address = "unix:%s"
                [http.routers.r]
                rule = "PathPrefix(`/`)"
                service = "noop@internal"
                """.formatted(socket);
        Sluice first = sluice(toml);
        assertTrue(http11(socket, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 "));

        // A second Sluice on the same live socket must not steal it.
        Exception inUse = assertThrows(Exception.class, () -> Sluice.start(toml).close());
        assertTrue(String.valueOf(inUse.getMessage()).contains("another process is listening on it"), String.valueOf(inUse));
        assertTrue(http11(socket, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 "),
                "the first one still serves");
        first.close();
        closeables.remove(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> !Files.exists(socket));

        Files.writeString(socket, "not a socket");
        Exception notSocket = assertThrows(Exception.class, () -> Sluice.start(toml).close());
        assertTrue(String.valueOf(notSocket.getMessage()).contains("a file that is no socket is in the way"), String.valueOf(notSocket));
        assertEquals("not a socket", Files.readString(socket), "a regular file is never removed");
    }

    /** One HTTP/1.1 exchange over the unix socket, answer read to the end (the request says Connection: close). */
    static String http11(Path socket, String request) throws IOException {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream out = Channels.newOutputStream(channel);
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = Channels.newInputStream(channel);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            in.transferTo(answer);
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
