package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.proxy.config.ConfigLoader;
import dev.sluice.proxy.runtime.ConfigWatcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file provider's directory watched live, and TCP routes reloaded without cutting established connections. */
class ProviderReloadTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private Watched watched;
    private EmbeddedServer sluice;
    private ConfigWatcher watcher;

    @AfterEach
    void close() throws Exception {
        if (watched != null) {
            watched.close();
        }
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private void watch(Path file) throws Exception {
        watched = Watched.start(file);
        sluice = watched.server;
        watcher = watched.watcher;
    }

    private int status(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sluice.port("web") + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String router(String name, String path, String url) {
        return """
                [http.routers.%1$s]
                rule = "Path(`%2$s`)"
                service = "%1$s"
                [[http.services.%1$s.loadBalancer.servers]]
                url = "%3$s"
                """.formatted(name, path, url);
    }

    @Test
    void aWatchedDirectoryFollowsNewFilesSymlinkSwapsAndAReplacedDirectory() throws Exception {
        Backend a = new Backend("a");
        open.add(a);
        Path dynamic = dir.resolve("dynamic");
        Files.createDirectories(dynamic.resolve("nested"));
        Files.writeString(dynamic.resolve("nested/a.yaml"), """
                http:
                  routers:
                    a: {rule: "Path(`/a`)", service: a}
                  services:
                    a:
                      loadBalancer:
                        servers: [{url: "%s"}]
                """.formatted(a.url()));
        Path main = dir.resolve("sluice.toml");
        Files.writeString(main, """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [providers]
                providersThrottleDuration = "0s"
                [providers.file]
                directory = "dynamic"
                """);
        watch(main);
        assertEquals(200, status("/a"), "a file in a subdirectory");

        Files.writeString(dynamic.resolve("b.toml"), router("b", "/b", a.url()));
        await().atMost(Duration.ofSeconds(2)).until(() -> status("/b") == 200);

        // A Kubernetes ConfigMap: versioned hidden directories, ..data linking to the current one, files linked through it.
        Path v1 = Files.createDirectory(dynamic.resolve("..v1"));
        Files.writeString(v1.resolve("c.toml"), router("c", "/c1", a.url()));
        Files.createSymbolicLink(dynamic.resolve("..data"), Path.of("..v1"));
        Files.createSymbolicLink(dynamic.resolve("c.toml"), Path.of("..data/c.toml"));
        await().atMost(Duration.ofSeconds(2)).until(() -> status("/c1") == 200);
        Path v2 = Files.createDirectory(dynamic.resolve("..v2"));
        Files.writeString(v2.resolve("c.toml"), router("c", "/c2", a.url()));
        Files.createSymbolicLink(dynamic.resolve("..data_tmp"), Path.of("..v2"));
        Files.move(dynamic.resolve("..data_tmp"), dynamic.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await().atMost(Duration.ofSeconds(2)).until(() -> status("/c2") == 200 && status("/c1") == 404);

        // The whole directory replaced by another.
        Path next = Files.createDirectory(dir.resolve("dynamic.next"));
        Files.writeString(next.resolve("d.toml"), router("d", "/d", a.url()));
        Files.move(dynamic, dir.resolve("dynamic.old"));
        Files.move(next, dynamic);
        await().atMost(Duration.ofSeconds(2)).until(() -> status("/d") == 200 && status("/a") == 404);
        assertEquals(0, watcher.rejected());
    }

    @Test
    void aResourceDefinedDifferentlyInTwoFilesIsDroppedAndTheRestApplies() throws Exception {
        Backend a = new Backend("a");
        open.add(a);
        Path dynamic = Files.createDirectory(dir.resolve("dynamic"));
        Files.writeString(dynamic.resolve("one.toml"), router("same", "/same", a.url()) + router("dup", "/dup-one", a.url()));
        Files.writeString(dynamic.resolve("two.toml"), router("same", "/same", a.url()) + router("dup", "/dup-two", a.url())
                + router("other", "/other", a.url()));
        Path main = dir.resolve("sluice.toml");
        Files.writeString(main, """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [providers.file]
                directory = "dynamic"
                """);
        watch(main);
        assertEquals(200, status("/same"), "the same definition twice is one");
        assertEquals(200, status("/other"));
        assertEquals(404, status("/dup-one"), "two different definitions: dropped");
        assertEquals(404, status("/dup-two"));
    }

    @Test
    void reloadNowAppliesAChangeTheThrottleIsHoldingBack() throws Exception {
        Backend a = new Backend("a");
        open.add(a);
        Path main = dir.resolve("sluice.toml");
        String head = """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [providers]
                providersThrottleDuration = "1m"
                """;
        Files.writeString(main, head + router("one", "/one", a.url()));
        watch(main);
        Files.writeString(main, head + router("two", "/two", a.url()));
        await().atMost(Duration.ofSeconds(2)).until(watcher::changePending);
        assertEquals(404, status("/two"), "held back for providersThrottleDuration");
        watcher.reloadNow(); // what SIGHUP does
        await().atMost(Duration.ofSeconds(2)).until(() -> status("/two") == 200);
    }

    /** A TCP server answering each line with its name and the line. */
    private int lineServer(String name) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        open.add(server);
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    open.add(socket);
                    Thread connection = new Thread(() -> {
                        try (socket; var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                            PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                            for (String line; (line = in.readLine()) != null; ) {
                                out.println(name + ":" + line);
                            }
                        } catch (IOException ignored) {
                            // the connection ended
                        }
                    });
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException ignored) {
                    // closed
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    private static String tcpConfig(int port) {
        return """
                [entryPoints.web]
                address = "127.0.0.1:0"
                [entryPoints.db]
                address = "127.0.0.1:0/tcp"
                [tcp.routers.db]
                rule = "HostSNI(`*`)"
                entryPoints = ["db"]
                service = "db"
                [[tcp.services.db.loadBalancer.servers]]
                address = "127.0.0.1:%d"
                """.formatted(port);
    }

    @Test
    void aTcpRouteChangeLeavesTheEstablishedConnectionOnItsServer() throws Exception {
        int a = lineServer("a");
        int b = lineServer("b");
        Path main = dir.resolve("sluice.toml");
        Files.writeString(main, tcpConfig(a));
        watch(main);
        int port = sluice.port("db");
        try (Socket established = new Socket(InetAddress.getLoopbackAddress(), port)) {
            established.setSoTimeout(5_000);
            var in = new BufferedReader(new InputStreamReader(established.getInputStream(), StandardCharsets.UTF_8));
            PrintWriter out = new PrintWriter(established.getOutputStream(), true, StandardCharsets.UTF_8);
            out.println("1");
            assertEquals("a:1", in.readLine());

            sluice.reload(ConfigLoader.load(List.of(Files.writeString(main, tcpConfig(b)))));
            assertEquals(port, sluice.port("db"), "the entry point kept its listener");
            try (Socket fresh = new Socket(InetAddress.getLoopbackAddress(), port)) {
                fresh.setSoTimeout(5_000);
                new PrintWriter(fresh.getOutputStream(), true, StandardCharsets.UTF_8).println("1");
                assertEquals("b:1", new BufferedReader(new InputStreamReader(fresh.getInputStream(), StandardCharsets.UTF_8)).readLine(),
                        "a new connection takes the new route");
            }
            out.println("2");
            assertEquals("a:2", in.readLine(), "the established connection still relays to its server");
        }
    }
}
