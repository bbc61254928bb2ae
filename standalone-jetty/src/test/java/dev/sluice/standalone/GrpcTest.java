package dev.sluice.standalone;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.proxy.tls.Certs;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC end to end through Sluice with grpc-java on both sides: an h2c upstream, clients over h2c and
 * over h2 with TLS (an HTTPS entry point), the four kinds of call, deadlines, error statuses and
 * trailers, 10 MB messages, the client's {@code :authority}, and the gRPC health-check mode against
 * grpc-java's health service.
 */
class GrpcTest {

    @TempDir
    Path dir;

    private GrpcBackend backend;
    private Sluice sluice;
    private final List<ManagedChannel> channels = new ArrayList<>();

    @BeforeEach
    void backend() throws Exception {
        backend = new GrpcBackend();
    }

    @AfterEach
    void stop() throws Exception {
        for (ManagedChannel channel : channels) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (sluice != null) {
            sluice.close();
        }
        backend.close();
    }

    private void start(String extra) throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.grpc]
                rule = "PathPrefix(`/`)"
                service = "grpc"
                [[http.services.grpc.loadBalancer.servers]]
                url = "h2c://127.0.0.1:%d"
                """.formatted(backend.port()) + extra);
    }

    private ManagedChannel channel(int port, ChannelCredentials credentials, String authority) {
        var builder = Grpc.newChannelBuilderForAddress("127.0.0.1", port, credentials).maxInboundMessageSize(GrpcBackend.MAX_MESSAGE);
        if (authority != null) {
            builder.overrideAuthority(authority);
        }
        ManagedChannel channel = builder.build();
        channels.add(channel);
        return channel;
    }


    private ManagedChannel plain() {
        return channel(sluice.port("web"), InsecureChannelCredentials.create(), null);
    }

    @Test
    void unaryServerClientAndBidiStreamingOverH2c() throws Exception {
        start("");
        ManagedChannel channel = plain();
        assertEquals("hello", GrpcBackend.call(channel, GrpcBackend.UNARY, "hello", GrpcClients.deadline()));
        GrpcClients.allFourKinds(channel);
    }

    @Test
    void errorStatusMessageAndTrailersReachTheClientIntact() throws Exception {
        start("");
        ManagedChannel channel = plain();
        String message = "not here: 100% ✓ \"quoted\"";
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                () -> GrpcBackend.call(channel, GrpcBackend.UNARY, "status:5:" + message, GrpcClients.deadline()));
        assertEquals(Status.Code.NOT_FOUND, failure.getStatus().getCode());
        assertEquals(message, failure.getStatus().getDescription());
        assertNotNull(failure.getTrailers());
        assertEquals("detail 5", failure.getTrailers().get(GrpcBackend.DETAIL));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xFF}, failure.getTrailers().get(GrpcBackend.DETAIL_BIN));

        StatusRuntimeException internal = assertThrows(StatusRuntimeException.class,
                () -> GrpcBackend.call(channel, GrpcBackend.UNARY, "status:13:boom", GrpcClients.deadline()));
        assertEquals(Status.Code.INTERNAL, internal.getStatus().getCode());
        assertEquals("boom", internal.getStatus().getDescription());
        assertEquals("ok", GrpcBackend.call(channel, GrpcBackend.UNARY, "ok", GrpcClients.deadline()), "the connection is still good");
    }

    @Test
    void clientDeadlineEndsTheCallUpstreamToo() throws Exception {
        start("");
        ManagedChannel channel = plain();
        long begin = System.nanoTime();
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                () -> GrpcBackend.call(channel, GrpcBackend.HANG, "x", CallOptions.DEFAULT.withDeadlineAfter(500, TimeUnit.MILLISECONDS)));
        long millis = (System.nanoTime() - begin) / 1_000_000;
        assertEquals(Status.Code.DEADLINE_EXCEEDED, failure.getStatus().getCode());
        assertTrue(millis < 10_000, "took " + millis + " ms");
        // grpc-timeout went upstream and the client's RST_STREAM was passed on: the server saw the call cancelled.
        assertTrue(backend.awaitHangCancelled(5), "the upstream call was cancelled");
        assertEquals("after", GrpcBackend.call(channel, GrpcBackend.UNARY, "after", GrpcClients.deadline()));
    }

    @Test
    void tenMegabyteMessagesBothWays() throws Exception {
        start("");
        ManagedChannel channel = plain();
        byte[] big = new byte[10 * 1024 * 1024];
        new Random(15).nextBytes(big);
        byte[] echoed = ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), big);
        assertArrayEquals(big, echoed);

        Iterator<byte[]> split = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.SPLIT,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), "3,10485760".getBytes(StandardCharsets.UTF_8));
        int count = 0;
        while (split.hasNext()) {
            assertEquals(10 * 1024 * 1024, split.next().length);
            count++;
        }
        assertEquals(3, count);
    }

    /**
     * A client that reads nothing holds the server back: Sluice passes flow control on (it asks the
     * upstream for more only when the client took the last chunk) instead of buffering the stream.
     */
    @Test
    void aSlowReaderHoldsTheServerBackThroughTheProxy() throws Exception {
        start("");
        ManagedChannel channel = plain();
        int total = 200; // 200 MiB if nothing pushed back
        io.grpc.ClientCall<byte[], byte[]> call = channel.newCall(GrpcBackend.FLOOD, CallOptions.DEFAULT.withDeadlineAfter(120, TimeUnit.SECONDS));
        java.util.concurrent.atomic.AtomicInteger received = new java.util.concurrent.atomic.AtomicInteger();
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new io.grpc.ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                received.incrementAndGet();
            }

            @Override
            public void onClose(Status status, io.grpc.Metadata trailers) {
                closed.complete(status);
            }
        }, new io.grpc.Metadata());
        call.sendMessage(String.valueOf(total).getBytes(StandardCharsets.UTF_8));
        call.halfClose(); // no call.request(): the client takes no message yet
        // Wait until the server is held back for good: pushed back, and nothing more sent for 2 s.
        int[] last = {-1};
        await().atMost(Duration.ofSeconds(60)).during(Duration.ofSeconds(2)).until(() -> {
            int now = backend.floodSent();
            boolean same = now == last[0];
            last[0] = now;
            return same && now > 0 && backend.floodStalled();
        });
        int sent = backend.floodSent();
        // The windows on the way: the client's, Sluice's upstream stream window, and a few buffers.
        assertTrue(sent < 40, "the server could send " + sent + " MiB to a client that read nothing");
        assertEquals(0, received.get());
        call.request(total);
        assertEquals(Status.Code.OK, closed.get(120, TimeUnit.SECONDS).getCode());
        assertEquals(total, received.get());
    }

    @Test
    void manyConcurrentCallsShareTheConnectionsAndKeepTheirMessagesApart() throws Exception {
        start("");
        ManagedChannel channel = plain();
        List<CompletableFuture<byte[]>> calls = new ArrayList<>();
        List<byte[]> sent = new ArrayList<>();
        Random random = new Random(15);
        for (int i = 0; i < 100; i++) {
            byte[] message = new byte[100_000 + i];
            random.nextBytes(message);
            sent.add(message);
            CompletableFuture<byte[]> answer = new CompletableFuture<>();
            ClientCalls.asyncUnaryCall(channel.newCall(GrpcBackend.UNARY, GrpcClients.deadline()), message, new StreamObserver<>() {
                @Override
                public void onNext(byte[] value) {
                    answer.complete(value);
                }

                @Override
                public void onError(Throwable t) {
                    answer.completeExceptionally(t);
                }

                @Override
                public void onCompleted() {}
            });
            calls.add(answer);
        }
        for (int i = 0; i < calls.size(); i++) {
            assertArrayEquals(sent.get(i), calls.get(i).get(30, TimeUnit.SECONDS), "call " + i);
        }
    }

    @Test
    void aClientCancellingAStreamMidwayCancelsItUpstream() throws Exception {
        start("");
        ManagedChannel channel = plain();
        io.grpc.ClientCall<byte[], byte[]> call = channel.newCall(GrpcBackend.CHAT, GrpcClients.deadline());
        LinkedBlockingQueue<String> answers = new LinkedBlockingQueue<>();
        CompletableFuture<Status> closed = new CompletableFuture<>();
        call.start(new io.grpc.ClientCall.Listener<>() {
            @Override
            public void onMessage(byte[] message) {
                answers.add(new String(message, StandardCharsets.UTF_8));
                call.request(1);
            }

            @Override
            public void onClose(Status status, io.grpc.Metadata trailers) {
                closed.complete(status);
            }
        }, new io.grpc.Metadata());
        call.request(1);
        call.sendMessage("one".getBytes(StandardCharsets.UTF_8));
        assertEquals("re:one", answers.poll(30, TimeUnit.SECONDS));
        call.cancel("client gave up", null);
        assertEquals(Status.Code.CANCELLED, closed.get(30, TimeUnit.SECONDS).getCode());
        assertTrue(backend.awaitChatCancelled(10), "the upstream stream was reset too");
    }

    @Test
    void h2cUpstreamSeesTheClientsAuthorityWithPassHostHeader() throws Exception {
        start("");
        ManagedChannel channel = channel(sluice.port("web"), InsecureChannelCredentials.create(), "grpc.example.com:8443");
        assertEquals("grpc.example.com:8443", GrpcBackend.call(channel, GrpcBackend.AUTHORITY, "", GrpcClients.deadline()));
        ManagedChannel noPort = channel(sluice.port("web"), InsecureChannelCredentials.create(), "api.example.com");
        assertEquals("api.example.com", GrpcBackend.call(noPort, GrpcBackend.AUTHORITY, "", GrpcClients.deadline()));
        // Both share the one upstream connection pool: the authority is a request's, not a destination's.
        assertEquals("ok", GrpcBackend.call(channel, GrpcBackend.UNARY, "ok", GrpcClients.deadline()));
    }

    @Test
    void withoutPassHostHeaderTheAuthorityIsTheServers() throws Exception {
        start("[http.services.grpc.loadBalancer]\npassHostHeader = false\n");
        ManagedChannel channel = channel(sluice.port("web"), InsecureChannelCredentials.create(), "grpc.example.com");
        assertEquals("127.0.0.1:" + backend.port(), GrpcBackend.call(channel, GrpcBackend.AUTHORITY, "", GrpcClients.deadline()));
    }

    @Test
    void h2OverTlsOnTheClientSide() throws Exception {
        Certs.Issued ca = Certs.ca("gRPC Test CA");
        Certs.Issued leaf = Certs.leaf(ca, "grpc.test", List.of("dns:grpc.test"));
        Path caFile = ca.writeCert(dir.resolve("ca.pem"));
        start("""
                [entryPoints.websecure]
                address = "127.0.0.1:0"
                [entryPoints.websecure.http.tls]
                [[tls.certificates]]
                certFile = "%s"
                keyFile = "%s"
                """.formatted(leaf.writeCert(dir.resolve("grpc.pem")), leaf.writeKey(dir.resolve("grpc.key"))));
        ManagedChannel channel = channel(sluice.port("websecure"), TlsChannelCredentials.newBuilder().trustManager(caFile.toFile()).build(),
                "grpc.test");
        assertEquals("secure", GrpcBackend.call(channel, GrpcBackend.UNARY, "secure", GrpcClients.deadline()));
        assertEquals("grpc.test", GrpcBackend.call(channel, GrpcBackend.AUTHORITY, "", GrpcClients.deadline()));
        GrpcClients.allFourKinds(channel);
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                () -> GrpcBackend.call(channel, GrpcBackend.UNARY, "status:7:denied", GrpcClients.deadline()));
        assertEquals(Status.Code.PERMISSION_DENIED, failure.getStatus().getCode());
        assertEquals("denied", failure.getStatus().getDescription());
    }

    @Test
    void anHttpsUpstreamSpeakingH2() throws Exception {
        Certs.Issued ca = Certs.ca("gRPC Upstream CA");
        Certs.Issued leaf = Certs.leaf(ca, "localhost", List.of("dns:localhost"));
        try (GrpcBackend secure = new GrpcBackend(leaf.writeCert(dir.resolve("up.pem")).toFile(),
                leaf.writeKey(dir.resolve("up.key")).toFile())) {
            sluice = Sluice.start("""
                    [entryPoints.web]
                    address = "127.0.0.1:0"
                    [http.routers.grpc]
                    rule = "PathPrefix(`/`)"
                    service = "grpc"
                    [http.services.grpc.loadBalancer]
                    serversTransport = "tls"
                    [[http.services.grpc.loadBalancer.servers]]
                    url = "https://localhost:%d"
                    [http.serversTransports.tls]
                    rootCAs = ["%s"]
                    """.formatted(secure.port(), ca.writeCert(dir.resolve("up-ca.pem"))));
            ManagedChannel channel = channel(sluice.port("web"), InsecureChannelCredentials.create(), "grpc.example.com");
            assertEquals("over tls", GrpcBackend.call(channel, GrpcBackend.UNARY, "over tls", GrpcClients.deadline()));
            // The client's :authority (passHostHeader), while SNI and the certificate check still use the server's name.
            assertEquals("grpc.example.com", GrpcBackend.call(channel, GrpcBackend.AUTHORITY, "", GrpcClients.deadline()));
            GrpcClients.allFourKinds(channel);
            StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                    () -> GrpcBackend.call(channel, GrpcBackend.UNARY, "status:9:precondition", GrpcClients.deadline()));
            assertEquals(Status.Code.FAILED_PRECONDITION, failure.getStatus().getCode());
            assertEquals("precondition", failure.getStatus().getDescription());
        }
    }

    @Test
    void grpcHealthCheckTakesTheServerOutAndBackIn() throws Exception {
        sluice = Sluice.start("""
                [entryPoints.web]
                address = "127.0.0.1:0"
                [http.routers.grpc]
                rule = "PathPrefix(`/`)"
                service = "grpc"
                [http.services.grpc.loadBalancer]
                healthCheck = {path = "/", mode = "grpc", interval = "200ms", timeout = "1s"}
                [[http.services.grpc.loadBalancer.servers]]
                url = "h2c://127.0.0.1:%d"
                """.formatted(backend.port()));
        ManagedChannel channel = plain();
        assertEquals("up", GrpcBackend.call(channel, GrpcBackend.UNARY, "up", GrpcClients.deadline()));
        backend.serving(false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                    () -> GrpcBackend.call(channel, GrpcBackend.UNARY, "down?", GrpcClients.deadline()));
            // Sluice's own 503 (no healthy server), which grpc-java reads as UNAVAILABLE.
            assertEquals(Status.Code.UNAVAILABLE, failure.getStatus().getCode());
            assertTrue(failure.getStatus().getDescription().contains("503"), failure.getStatus().getDescription());
        });
        backend.serving(true);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertEquals("back", GrpcBackend.call(channel, GrpcBackend.UNARY, "back", GrpcClients.deadline())));
    }
}
