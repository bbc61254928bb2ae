package dev.sluice.standalone;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The client's end of a WebSocket (Jetty's client): queues what arrives, and reads only on demand,
 * so a test can stop reading ({@link #pause}) to make a slow reader.
 */
public final class WsClientSocket implements Session.Listener {
    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteBuffer> binaries = new LinkedBlockingQueue<>();
    final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    final CountDownLatch closed = new CountDownLatch(1);
    final AtomicLong binaryBytes = new AtomicLong();
    volatile int closeCode;
    volatile String closeReason;
    volatile Session session;
    private volatile boolean paused;
    private volatile boolean demandOwed;

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        session.demand();
    }

    @Override
    public void onWebSocketText(String message) {
        texts.add(message);
        demand();
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        binaryBytes.addAndGet(payload.remaining());
        binaries.add(ByteBuffer.allocate(payload.remaining()).put(payload).flip());
        callback.succeed();
        demand();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        pongs.add(ByteBuffer.allocate(payload.remaining()).put(payload).flip());
        demand();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        demand(); // Jetty answers pings itself
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        closeCode = statusCode;
        closeReason = reason;
        closed.countDown();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        closed.countDown();
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        if (demandOwed) {
            demandOwed = false;
            session.demand();
        }
    }

    private void demand() {
        if (paused) {
            demandOwed = true;
        } else {
            session.demand();
        }
    }

    String nextText() throws InterruptedException {
        return texts.poll(10, TimeUnit.SECONDS);
    }

    boolean awaitClose() throws InterruptedException {
        return closed.await(10, TimeUnit.SECONDS);
    }
}
