package dev.sluice.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake upstream that misbehaves on purpose, scripted per connection: a plain {@link ServerSocket}
 * on loopback, one daemon thread per accepted connection (so a hanging script never blocks the
 * next one). A script gets the connection and its number (0 for the first) and does what it wants
 * with it; {@link Conn#readHead()} reads one request head. The socket is closed when the script
 * returns, or when {@link #close()} releases a script that waits in {@link Conn#hang()}.
 *
 * <pre>{@code
 * try (FaultyUpstream up = new FaultyUpstream(c -> { c.readHead(); c.write("HTTP/1.1 banana\r\n\r\n"); })) {
 *     // a server url of "http://127.0.0.1:" + up.port()
 * }
 * }</pre>
 */
final class FaultyUpstream implements AutoCloseable {
    /** Thread names start with this: leak counts leave the fake upstream's own threads out. */
    static final String THREAD_PREFIX = ResourceCensus.TEST_THREADS + "upstream-";

    interface Script {
        void run(Conn connection) throws IOException, InterruptedException;
    }

    /** One accepted connection. */
    final class Conn {
        final Socket socket;
        final int number;

        private Conn(Socket socket, int number) {
            this.socket = socket;
            this.number = number;
        }

        /** Reads one request head; its request line and headers, or null if the peer closed first. */
        String readHead() throws IOException {
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            heads.add(text.substring(0, text.indexOf("\r\n")));
            return text;
        }

        /** Reads and drops {@code length} body bytes. */
        void skip(long length) throws IOException {
            socket.getInputStream().skipNBytes(length);
        }

        void write(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
        }

        /** Closes with a TCP RST instead of a FIN. */
        void reset() throws IOException {
            socket.setSoLinger(true, 0);
            socket.close();
        }

        /** Waits, doing nothing, until the upstream is closed. */
        void hang() throws InterruptedException {
            closed.await();
        }
    }

    /** Sockets the fake upstreams hold open, all instances together: the census leaves them out. */
    private static final AtomicInteger OPEN_SOCKETS = new AtomicInteger();

    private final ServerSocket server;
    private final Script script;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch closed = new CountDownLatch(1);

    FaultyUpstream(Script script) throws IOException {
        this.script = script;
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, THREAD_PREFIX + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                open.add(socket);
                OPEN_SOCKETS.incrementAndGet();
                Conn conn = new Conn(socket, accepted.getAndIncrement());
                Thread worker = new Thread(() -> serve(conn), THREAD_PREFIX + server.getLocalPort() + "-" + conn.number);
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Conn conn) {
        try (Socket socket = conn.socket) {
            socket.setSoTimeout(20_000); // a script that waits for bytes never outlives a test by much
            script.run(conn);
        } catch (IOException | InterruptedException e) {
            // the proxy hung up, or the script was released by close()
        } finally {
            if (open.remove(conn.socket)) {
                OPEN_SOCKETS.decrementAndGet();
            }
        }
    }

    /** Accepted sockets still open, of every fake upstream. */
    static int openSockets() {
        return OPEN_SOCKETS.get();
    }

    int port() {
        return server.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Connections accepted so far. */
    int connections() {
        return accepted.get();
    }

    /** Request lines read so far, in order ({@code GET /x HTTP/1.1}). */
    List<String> requestLines() {
        return List.copyOf(heads);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        server.close();
        for (Socket socket : open) {
            socket.close(); // the worker's finally counts it
        }
    }
}
