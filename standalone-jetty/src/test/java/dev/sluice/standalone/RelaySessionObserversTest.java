package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.observe.Session;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The standalone server passes its runtime's session observers to the relay: TCP connections are
 * reported, across a reload, and connections a shared entry point hands to HTTP are not (the
 * HTTP side reports their exchanges).
 */
class RelaySessionObserversTest {
    private static final String CONFIG = """
            [entryPoints.raw]
            address = "127.0.0.1:0/tcp"
            [entryPoints.web]
            address = "127.0.0.1:0"
            [tcp.routers.echo]
            rule = "HostSNI(`*`)"
            service = "echo"
            entryPoints = ["raw"]
            [[tcp.services.echo.loadBalancer.servers]]
            address = "127.0.0.1:%d"
            [tcp.routers.never]
            rule = "ClientIP(`203.0.113.0/24`)"
            service = "echo"
            entryPoints = ["web"]
            [http.routers.site]
            rule = "PathPrefix(`/`)"
            service = "site"
            entryPoints = ["web"]
            [[http.services.site.loadBalancer.servers]]
            url = "%s"
            """;

    private final List<Session> ended = new CopyOnWriteArrayList<>();

    private static String echoOnce(int port, String text) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(text.getBytes());
            if (!text.startsWith("GET")) {
                socket.shutdownOutput(); // the echo ends with the half-close; HTTP closes by itself
            }
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes());
        }
    }

    /** Echoes each connection until the client half-closes. */
    private static ServerSocket echoServer() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.getInputStream().transferTo(socket.getOutputStream());
                } catch (IOException e) {
                    // closed: the test is over
                }
            }
        }, "echo");
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }

    @Test
    void tcpSessionsReachTheRuntimesObserversAcrossAReloadAndHttpHandOffsDoNot() throws Exception {
        try (ServerSocket echo = echoServer();
                Backend site = new Backend("site");
                Sluice sluice = Sluice.start(CONFIG.formatted(echo.getLocalPort(), site.url()))) {
            sluice.server.runtime().sessionObservers().add(ended::add);
            assertEquals("abc", echoOnce(sluice.port("raw"), "abc"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ended.size() == 1);
            assertEquals("echo", ended.get(0).router());
            assertEquals("raw", ended.get(0).entryPoint());
            assertEquals(3, ended.get(0).bytesIn());

            // Through the relay's hand-off to HTTP, to the end of the connection: had the relay reported it,
            // it would be reported before the next TCP session (one reactor thread, in order).
            String answer = echoOnce(sluice.port("web"), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);

            sluice.server.reload(dev.sluice.proxy.config.ConfigLoader.parse(
                    CONFIG.formatted(echo.getLocalPort(), site.url()).replace("entryPoints = [\"raw\"]", "entryPoints = [\"raw\"]\npriority = 5"),
                    "test.toml"));
            assertEquals("defg", echoOnce(sluice.port("raw"), "defg"));
            await().atMost(Duration.ofSeconds(10)).until(() -> ended.size() >= 2);
            assertEquals(4, ended.get(1).bytesIn());
            assertTrue(ended.stream().allMatch(s -> s.entryPoint().equals("raw")), "the hand-off to HTTP is not a session: " + ended);
            assertEquals(2, ended.size(), ended.toString());
        }
    }
}
