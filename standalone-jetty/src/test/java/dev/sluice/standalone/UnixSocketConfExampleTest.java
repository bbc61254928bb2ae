package dev.sluice.standalone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/unix-sockets.toml behaves as its comments say, with /run/ moved into a temporary directory. */
class UnixSocketConfExampleTest {
    @TempDir
    Path dir;

    @Test
    void unixSocketsExample() throws Exception {
        String text = Files.readString(Path.of("..", "conf", "unix-sockets.toml"))
                .replace("/run/", dir + "/")
                .replace("\":8080\"", "\"127.0.0.1:0\"")
                .replace("\":5432/tcp\"", "\"127.0.0.1:0/tcp\"");
        for (String sub : new String[] {"sluice", "app", "postgresql"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        Server app = new Server();
        UnixDomainServerConnector connector = new UnixDomainServerConnector(app, new HttpConnectionFactory());
        connector.setUnixDomainPath(dir.resolve("app/app.sock"));
        app.addConnector(connector);
        app.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, "app " + request.getHttpURI().getPath() + " " + request.getHeaders().get("Host"), callback);
                return true;
            }
        });
        app.start();
        ServerSocketChannel pg = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        pg.bind(UnixDomainSocketAddress.of(dir.resolve("postgresql/.s.PGSQL.5432")));
        Thread greeter = new Thread(() -> {
            try (SocketChannel channel = pg.accept()) {
                channel.write(ByteBuffer.wrap("pg here\n".getBytes(StandardCharsets.US_ASCII)));
            } catch (IOException closed) {
                // the test's assertion reports it
            }
        });
        greeter.setDaemon(true);
        greeter.start();
        try (Sluice sluice = Sluice.start(text)) {
            Path socket = dir.resolve("sluice/sluice.sock");
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            String answer = UnixSocketTest.http11(socket, "GET /users HTTP/1.1\r\nHost: app.local\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("app /v2/users app.local"), answer);
            try (Socket client = new Socket("127.0.0.1", sluice.port("pg"))) {
                client.setSoTimeout(10_000);
                byte[] greeting = new byte[8];
                assertEquals(8, client.getInputStream().readNBytes(greeting, 0, 8));
                assertEquals("pg here\n", new String(greeting, StandardCharsets.US_ASCII));
            }
        } finally {
            pg.close();
            app.stop();
        }
        assertTrue(!Files.exists(dir.resolve("sluice/sluice.sock")), "removed on stop");
    }
}
