package dev.sluice.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Test upstream: a blocking TCP server on 127.0.0.1, a thread per connection running {@code handler}. */
final class TcpBackend implements AutoCloseable {
    /** What the backend does with one accepted connection. */
    @FunctionalInterface
    interface Handler {
        void handle(Socket socket) throws Exception;
    }

    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    final AtomicInteger accepted = new AtomicInteger();

    TcpBackend(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    accepted.incrementAndGet();
                    open.add(socket);
                    Thread worker = new Thread(() -> {
                        try {
                            handler.handle(socket);
                        } catch (Exception ignored) {
                            // the test sees the effect on the wire
                        } finally {
                            try {
                                socket.close();
                            } catch (IOException ignored) {
                                // closing anyway
                            }
                        }
                    }, "backend-" + server.getLocalPort());
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "backend-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Echoes every byte until the client half-closes, then closes. */
    static TcpBackend echo() throws IOException {
        return new TcpBackend(socket -> socket.getInputStream().transferTo(socket.getOutputStream()));
    }

    /** Writes {@code greeting} on connect, then echoes. */
    static TcpBackend greeting(String greeting) throws IOException {
        return new TcpBackend(socket -> {
            socket.getOutputStream().write(greeting.getBytes());
            socket.getOutputStream().flush();
            socket.getInputStream().transferTo(socket.getOutputStream());
        });
    }

    int port() {
        return server.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }
}
