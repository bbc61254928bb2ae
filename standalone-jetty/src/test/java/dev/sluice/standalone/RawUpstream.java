package dev.sluice.standalone;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** An upstream that misbehaves at the socket level: reads the request head, does {@code action}, closes. */
final class RawUpstream implements AutoCloseable {
    interface Action {
        void on(Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final Thread acceptor;

    RawUpstream(Action action) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    socket.setSoTimeout(5000);
                    readHead(socket);
                    action.on(socket);
                } catch (IOException e) {
                    // closed, or the proxy hung up: next connection
                }
            }
        }, "raw-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private static void readHead(Socket socket) throws IOException {
        var in = socket.getInputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
