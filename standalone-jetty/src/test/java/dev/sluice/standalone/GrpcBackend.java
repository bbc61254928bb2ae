package dev.sluice.standalone;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: a grpc-java server (Netty, h2c) on 127.0.0.1 with one hand-written service, so no
 * protoc is needed: messages are raw bytes. {@code sluice.test.Echo} has
 * <ul>
 *   <li>{@code Unary}: echoes the request; {@code status:CODE:MESSAGE} instead fails with that status
 *   and message, and trailer {@code x-detail: MESSAGE} (binary {@code x-detail-bin} too);</li>
 *   <li>{@code Split} (server streaming): {@code N,SIZE} gives N messages of SIZE bytes, each filled
 *   with its index; {@code N,SIZE,fail} then fails with ABORTED {@code after N};</li>
 *   <li>{@code Join} (client streaming): {@code MESSAGES,BYTES} of what it received;</li>
 *   <li>{@code Chat} (bidi): each message echoed at once, prefixed with {@code re:};
 *   {@link #awaitChatCancelled} tells when a caller cancelled one;</li>
 *   <li>{@code Hang}: never answers; {@link #awaitHangCancelled} tells when the caller cancelled;</li>
 *   <li>{@code Authority}: the {@code :authority} the server saw;</li>
 *   <li>{@code Flood} (server streaming): {@code N} messages of 1 MiB, each sent only while the
 *   transport says it is ready (flow control); {@link #floodSent} counts them, {@link #floodStalled}
 *   tells whether the transport pushed back since the last message.</li>
 * </ul>
 * and grpc-java's own health service ({@code grpc.health.v1.Health}), driven by {@link #serving}.
 */
final class GrpcBackend implements AutoCloseable {
    static final String SERVICE = "sluice.test.Echo";
    /** Messages as they are: no protobuf. */
    static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<byte[], byte[]> UNARY = method(MethodType.UNARY, "Unary");
    static final MethodDescriptor<byte[], byte[]> SPLIT = method(MethodType.SERVER_STREAMING, "Split");
    static final MethodDescriptor<byte[], byte[]> JOIN = method(MethodType.CLIENT_STREAMING, "Join");
    static final MethodDescriptor<byte[], byte[]> CHAT = method(MethodType.BIDI_STREAMING, "Chat");
    static final MethodDescriptor<byte[], byte[]> HANG = method(MethodType.UNARY, "Hang");
    static final MethodDescriptor<byte[], byte[]> AUTHORITY = method(MethodType.UNARY, "Authority");
    static final MethodDescriptor<byte[], byte[]> FLOOD = method(MethodType.SERVER_STREAMING, "Flood");
    static final Metadata.Key<String> DETAIL = Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<byte[]> DETAIL_BIN = Metadata.Key.of("x-detail-bin", Metadata.BINARY_BYTE_MARSHALLER);
    /** Large enough for the 10 MB messages the tests send (grpc-java's default is 4 MiB). */
    static final int MAX_MESSAGE = 32 * 1024 * 1024;

    private static final Context.Key<String> SEEN_AUTHORITY = Context.key("authority");

    private final Server server;
    private final HealthStatusManager health = new HealthStatusManager();
    private final CountDownLatch hangCancelled = new CountDownLatch(1);
    private final CountDownLatch chatCancelled = new CountDownLatch(1);
    private final java.util.concurrent.atomic.AtomicInteger floodSent = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean floodStalled;

    GrpcBackend() throws IOException {
        this(InsecureServerCredentials.create());
    }

    /** With TLS: {@code cert} and {@code key} are PEM files (h2 by ALPN). */
    GrpcBackend(java.io.File cert, java.io.File key) throws IOException {
        this(io.grpc.TlsServerCredentials.create(cert, key));
    }

    private GrpcBackend(io.grpc.ServerCredentials credentials) throws IOException {
        ServerServiceDefinition echo = ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall(GrpcBackend::unary))
                .addMethod(SPLIT, ServerCalls.asyncServerStreamingCall(GrpcBackend::split))
                .addMethod(JOIN, ServerCalls.asyncClientStreamingCall(GrpcBackend::join))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(this::chat))
                .addMethod(HANG, ServerCalls.asyncUnaryCall(this::hang))
                .addMethod(FLOOD, ServerCalls.asyncServerStreamingCall(this::flood))
                .addMethod(AUTHORITY, ServerCalls.asyncUnaryCall((request, out) -> {
                    out.onNext(SEEN_AUTHORITY.get().getBytes(StandardCharsets.UTF_8));
                    out.onCompleted();
                }))
                .build();
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), credentials)
                .addService(ServerInterceptors.intercept(echo, new AuthorityRecorder()))
                .addService(health.getHealthService())
                .maxInboundMessageSize(MAX_MESSAGE)
                .build()
                .start();
    }

    int port() {
        return server.getPort();
    }

    /** Sets the health service's overall status (service name ""), which Sluice's gRPC check asks for. */
    void serving(boolean serving) {
        health.setStatus("", serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    boolean awaitHangCancelled(long seconds) throws InterruptedException {
        return hangCancelled.await(seconds, TimeUnit.SECONDS);
    }

    int floodSent() {
        return floodSent.get();
    }

    boolean floodStalled() {
        return floodStalled;
    }

    private void flood(byte[] request, StreamObserver<byte[]> out) {
        int total = Integer.parseInt(new String(request, StandardCharsets.UTF_8));
        ServerCallStreamObserver<byte[]> call = (ServerCallStreamObserver<byte[]>) out;
        byte[] message = new byte[1024 * 1024];
        call.setOnReadyHandler(() -> {
            while (call.isReady() && floodSent.get() < total) {
                floodStalled = false;
                call.onNext(message);
                floodSent.incrementAndGet();
            }
            if (floodSent.get() >= total) {
                if (floodSent.getAndIncrement() == total) { // once: the handler may run again after the end
                    call.onCompleted();
                }
            } else {
                floodStalled = true;
            }
        });
    }

    /** True once a {@code Chat} call was cancelled by its caller (not ended normally). */
    boolean awaitChatCancelled(long seconds) throws InterruptedException {
        return chatCancelled.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private static void unary(byte[] request, StreamObserver<byte[]> out) {
        String text = new String(request, StandardCharsets.UTF_8);
        if (text.startsWith("status:")) {
            String[] parts = text.split(":", 3);
            Metadata trailers = new Metadata();
            trailers.put(DETAIL, "detail " + parts[1]);
            trailers.put(DETAIL_BIN, new byte[] {0, 1, 2, (byte) 0xFF});
            out.onError(Status.fromCodeValue(Integer.parseInt(parts[1])).withDescription(parts[2]).asRuntimeException(trailers));
            return;
        }
        out.onNext(request);
        out.onCompleted();
    }

    private static void split(byte[] request, StreamObserver<byte[]> out) {
        String[] parts = new String(request, StandardCharsets.UTF_8).split(",");
        int count = Integer.parseInt(parts[0]);
        int size = Integer.parseInt(parts[1]);
        for (int i = 0; i < count; i++) {
            byte[] message = new byte[size];
            Arrays.fill(message, (byte) i);
            out.onNext(message);
        }
        if (parts.length > 2) {
            out.onError(Status.ABORTED.withDescription("after " + count).asRuntimeException());
            return;
        }
        out.onCompleted();
    }

    private static StreamObserver<byte[]> join(StreamObserver<byte[]> out) {
        return new StreamObserver<>() {
            private int messages;
            private long bytes;

            @Override
            public void onNext(byte[] message) {
                messages++;
                bytes += message.length;
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                out.onNext((messages + "," + bytes).getBytes(StandardCharsets.UTF_8));
                out.onCompleted();
            }
        };
    }

    private StreamObserver<byte[]> chat(StreamObserver<byte[]> out) {
        ((ServerCallStreamObserver<byte[]>) out).setOnCancelHandler(chatCancelled::countDown);
        return new StreamObserver<>() {
            @Override
            public void onNext(byte[] message) {
                out.onNext(("re:" + new String(message, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {
                out.onCompleted();
            }
        };
    }

    private void hang(byte[] request, StreamObserver<byte[]> out) {
        ((ServerCallStreamObserver<byte[]>) out).setOnCancelHandler(hangCancelled::countDown);
    }

    /** Puts the call's {@code :authority} where {@code Authority} reads it. */
    private static final class AuthorityRecorder implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            return Contexts.interceptCall(Context.current().withValue(SEEN_AUTHORITY, String.valueOf(call.getAuthority())),
                    call, headers, next);
        }
    }

    static MethodDescriptor<byte[], byte[]> method(MethodType type, String name) {
        return MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
    }

    /** A unary call returning the answer as text. */
    static String call(Channel channel, MethodDescriptor<byte[], byte[]> method, String request, CallOptions options) {
        return new String(ClientCalls.blockingUnaryCall(channel, method, options, request.getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
    }
}
